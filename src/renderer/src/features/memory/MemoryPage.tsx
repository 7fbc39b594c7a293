import { useState } from 'react';
import type { MemoryConflict, MemoryEntry, MemorySpace, MemorySpaceSummary } from '../../../../shared/model/memory';
import { guard } from '../../../../shared/guards';
import { refusedProps } from '../../components/guard-button';
import { errorText, NoticeBar, type Notice } from '../../components/notice';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import { usePoll } from '../../components/use-poll';
import { transport } from '../../transport';
import type { LiveConnection } from '../../app/page';

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
  const [notice, setNotice] = useState<Notice | undefined>();
  const fail = (error: unknown): void => setNotice({ kind: 'error', text: errorText(error) });

  usePoll(() => void transport.call('memory.spaces', { profileId }).then(setSpaces).catch(fail), 5000, [profileId]);
  usePoll(() => {
    if (space) void transport.call('memory.conflicts', { profileId, ...space }).then(setConflicts).catch(fail);
  }, 3000, [profileId, space?.agent, space?.namespace], space !== undefined);

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

  const choose = (s: MemorySpaceSummary): void => {
    const picked = s.agent === undefined ? { namespace: s.namespace } : { agent: s.agent, namespace: s.namespace };
    setSpace(picked);
    setOpen(undefined);
    search('', picked);
  };

  const resolve = useConfirmedAction<Resolution>({
    perform: async ({ conflict, choice }, confirm) => {
      const r = await transport.call('memory.resolve', { profileId, ...(conflict.agent ? { agent: conflict.agent } : {}), namespace: conflict.namespace, key: conflict.key, choice, ...(confirm ? { confirm } : {}) });
      setConflicts((list) => list.filter((c) => c.key !== conflict.key));
      search('');
      return `${conflict.key}: kept the ${choice === 'local' ? `value of ${conflict.local.by}` : 'stored value'} (version ${r.version})`;
    },
    report: setNotice,
  });

  const agents = [...new Set(spaces.map((s) => s.agent ?? 'shared'))];

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
          <header className="panel-head"><h3>Namespaces <span className="count">{spaces.length}</span></h3><span className="muted">by agent</span></header>
          {spaces.length === 0 && <p className="muted">No memory written yet.</p>}
          {agents.map((agent) => (
            <details key={agent} open>
              <summary className="mono">{agent}</summary>
              <ul className="plain-list">
                {spaces.filter((s) => (s.agent ?? 'shared') === agent).map((s) => (
                  <li key={spaceName(s)}>
                    <button type="button" className={`state-key${space && spaceName(space) === spaceName(s) ? ' selected' : ''}`} onClick={() => choose(s)} data-testid={`memory-space-${spaceName(s)}`}>
                      <span className="mono">{s.namespace}</span>
                      {s.conflicts > 0 && <span className="tag tag-warn">{s.conflicts} conflict{s.conflicts === 1 ? '' : 's'}</span>}
                    </button>
                  </li>
                ))}
              </ul>
            </details>
          ))}
        </section>
        <section className="panel" aria-label="Entries">
          <header className="panel-head"><h3>{space ? spaceName(space) : 'Pick a namespace'}</h3></header>
          {space && (
            <form className="memory-search" onSubmit={(e) => { e.preventDefault(); search(''); }}>
              <input placeholder="key prefix" value={query.prefix} onChange={(e) => setQuery({ ...query, prefix: e.target.value })} aria-label="Key prefix" className="input" />
              <input placeholder="tag" value={query.tag} onChange={(e) => setQuery({ ...query, tag: e.target.value })} aria-label="Tag" className="input" />
              <input placeholder="text in value" value={query.text} onChange={(e) => setQuery({ ...query, text: e.target.value })} aria-label="Text in value" className="input" />
              <button type="submit" className="btn btn-small">Search</button>
            </form>
          )}
          {conflicts.length > 0 && (
            <div className="memory-conflicts" data-testid="memory-conflicts">
              <h4>Conflicts kept for an operator</h4>
              {conflicts.map((c) => {
                const decision = guard(profile, 'memory.resolve', { name: `${spaceName(c)}/${c.key}` });
                const ask = (choice: 'local' | 'remote'): void =>
                  resolve.ask({
                    payload: { conflict: c, choice },
                    title: `Resolve ${c.key}?`,
                    body: choice === 'local' ? `The value ${c.local.by} wrote replaces the stored one (version ${c.remote.version} by ${c.remote.by}), which is lost.` : `The stored value stays; what ${c.local.by} wrote is discarded.`,
                    confirmLabel: choice === 'local' ? `Keep ${c.local.by}'s value` : 'Keep the stored value',
                    danger: true,
                    typed: decision.confirm?.expected,
                  });
                return (
                  <div key={c.key} className="conflict-card" data-testid={`conflict-${c.key}`}>
                    <div className="mono">{c.key}</div>
                    <div className="conflict-sides">
                      <div><div className="muted">{c.local.by} wrote (from version {c.local.baseVersion})</div><pre className="mono">{pretty(c.local.value)}</pre></div>
                      <div><div className="muted">stored: version {c.remote.version} by {c.remote.by}</div><pre className="mono">{pretty(c.remote.value)}</pre></div>
                    </div>
                    <div className="panel-actions">
                      <button type="button" className="btn btn-small btn-ghost-danger" disabled={resolve.busy || !decision.allowed} {...refusedProps(decision)} onClick={() => ask('local')}>Keep {c.local.by}'s</button>
                      <button type="button" className="btn btn-small" disabled={resolve.busy || !decision.allowed} {...refusedProps(decision)} onClick={() => ask('remote')}>Keep stored</button>
                    </div>
                  </div>
                );
              })}
            </div>
          )}
          {space && (
            <table className="data-table" data-testid="memory-entries">
              <thead><tr><th>Key</th><th className="num">Version</th><th>Updated</th><th>By</th><th>Tags</th></tr></thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.key} className={open?.key === e.key ? 'selected' : undefined} onClick={() => setOpen(e)}>
                    <td className="mono"><button type="button" className="linkish">{e.key}</button></td>
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
          {cursor && <button type="button" className="btn btn-small" onClick={() => search(cursor)}>More</button>}
          {open && (
            <div className="memory-entry" data-testid="memory-entry">
              <h4 className="mono">{open.key}</h4>
              <div className="muted">version {open.version} by {open.updatedBy} · {new Date(open.updatedAt).toLocaleString()}{open.ttlMs !== undefined ? ` · expires in ${Math.round(open.ttlMs / 1000)} s` : ''}</div>
              <pre className="mono">{pretty(open.value)}</pre>
            </div>
          )}
        </section>
      </div>
      {resolve.dialog}
    </div>
  );
}
