import type { GuardDecision } from '../../../../shared/guards';
import { refusedProps } from '../../components/guard-button';
import { StateForm } from './StateForm';
import { StateVersions } from './StateVersions';
import type { StateDraft } from './state-form';
import { useSharedState } from './state-store';

interface Props {
  /** The write being typed, if any: it takes the value's place. */
  draft: StateDraft | undefined;
  onDraft(draft: StateDraft | undefined): void;
  decide(d: StateDraft): GuardDecision;
  busy: boolean;
  onWrite(d: StateDraft): void;
  against: number;
  onAgainst(i: number): void;
}

/** The selected key's value, its editor, and its versions compared. */
export function StateValue({ draft, onDraft, decide, busy, onWrite, against, onAgainst }: Props) {
  const selected = useSharedState((s) => s.selected);
  const history = useSharedState((s) => s.history);
  const current = history[0];
  const editDecision = decide({ key: selected ?? '', value: current?.value ?? '', baseVersion: current?.version ?? 0 });
  return (
    <section className="panel" aria-label="Value and history">
      <header className="panel-head">
        {draft && draft.baseVersion === 0 ? (
          <h3>A new key</h3>
        ) : (
          <h3 className={selected ? 'mono' : undefined}>{selected ?? 'Pick a key'}</h3>
        )}
        <span className="inline">
          {current && (
            <span className="muted">
              version {current.version} by {current.source || 'unknown'} · {new Date(current.at).toLocaleString()}
            </span>
          )}
          {current && !draft && (
            <button
              type="button"
              className="btn btn-small"
              disabled={busy || !editDecision.allowed}
              {...refusedProps(editDecision)}
              onClick={() => onDraft({ key: selected ?? '', value: current.value, baseVersion: current.version })}
            >
              Edit value
            </button>
          )}
        </span>
      </header>
      {draft && (
        <StateForm
          key={`${draft.key}/${draft.baseVersion}`}
          initial={draft}
          decide={decide}
          busy={busy}
          onWrite={onWrite}
          onCancel={() => onDraft(undefined)}
        />
      )}
      {!selected && !draft && <p className="muted empty-list">Pick a key on the left to see its value and compare its versions.</p>}
      {current && !draft && (
        <pre className="mono state-value" data-testid="state-value">
          {current.value}
        </pre>
      )}
      {history.length > 1 && <StateVersions history={history} against={against} onAgainst={onAgainst} />}
    </section>
  );
}
