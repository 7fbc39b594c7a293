import { useEffect, useState } from 'react';
import { formatAge } from '../../components/format';
import { useConsole } from './console-store';

/** The profile's history from main, searchable; a click puts the line back in the editor. */
export function HistoryPanel() {
  const history = useConsole((s) => s.history);
  const [search, setSearch] = useState('');
  useEffect(() => {
    // Searching is main's job (the history lives in the home); wait for a pause in typing.
    const timer = setTimeout(
      () =>
        void useConsole
          .getState()
          .loadHistory(search.trim() || undefined)
          .catch(() => undefined),
      200,
    );
    return () => clearTimeout(timer);
  }, [search]);
  return (
    <aside className="console-history panel" aria-label="History">
      <header className="panel-head">
        <h3>History</h3>
        <span className="muted">{history.length}</span>
      </header>
      <input
        className="input"
        type="search"
        placeholder="Search history"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        aria-label="Search history"
      />
      <ul className="history-list">
        {history.length === 0 && <li className="muted">{search ? 'Nothing matches.' : 'Commands you run appear here.'}</li>}
        {history.map((h) => (
          <li key={`${h.at}-${h.line}`}>
            <button
              type="button"
              className={`history-item${h.ok ? '' : ' failed'}`}
              onClick={() => useConsole.getState().fill(h.line)}
              title={h.node ? `on ${h.node}` : undefined}
            >
              <code>{h.line}</code>
              <span className="muted">
                {formatAge(new Date(h.at).toISOString())}
                {h.ok ? '' : ' · failed'}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
