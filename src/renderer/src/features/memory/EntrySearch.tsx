import { useMemory } from './memory-store';

/** What the namespace is searched for: a key prefix, a tag, text in the value. */
export function EntrySearch() {
  const query = useMemory((s) => s.query);
  const setQuery = useMemory((s) => s.setQuery);
  return (
    <form
      className="memory-search"
      onSubmit={(e) => {
        e.preventDefault();
        void useMemory.getState().search('');
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
  );
}

/** The entries found, a page at a time; a click opens one. */
export function EntryTable() {
  const entries = useMemory((s) => s.entries);
  const open = useMemory((s) => s.open);
  const cursor = useMemory((s) => s.cursor);
  const show = useMemory((s) => s.show);
  return (
    <>
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
            <tr key={e.key} className={open?.key === e.key ? 'selected' : undefined} onClick={() => show(e)}>
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
      {entries.length === 0 && <p className="muted">No entry matches.</p>}
      {cursor && (
        <button type="button" className="btn btn-small" onClick={() => void useMemory.getState().search(cursor)}>
          More
        </button>
      )}
    </>
  );
}
