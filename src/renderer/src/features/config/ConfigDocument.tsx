import { lazy, Suspense, useMemo, useState } from 'react';
import { refusedProps } from '../../components/guard-button';
import { useConfig } from './config-store';
import type { EditorProblem } from './ConfigEditor';
import type { ConfigActions } from './use-config-actions';

const ConfigEditor = lazy(() => import('./ConfigEditor'));

/** The editor's text as a document, or why it is not one. */
const parseDocument = (text: string): { value: unknown } | { problem: string } => {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { problem: 'not valid JSON' };
  }
};

/** The scope's document in a JSON editor checked against its schema, with what is wrong with it and Save / Revert. */
export function ConfigDocument({ actions }: { actions: ConfigActions }) {
  const scope = useConfig((s) => s.scope);
  const entry = useConfig((s) => s.entry);
  const text = useConfig((s) => s.text);
  const edited = useConfig((s) => s.edited);
  const revision = useConfig((s) => s.revision);
  const refused = useConfig((s) => s.refused);
  const { edit, revert, refuse } = useConfig.getState();
  const [problems, setProblems] = useState<EditorProblem[]>([]);
  const parsed = useMemo(() => parseDocument(edited), [edited]);
  const saveDecision = actions.saveDecision('value' in parsed ? parsed.value : undefined);
  const dirty = edited !== text;
  const save = (): void => {
    if ('problem' in parsed) refuse([{ path: 'value', message: parsed.problem }]);
    else actions.askSave(parsed.value);
  };
  return (
    <section className="panel" aria-label="Document">
      <header className="panel-head">
        <h3>{scope}</h3>
        <span className="muted">
          {entry
            ? entry.version === 0
              ? 'defaults (never set)'
              : `version ${entry.version} by ${entry.by} · ${new Date(entry.at).toLocaleString()}`
            : 'loading…'}
        </span>
      </header>
      <Suspense fallback={<p className="muted">Loading the editor…</p>}>
        <ConfigEditor scope={scope} text={text} revision={revision} onChange={edit} onProblems={setProblems} />
      </Suspense>
      <ul className="config-problems" data-testid="config-problems">
        {problems.map((p, i) => (
          <li key={`e${i}`} className="error">
            line {p.line}: {p.message}
          </li>
        ))}
        {refused.map((f, i) => (
          <li key={`r${i}`} className="error">
            {f.path}: {f.message}
          </li>
        ))}
      </ul>
      <div className="panel-actions">
        <button
          type="button"
          className="btn btn-small btn-primary"
          disabled={actions.action.busy || !dirty || problems.length > 0 || !saveDecision.allowed}
          {...refusedProps(saveDecision)}
          onClick={save}
        >
          Save
        </button>
        <button type="button" className="btn btn-small" disabled={!dirty} onClick={revert}>
          Revert
        </button>
      </div>
    </section>
  );
}
