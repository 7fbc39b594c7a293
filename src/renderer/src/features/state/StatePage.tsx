import { useMemo, useState } from 'react';
import type { StateKeySummary, StateVersion } from '../../../../shared/contract/state';
import { declaredGuard } from '../../../../shared/declared-guard';
import type { GuardDecision } from '../../../../shared/guards';
import { confirmationOf } from '../../components/declared-action';
import { refusedProps } from '../../components/guard-button';
import { errorText, NoticeBar, type Notice } from '../../components/notice';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import { usePoll } from '../../components/use-poll';
import { transport } from '../../transport';
import type { LiveConnection } from '../../app/page';
import { lineDiff } from './line-diff';
import { stateDraftProblem, stateInput, type StateDraft } from './state-form';

/** Keys looked at per listing: SCAN stops there and says so, however big the keyspace is. */
const SCAN_BUDGET = 20_000;

/** Versioned state keys by namespace; one key's value with its kept versions and a diff between two. */
export function StatePage({ connection }: { connection: LiveConnection }) {
  const { profileId, profile } = connection;
  const [keys, setKeys] = useState<{ keys: StateKeySummary[]; complete: boolean } | undefined>();
  const [selected, setSelected] = useState<string | undefined>();
  const [history, setHistory] = useState<StateVersion[]>([]);
  const [against, setAgainst] = useState(1);
  const [notice, setNotice] = useState<Notice | undefined>();
  const [draft, setDraft] = useState<StateDraft | undefined>();
  const fail = (error: unknown): void => setNotice({ kind: 'error', text: errorText(error) });

  const loadKeys = (): void => void transport.call('state.keys', { profileId, budget: SCAN_BUDGET }).then(setKeys).catch(fail);
  const loadHistory = (key: string): void => void transport.call('state.history', { profileId, key }).then(setHistory).catch(fail);
  usePoll(loadKeys, 5000, [profileId]);
  usePoll(
    () => {
      if (selected) loadHistory(selected);
    },
    2000,
    [profileId, selected],
    selected !== undefined,
  );

  const write = useConfirmedAction<StateDraft>({
    perform: async (d, confirm) => {
      const input = stateInput(profileId, d);
      const { version } = await transport.call('state.set', { ...input, ...(confirm ? { confirm } : {}) });
      setDraft(undefined);
      setSelected(input.key);
      setAgainst(1);
      loadKeys();
      loadHistory(input.key);
      return `${input.key} written as version ${version}`;
    },
    report: setNotice,
  });
  const decide = (d: StateDraft) => declaredGuard('state.set', stateInput(profileId, d), profile);
  const askWrite = (d: StateDraft): void =>
    write.ask({
      payload: d,
      title: `Write ${d.key.trim()}?`,
      body:
        d.baseVersion > 0
          ? `Version ${d.baseVersion + 1} replaces version ${d.baseVersion}: agents act on it at once, the history keeps the old one. If another writer got there first, nothing is written.`
          : `A new key: agents that read ${d.key.trim()} act on it at once.`,
      confirmLabel: 'Write',
      ...confirmationOf(decide(d)),
    });

  const byNamespace = useMemo(() => {
    const groups = new Map<string, StateKeySummary[]>();
    for (const k of keys?.keys ?? []) groups.set(k.namespace, [...(groups.get(k.namespace) ?? []), k]);
    return [...groups.entries()];
  }, [keys]);
  const current = history[0];
  const older = history[Math.min(against, history.length - 1)];
  const diff = current && older && older !== current ? lineDiff(older.value, current.value) : undefined;
  // The openers say why they are refused before a form is opened: the same decision as its button's.
  const newDecision = decide({ key: '', value: '', baseVersion: 0 });
  const editDecision = decide({ key: selected ?? '', value: current?.value ?? '', baseVersion: current?.version ?? 0 });

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
            <h3>
              Keys <span className="count">{keys?.keys.length ?? 0}</span>
            </h3>
            <span className="inline">
              <span className="muted">
                {keys && !keys.complete ? `first ${SCAN_BUDGET.toLocaleString()} keys scanned — not all` : 'by namespace'}
              </span>
              <button
                type="button"
                className="btn btn-small"
                disabled={write.busy || !newDecision.allowed}
                {...refusedProps(newDecision)}
                onClick={() => setDraft({ key: '', value: '', baseVersion: 0 })}
              >
                New key
              </button>
            </span>
          </header>
          {keys && keys.keys.length === 0 && (
            <p className="muted empty-list" data-testid="state-empty">
              No state keys yet — agents write them with <code>state.set</code>; each write becomes the next version.
            </p>
          )}
          {byNamespace.map(([namespace, list]) => (
            <details key={namespace} open>
              <summary className="mono">
                {namespace || '(no namespace)'} <span className="muted">{list.length}</span>
              </summary>
              <ul className="plain-list">
                {list.map((k) => (
                  <li key={k.key}>
                    <button
                      type="button"
                      className={`state-key${k.key === selected ? ' selected' : ''}`}
                      onClick={() => {
                        setSelected(k.key);
                        setAgainst(1);
                        setDraft(undefined);
                      }}
                    >
                      <span className="mono">{k.key}</span>{' '}
                      <span className="muted">
                        v{k.version}
                        {k.source ? ` · ${k.source}` : ''}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </details>
          ))}
        </section>
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
                  disabled={write.busy || !editDecision.allowed}
                  {...refusedProps(editDecision)}
                  onClick={() => setDraft({ key: selected ?? '', value: current.value, baseVersion: current.version })}
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
              busy={write.busy}
              onWrite={askWrite}
              onCancel={() => setDraft(undefined)}
            />
          )}
          {!selected && !draft && <p className="muted empty-list">Pick a key on the left to see its value and compare its versions.</p>}
          {current && !draft && (
            <pre className="mono state-value" data-testid="state-value">
              {current.value}
            </pre>
          )}
          {history.length > 1 && (
            <>
              <label className="state-compare">
                Compare with{' '}
                <select className="input" value={against} onChange={(e) => setAgainst(Number(e.target.value))}>
                  {history.slice(1).map((v, i) => (
                    <option key={v.version} value={i + 1}>
                      version {v.version} ({v.source || 'unknown'})
                    </option>
                  ))}
                </select>
              </label>
              <pre className="mono state-diff" data-testid="state-diff">
                {diff?.map((line, i) => (
                  <div key={i} className={`diff-${line.kind}`}>
                    {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
                    {line.text}
                  </div>
                ))}
              </pre>
            </>
          )}
        </section>
      </div>
      {write.dialog}
    </div>
  );
}

/** The value of one key as its next version, or a new key with its first. */
function StateForm({
  initial,
  decide,
  busy,
  onWrite,
  onCancel,
}: {
  initial: StateDraft;
  decide(d: StateDraft): GuardDecision;
  busy: boolean;
  onWrite(d: StateDraft): void;
  onCancel(): void;
}) {
  const [draft, setDraft] = useState(initial);
  const problem = stateDraftProblem(draft);
  const decision = decide(draft);
  const editing = initial.baseVersion > 0;
  return (
    <form
      className="editor-section state-form"
      data-testid="state-form"
      aria-label={editing ? `Edit ${initial.key}` : 'New state key'}
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem && decision.allowed) onWrite(draft);
      }}
    >
      <h4>{editing ? `Version ${initial.baseVersion + 1} of ${initial.key}` : 'New key'}</h4>
      {!editing && (
        <label className="field">
          <span>
            Key <small>(namespace:rest)</small>
          </span>
          <input
            aria-label="State key"
            value={draft.key}
            onChange={(e) => setDraft({ ...draft, key: e.target.value })}
            placeholder="agents:config"
          />
        </label>
      )}
      <label className="field">
        <span>
          Value <small>(JSON by convention)</small>
        </span>
        <textarea aria-label="State value" rows={8} value={draft.value} onChange={(e) => setDraft({ ...draft, value: e.target.value })} />
      </label>
      <div className="panel-actions">
        {problem ? <span className="wizard-blocker">{problem}</span> : null}
        <span className="spacer" />
        <button type="button" className="btn btn-small" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          className="btn btn-small btn-primary"
          disabled={busy || problem !== undefined || !decision.allowed}
          {...refusedProps(decision)}
        >
          {editing ? `Write version ${initial.baseVersion + 1}` : 'Write'}
        </button>
      </div>
    </form>
  );
}
