import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { OpInput } from '../../../../shared/contract';
import type { ConfigDiff } from '../../../../shared/contract/config';
import { declaredGuard } from '../../../../shared/declared-guard';
import { CONFIG_SCOPES, type ConfigEntry, type ConfigScope, type ConfigVersion } from '../../../../shared/model/config';
import type { ProfileView } from '../../../../shared/model/profile';
import { confirmationOf } from '../../components/declared-action';
import { refusedProps } from '../../components/guard-button';
import { errorText, NoticeBar, type Notice } from '../../components/notice';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import { transport } from '../../transport';
import type { LiveConnection } from '../../app/page';
import { isLive, useConnections } from '../connections/connections-store';
import { useProfiles } from '../connections/profiles-store';
import type { EditorProblem } from './ConfigEditor';

const ConfigEditor = lazy(() => import('./ConfigEditor'));

type Pending =
  | { kind: 'save'; value: unknown; expectVersion: number }
  | { kind: 'rollback'; version: number }
  | { kind: 'promote'; from: ProfileView; to: ProfileView };
const show = (v: unknown): string => (v === undefined ? '—' : JSON.stringify(v));
/** The editor's text as a document, or why it is not one. */
const parseDocument = (text: string): { value: unknown } | { problem: string } => {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { problem: 'not valid JSON' };
  }
};
type FieldProblem = { path: string; message: string };
const fieldsOf = (error: unknown): FieldProblem[] | undefined => (error as { details?: { fields?: FieldProblem[] } }).details?.fields;

