import { useMemo, useState } from 'react';
import type { StateKeySummary, StateVersion } from '../../../../shared/contract/state';
import { errorText, NoticeBar, type Notice } from '../../components/notice';
import { usePoll } from '../../components/use-poll';
import { transport } from '../../transport';
import type { LiveConnection } from '../../app/page';
import { lineDiff } from './line-diff';

/** Keys looked at per listing: SCAN stops there and says so, however big the keyspace is. */
const SCAN_BUDGET = 20_000;

/** Versioned state keys by namespace; one key's value with its kept versions and a diff between two. */
export function StatePage({ connection }: { connection: LiveConnection }) {
  const { profileId } = connection;
  const [keys, setKeys] = useState<{ keys: StateKeySummary[]; complete: boolean } | undefined>();
  const [selected, setSelected] = useState<string | undefined>();
  const [history, setHistory] = useState<StateVersion[]>([]);
  const [against, setAgainst] = useState(1);
  const [notice, setNotice] = useState<Notice | undefined>();
  const fail = (error: unknown): void => setNotice({ kind: 'error', text: errorText(error) });

  usePoll(() => void transport.call('state.keys', { profileId, budget: SCAN_BUDGET }).then(setKeys).catch(fail), 5000, [profileId]);
  usePoll(() => {
    if (selected) void transport.call('state.history', { profileId, key: selected }).then(setHistory).catch(fail);
  }, 2000, [profileId, selected], selected !== undefined);

  const byNamespace = useMemo(() => {
    const groups = new Map<string, StateKeySummary[]>();
    for (const k of keys?.keys ?? []) groups.set(k.namespace, [...(groups.get(k.namespace) ?? []), k]);
    return [...groups.entries()];
  }, [keys]);
  const current = history[0];
  const older = history[Math.min(against, history.length - 1)];
  const diff = current && older && older !== current ? lineDiff(older.value, current.value) : undefined;

  return (
    <div className="page state-page">
      <header className="page-head">
        <div>
          <h2>State</h2>
          <div className="muted">Versioned shared state by namespace: a key's value, its kept versions and what changed.</div>
        </div>
      </header>
      <NoticeBar notice={notice} />
      <div className="two-col">
        <section className="panel" aria-label="State keys">
          <header className="panel-head">
            <h3>Keys <span className="count">{keys?.keys.length ?? 0}</span></h3>
            <span className="muted">{keys && !keys.complete ? `first ${SCAN_BUDGET.toLocaleString()} keys scanned — not all` : 'by namespace'}</span>
          </header>
          {keys && keys.keys.length === 0 && <p className="muted empty-list" data-testid="state-empty">No state keys yet — agents write them with <code>state.set</code>; each write becomes the next version.</p>}
          {byNamespace.map(([namespace, list]) => (
            <details key={namespace} open>
              <summary className="mono">{namespace || '(no namespace)'} <span className="muted">{list.length}</span></summary>
              <ul className="plain-list">
                {list.map((k) => (
                  <li key={k.key}>
                    <button type="button" className={`state-key${k.key === selected ? ' selected' : ''}`} onClick={() => { setSelected(k.key); setAgainst(1); }}>
                      <span className="mono">{k.key}</span> <span className="muted">v{k.version}{k.source ? ` · ${k.source}` : ''}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </details>
          ))}
        </section>
        <section className="panel" aria-label="Value and history">
          <header className="panel-head"><h3 className="mono">{selected ?? 'Pick a key'}</h3>{current && <span className="muted">version {current.version} by {current.source || 'unknown'} · {new Date(current.at).toLocaleString()}</span>}</header>
          {!selected && <p className="muted empty-list">Pick a key on the left to see its value and compare its versions.</p>}
          {current && <pre className="mono state-value" data-testid="state-value">{current.value}</pre>}
          {history.length > 1 && (
            <>
              <label className="state-compare">
                Compare with{' '}
                <select className="input" value={against} onChange={(e) => setAgainst(Number(e.target.value))}>
                  {history.slice(1).map((v, i) => <option key={v.version} value={i + 1}>version {v.version} ({v.source || 'unknown'})</option>)}
                </select>
              </label>
              <pre className="mono state-diff" data-testid="state-diff">
                {diff?.map((line, i) => <div key={i} className={`diff-${line.kind}`}>{line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}{line.text}</div>)}
              </pre>
            </>
          )}
        </section>
      </div>
    </div>
  );
}
