import { useState } from 'react';
import type { GuardDecision } from '../../../../shared/guards';
import type { MemoryConflict, MemoryEntry, MemorySpace, MemorySpaceSummary } from '../../../../shared/model/memory';
import { memoryTarget } from '../../../../shared/contract/memory';
import { declaredGuard } from '../../../../shared/declared-guard';
import { confirmationOf } from '../../components/declared-action';
import { refusedProps } from '../../components/guard-button';
import { errorText, NoticeBar, type Notice } from '../../components/notice';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import { usePoll } from '../../components/use-poll';
import { transport } from '../../transport';
import type { LiveConnection } from '../../app/page';
import { EntryForm } from './EntryForm';
import { blankDraft, draftOf, entryInput, type EntryDraft } from './entry-form';

const PAGE = 50;
const spaceName = (s: MemorySpace): string => `${s.agent ?? 'shared'}/${s.namespace}`;
const pretty = (json: string): string => {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
};

interface Resolution {
  conflict: MemoryConflict;
  choice: 'local' | 'remote';
}

type EntryChange = { kind: 'write'; draft: EntryDraft } | { kind: 'delete'; entry: MemoryEntry };
const spaceOf = (s: MemorySpace): MemorySpace =>
  s.agent === undefined ? { namespace: s.namespace } : { agent: s.agent, namespace: s.namespace };