/** One scope's document in a JSON editor checked against its schema; its versions; the same scope in another environment. */
export function ConfigPage({ connection }: { connection: LiveConnection }) {
  const { profileId, profile } = connection;
  const [scope, setScope] = useState<ConfigScope>('swarm');
  const [entry, setEntry] = useState<ConfigEntry | undefined>();
  const [text, setText] = useState('');
  /** Bumped to put `text` back in the editor (a load, a revert) even when it did not change. */
  const [revision, setRevision] = useState(0);
  const [edited, setEdited] = useState('');
  const [problems, setProblems] = useState<EditorProblem[]>([]);
  const [refused, setRefused] = useState<{ path: string; message: string }[]>([]);
  const [history, setHistory] = useState<ConfigVersion[]>([]);
  const [otherId, setOtherId] = useState('');
  const [diff, setDiff] = useState<{ otherId: string; scope: ConfigScope; diff: ConfigDiff } | undefined>();
  const [notice, setNotice] = useState<Notice | undefined>();
  const fail = (error: unknown): void => setNotice({ kind: 'error', text: errorText(error) });
  const profiles = useProfiles((s) => s.profiles);
  const statuses = useConnections((s) => s.statuses);
  const others = profiles.filter((p) => p.id !== profileId && isLive(statuses[p.id]));
  const other = others.find((p) => p.id === otherId);

  const load = (): void => {
    void Promise.all([
      transport.call('config.get', { profileId, scope }),
      transport.call('config.history', { profileId, scope, count: 50 }),
    ])
      .then(([current, versions]) => {
        const json = JSON.stringify(current.value, null, 2);
        setEntry(current);
        setText(json);
        setEdited(json);
        setRevision((r) => r + 1);
        setHistory(versions);
        setRefused([]);
      })
      .catch(fail);
  };
  useEffect(load, [profileId, scope]);
  const otherLiveId = other?.id;
  useEffect(() => {
    if (otherLiveId === undefined) return;
    void transport
      .call('config.diff', { profileId, otherProfileId: otherLiveId, scope })
      .then((d) => setDiff({ otherId: otherLiveId, scope, diff: d }))
      .catch(fail);
  }, [profileId, otherLiveId, scope, entry?.version]);
  // Only the comparison asked for last is shown: a slower answer about another pair is ignored.
  const shown = diff && diff.otherId === otherLiveId && diff.scope === scope ? diff.diff : undefined;

  const parsed = useMemo(() => parseDocument(edited), [edited]);
  // The editor's JSON is checked against the scope's schema by main's contract, like any caller's.
  const setInput = (value: unknown, expectVersion: number, confirm?: string): OpInput<'config.set'> =>
    ({ profileId, scope, value, expectVersion, ...(confirm ? { confirm } : {}) }) as OpInput<'config.set'>;
  const saveDecision = declaredGuard('config.set', setInput('value' in parsed ? parsed.value : undefined, entry?.version ?? 0), profile);

  const action = useConfirmedAction<Pending>({
    perform: async (p, confirm) => {
      const c = confirm ? { confirm } : {};
      if (p.kind === 'save') {
        try {
          const saved = await transport.call('config.set', setInput(p.value, p.expectVersion, confirm));
          load();
          return `${scope} saved as version ${saved.version}`;
        } catch (error) {
          const fields = fieldsOf(error);
          if (fields) setRefused(fields);
          throw error;
        }
      }
      if (p.kind === 'rollback') {
        const r = await transport.call('config.rollback', { profileId, scope, version: p.version, ...c });
        load();
        return `${scope} version ${p.version} restored as version ${r.version}`;
      }
      const r = await transport.call('config.promote', { fromProfileId: p.from.id, toProfileId: p.to.id, scope, ...c });
      load();
      return `${scope} promoted from ${p.from.name} to ${p.to.name} as version ${r.version}`;
    },
    report: setNotice,
  });

  const save = (): void => {
    if ('problem' in parsed) {
      setRefused([{ path: 'value', message: parsed.problem }]);
      return;
    }
    const version = entry?.version ?? 0;
    action.ask({
      payload: { kind: 'save', value: parsed.value, expectVersion: version },
      title: `Save ${scope} on ${profile.name}?`,
      body: `Every agent of ${profile.name} reads the new ${scope} document at once. ${version === 0 ? 'It replaces the defaults.' : `The history keeps version ${version}, so it can be rolled back.`}`,
      confirmLabel: 'Save',
      ...confirmationOf(saveDecision),
    });
  };

  const promote = (from: ProfileView, to: ProfileView) => {
    // Promote writes the target environment: its guard, its confirmation.
    const decision = declaredGuard('config.promote', { fromProfileId: from.id, toProfileId: to.id, scope }, to);
    return (
      <button
        type="button"
        className="btn btn-small btn-ghost-danger"
        disabled={action.busy || !decision.allowed}
        {...refusedProps(decision)}
        onClick={() =>
          action.ask({
            payload: { kind: 'promote', from, to },
            title: `Promote ${scope} to ${to.name}?`,
            body: `${to.name}'s ${scope} configuration becomes ${from.name}'s; every agent there reads it at once. Its history keeps the old version.`,
            confirmLabel: 'Promote',
            ...confirmationOf(decision),
          })
        }
      >
        Promote {from.name} → {to.name}
      </button>
    );
  };

  const rollbackButton = (version: number) => {
    const decision = declaredGuard('config.rollback', { profileId, scope, version }, profile);
    return (
      <button
        type="button"
        className="btn btn-small"
        disabled={action.busy || !decision.allowed}
        {...refusedProps(decision)}
        onClick={() =>
          action.ask({
            payload: { kind: 'rollback', version },
            title: `Roll ${scope} back to version ${version}?`,
            body: `Version ${version} becomes current again (as a new version); agents read it at once.`,
            confirmLabel: 'Roll back',
            ...confirmationOf(decision),
          })
        }
      >
        Roll back
      </button>
    );
  };

  const dirty = edited !== text;
  return (
    <div className="page config-page">
      <header className="page-head">
        <div>
          <h2>Config</h2>
          <div className="muted">
            One scope's document checked against its schema, its versions, and the same scope in another environment.
          </div>
        </div>
        <div className="segmented config-scopes" role="tablist" aria-label="Scope">
          {CONFIG_SCOPES.map((s) => (
            <button
              key={s}
              type="button"
              role="tab"
              aria-selected={s === scope}
              className={`seg${s === scope ? ' on' : ''}`}
              onClick={() => setScope(s)}
            >
              {s}
            </button>
          ))}
        </div>
      </header>
      <NoticeBar notice={notice} />
      <div className="two-col">
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
            <ConfigEditor scope={scope} text={text} revision={revision} onChange={setEdited} onProblems={setProblems} />
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
              disabled={action.busy || !dirty || problems.length > 0 || !saveDecision.allowed}
              {...refusedProps(saveDecision)}
              onClick={save}
            >
              Save
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={!dirty}
              onClick={() => {
                setEdited(text);
                setRevision((r) => r + 1);
              }}
            >
              Revert
            </button>
          </div>
        </section>
        <section className="panel" aria-label="History">
          <header className="panel-head">
            <h3>
              History <span className="count">{history.length}</span>
            </h3>
          </header>
          <table className="data-table" data-testid="config-history">
            <thead>
              <tr>
                <th className="num">Version</th>
                <th>How</th>
                <th>By</th>
                <th>When</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {history.map((v) => (
                <tr key={v.version} data-testid={`config-version-${v.version}`}>
                  <td className="num mono">{v.version}</td>
                  <td title={v.reason}>{v.origin}</td>
                  <td className="mono">{v.by}</td>
                  <td>{new Date(v.at).toLocaleString()}</td>
                  <td>{v.version !== entry?.version && rollbackButton(v.version)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <section className="panel" aria-label="Environments">
        <header className="panel-head">
          <h3>Compare environments</h3>
          <label>
            {profile.name} against{' '}
            <select className="input" value={otherId} onChange={(e) => setOtherId(e.target.value)} aria-label="Other environment">
              <option value="">choose a connected profile</option>
              {others.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.environment})
                </option>
              ))}
            </select>
          </label>
        </header>
        {others.length === 0 && <p className="muted">Connect a second profile to compare and promote.</p>}
        {shown && other && (
          <>
            <table className="data-table config-diff" data-testid="config-diff">
              <thead>
                <tr>
                  <th>Field</th>
                  <th>
                    {profile.name} <span className="muted">v{shown.left.version}</span>
                  </th>
                  <th>
                    {other.name} <span className="muted">v{shown.right.version}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.changes.length === 0 && (
                  <tr>
                    <td colSpan={3} className="muted">
                      The same in both.
                    </td>
                  </tr>
                )}
                {shown.changes.map((c) => (
                  <tr key={c.path} className={`diff-${c.kind}`}>
                    <td className="mono">{c.path}</td>
                    <td className="mono">{show(c.left)}</td>
                    <td className="mono">{show(c.right)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="config-promote">
              {promote(profile, other)}
              {promote(other, profile)}
            </div>
          </>
        )}
      </section>
      {action.dialog}
    </div>
  );
}