/** Memory by agent and namespace: search a page at a time, open an entry, settle kept conflicts. */
export function MemoryPage({ connection }: { connection: LiveConnection }) {
  const { profileId, profile } = connection;
  const [spaces, setSpaces] = useState<MemorySpaceSummary[]>([]);
  const [space, setSpace] = useState<MemorySpace | undefined>();
  const [query, setQuery] = useState({ prefix: '', tag: '', text: '' });
  const [entries, setEntries] = useState<MemoryEntry[]>([]);
  const [cursor, setCursor] = useState('');
  const [open, setOpen] = useState<MemoryEntry | undefined>();
  const [conflicts, setConflicts] = useState<MemoryConflict[]>([]);
  const [form, setForm] = useState<EntryDraft | undefined>();
  const [notice, setNotice] = useState<Notice | undefined>();
  const fail = (error: unknown): void => setNotice({ kind: 'error', text: errorText(error) });

  const loadSpaces = (): void => void transport.call('memory.spaces', { profileId }).then(setSpaces).catch(fail);
  usePoll(loadSpaces, 5000, [profileId]);
  usePoll(
    () => {
      if (space)
        void transport
          .call('memory.conflicts', { profileId, ...space })
          .then(setConflicts)
          .catch(fail);
    },
    3000,
    [profileId, space?.agent, space?.namespace],
    space !== undefined,
  );

  const search = (from: string, within: MemorySpace | undefined = space): void => {
    if (!within) return;
    transport
      .call('memory.search', {
        profileId,
        ...within,
        ...(query.prefix ? { prefix: query.prefix } : {}),
        ...(query.tag ? { tag: query.tag } : {}),
        ...(query.text ? { text: query.text } : {}),
        ...(from ? { cursor: from } : {}),
        count: PAGE,
      })
      .then((page) => {
        setEntries((shown) => (from ? [...shown, ...page.entries] : page.entries));
        setCursor(page.cursor);
      })
      .catch(fail);
  };

  const choose = (s: MemorySpace): void => {
    const picked = spaceOf(s);
    setSpace(picked);
    setOpen(undefined);
    search('', picked);
  };

  const change = useConfirmedAction<EntryChange>({
    perform: async (p, confirm) => {
      const c = confirm ? { confirm } : {};
      if (p.kind === 'write') {
        const input = entryInput(profileId, p.draft);
        const { version } = await transport.call('memory.set', { ...input, ...c });
        const where = spaceOf(input);
        setForm(undefined);
        loadSpaces();
        choose(where);
        const { entry } = await transport.call('memory.get', { profileId, ...where, key: input.key });
        setOpen(entry ?? undefined);
        return `${memoryTarget(input.agent, input.namespace, input.key)} written as version ${version}`;
      }
      const { entry } = p;
      const r = await transport.call('memory.delete', { profileId, ...spaceOf(entry), key: entry.key, expectVersion: entry.version, ...c });
      setOpen(undefined);
      search('');
      return r.deleted ? `${memoryTarget(entry.agent, entry.namespace, entry.key)} deleted` : `${entry.key} was already gone`;
    },
    report: setNotice,
  });
  const writeDecision = (d: EntryDraft) => declaredGuard('memory.set', entryInput(profileId, d), profile);
  const askWrite = (d: EntryDraft): void => {
    const input = entryInput(profileId, d);
    const target = memoryTarget(input.agent, input.namespace, input.key);
    change.ask({
      payload: { kind: 'write', draft: d },
      title: `Write ${target}?`,
      body:
        d.baseVersion > 0
          ? `The next version replaces version ${d.baseVersion}; agents that read ${input.key} see it at once. If an agent wrote a newer version meanwhile, nothing is written.`
          : `A new entry in ${input.agent ?? 'shared'}/${input.namespace}; agents that read it see it at once.`,
      confirmLabel: 'Write entry',
      ...confirmationOf(writeDecision(d)),
    });
  };

  const resolve = useConfirmedAction<Resolution>({
    perform: async ({ conflict, choice }, confirm) => {
      const r = await transport.call('memory.resolve', {
        profileId,
        ...(conflict.agent ? { agent: conflict.agent } : {}),
        namespace: conflict.namespace,
        key: conflict.key,
        choice,
        ...(confirm ? { confirm } : {}),
      });
      setConflicts((list) => list.filter((c) => c.key !== conflict.key));
      search('');
      return `${conflict.key}: kept the ${choice === 'local' ? `value of ${conflict.local.by}` : 'stored value'} (version ${r.version})`;
    },
    report: setNotice,
  });

  const agents = [...new Set(spaces.map((s) => s.agent ?? 'shared'))];
  // The opener's refusal is the form's: on a read-only profile no entry can be written.
  const newDecision = writeDecision(blankDraft(space));

  return (
    <div className="page memory-page">
      <header className="page-head">
        <div>
          <h2>Memory</h2>
          <div className="muted">Per-agent and shared memory by namespace: search entries, open one, settle kept conflicts.</div>
        </div>
      </header>
      <NoticeBar notice={notice} />
      <div className="two-col">
        <section className="panel" aria-label="Namespaces">
          <header className="panel-head">
            <h3>
              Namespaces <span className="count">{spaces.length}</span>
            </h3>
            <span className="muted">by agent</span>
          </header>
          {spaces.length === 0 && <p className="muted">No memory written yet.</p>}
          {agents.map((agent) => (
            <details key={agent} open>
              <summary className="mono">{agent}</summary>
              <ul className="plain-list">
                {spaces
                  .filter((s) => (s.agent ?? 'shared') === agent)
                  .map((s) => (
                    <li key={spaceName(s)}>
                      <button
                        type="button"
                        className={`state-key${space && spaceName(space) === spaceName(s) ? ' selected' : ''}`}
                        onClick={() => choose(s)}
                        data-testid={`memory-space-${spaceName(s)}`}
                      >
                        <span className="mono">{s.namespace}</span>
                        {s.conflicts > 0 && (
                          <span className="tag tag-warn">
                            {s.conflicts} conflict{s.conflicts === 1 ? '' : 's'}
                          </span>
                        )}
                      </button>
                    </li>
                  ))}
              </ul>
            </details>
          ))}
        </section>
        <section className="panel" aria-label="Entries">
          <header className="panel-head">
            <h3>{space ? spaceName(space) : 'Pick a namespace'}</h3>
            {!form && (
              <button
                type="button"
                className="btn btn-small"
                disabled={change.busy || !newDecision.allowed}
                {...refusedProps(newDecision)}
                onClick={() => setForm(blankDraft(space))}
              >
                New entry
              </button>
            )}
          </header>
          {form && (
            <EntryForm
              key={`${form.agent}/${form.namespace}/${form.key}/${form.baseVersion}`}
              initial={form}
              decide={writeDecision}
              busy={change.busy}
              onWrite={askWrite}
              onCancel={() => setForm(undefined)}
            />
          )}
          {space && (
            <form
              className="memory-search"
              onSubmit={(e) => {
                e.preventDefault();
                search('');
              }}
            >
              <input
                placeholder="key prefix"
                value={query.prefix}
                onChange={(e) => setQuery({ ...query, prefix: e.target.value })}
                aria-label="Key prefix"
                className="input"
              />
              <input
                placeholder="tag"
                value={query.tag}
                onChange={(e) => setQuery({ ...query, tag: e.target.value })}
                aria-label="Tag"
                className="input"
              />
              <input
                placeholder="text in value"
                value={query.text}
                onChange={(e) => setQuery({ ...query, text: e.target.value })}
                aria-label="Text in value"
                className="input"
              />
              <button type="submit" className="btn btn-small">
                Search
              </button>
            </form>
          )}
          {conflicts.length > 0 && (
            <div className="memory-conflicts" data-testid="memory-conflicts">
              <h4>Conflicts kept for an operator</h4>
              {conflicts.map((c) => {
                const decide = (choice: 'local' | 'remote') =>
                  declaredGuard('memory.resolve', { profileId, ...spaceOf(c), key: c.key, choice }, profile);
                const keepLocal = decide('local');
                const keepRemote = decide('remote');
                const ask = (choice: 'local' | 'remote'): void =>
                  resolve.ask({
                    payload: { conflict: c, choice },
                    title: `Resolve ${c.key}?`,
                    body:
                      choice === 'local'
                        ? `The value ${c.local.by} wrote replaces the stored one (version ${c.remote.version} by ${c.remote.by}), which is lost.`
                        : `The stored value stays; what ${c.local.by} wrote is discarded.`,
                    confirmLabel: choice === 'local' ? `Keep ${c.local.by}'s value` : 'Keep the stored value',
                    ...confirmationOf(choice === 'local' ? keepLocal : keepRemote),
                  });
                return (
                  <div key={c.key} className="conflict-card" data-testid={`conflict-${c.key}`}>
                    <div className="mono">{c.key}</div>
                    <div className="conflict-sides">
                      <div>
                        <div className="muted">
                          {c.local.by} wrote (from version {c.local.baseVersion})
                        </div>
                        <pre className="mono">{pretty(c.local.value)}</pre>
                      </div>
                      <div>
                        <div className="muted">
                          stored: version {c.remote.version} by {c.remote.by}
                        </div>
                        <pre className="mono">{pretty(c.remote.value)}</pre>
                      </div>
                    </div>
                    <div className="panel-actions">
                      <button
                        type="button"
                        className="btn btn-small btn-ghost-danger"
                        disabled={resolve.busy || !keepLocal.allowed}
                        {...refusedProps(keepLocal)}
                        onClick={() => ask('local')}
                      >
                        Keep {c.local.by}'s
                      </button>
                      <button
                        type="button"
                        className="btn btn-small"
                        disabled={resolve.busy || !keepRemote.allowed}
                        {...refusedProps(keepRemote)}
                        onClick={() => ask('remote')}
                      >
                        Keep stored
                      </button>
                    </div>
                  </div>
                );
              })}
            </div>
          )}
          {space && (
            <table className="data-table" data-testid="memory-entries">
              <thead>
                <tr>
                  <th>Key</th>
                  <th className="num">Version</th>
                  <th>Updated</th>
                  <th>By</th>
                  <th>Tags</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.key} className={open?.key === e.key ? 'selected' : undefined} onClick={() => setOpen(e)}>
                    <td className="mono">
                      <button type="button" className="linkish">
                        {e.key}
                      </button>
                    </td>
                    <td className="num mono">{e.version}</td>
                    <td>{new Date(e.updatedAt).toLocaleString()}</td>
                    <td className="mono">{e.updatedBy}</td>
                    <td>{e.tags.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {space && entries.length === 0 && <p className="muted">No entry matches.</p>}
          {cursor && (
            <button type="button" className="btn btn-small" onClick={() => search(cursor)}>
              More
            </button>
          )}
          {open && (
            <OpenEntry
              entry={open}
              profileId={profileId}
              profile={profile}
              busy={change.busy}
              onEdit={() => setForm(draftOf(open))}
              onDelete={(decision) =>
                change.ask({
                  payload: { kind: 'delete', entry: open },
                  title: `Delete ${memoryTarget(open.agent, open.namespace, open.key)}?`,
                  body: `The entry and its versions are gone for good: the agent that reads ${open.key} finds nothing. A version written after ${open.version} is not deleted.`,
                  confirmLabel: 'Delete entry',
                  ...confirmationOf(decision),
                })
              }
            />
          )}
        </section>
      </div>
      {resolve.dialog}
      {change.dialog}
    </div>
  );
}

function OpenEntry({
  entry,
  profileId,
  profile,
  busy,
  onEdit,
  onDelete,
}: {
  entry: MemoryEntry;
  profileId: string;
  profile: LiveConnection['profile'];
  busy: boolean;
  onEdit(): void;
  onDelete(decision: GuardDecision): void;
}) {
  const edit = declaredGuard(
    'memory.set',
    { profileId, ...spaceOf(entry), key: entry.key, value: entry.value, expectVersion: entry.version },
    profile,
  );
  const remove = declaredGuard('memory.delete', { profileId, ...spaceOf(entry), key: entry.key, expectVersion: entry.version }, profile);
  return (
    <div className="memory-entry" data-testid="memory-entry">
      <div className="memory-entry-head">
        <h4 className="mono">{entry.key}</h4>
        <span className="spacer" />
        <button type="button" className="btn btn-small" disabled={busy || !edit.allowed} {...refusedProps(edit)} onClick={onEdit}>
          Edit
        </button>
        <button
          type="button"
          className="btn btn-small btn-ghost-danger"
          disabled={busy || !remove.allowed}
          {...refusedProps(remove)}
          onClick={() => onDelete(remove)}
        >
          Delete
        </button>
      </div>
      <div className="muted">
        version {entry.version} by {entry.updatedBy || 'unknown'} · {new Date(entry.updatedAt).toLocaleString()}
        {entry.ttlMs !== undefined ? ` · expires in ${Math.round(entry.ttlMs / 1000)} s` : ''}
        {entry.tags.length ? ` · ${entry.tags.join(', ')}` : ''}
      </div>
      <pre className="mono">{pretty(entry.value)}</pre>
    </div>
  );
}
