import { useEffect, useState } from 'react';
import type { StreamEntry } from '../../../shared/model/task';

interface Props {
  title: string;
  /** Fetches the newest entries; called again whenever `version` changes. */
  load(): Promise<StreamEntry[]>;
  version: string;
  /** The columns after the time: which fields to show, in order. */
  columns: { field: string; label: string; /** CSS width; columns without one share the rest. */ width?: string }[];
  testId?: string;
}

/** The newest entries of a capped stream (queue transitions, operator actions), newest first. */
export function StreamPanel({ title, load, version, columns, testId }: Props) {
  const [entries, setEntries] = useState<StreamEntry[]>([]);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    load().then(
      (next) => live && (setEntries(next), setError(undefined)),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [load, version]);
  return (
    <section className="panel stream-panel" data-testid={testId}>
      <header className="panel-head">
        <h3>{title}</h3>
        <span className="muted">newest first</span>
      </header>
      {error && <p className="error-text">{error}</p>}
      {entries.length === 0 && !error ? (
        <p className="muted">Nothing yet.</p>
      ) : (
        // Fixed layout: every column stays inside the panel and a long value is cut with an
        // ellipsis (full text on hover) instead of pushing the last column past the edge.
        <table className="data-table compact stream-table">
          <colgroup>
            <col style={{ width: '100px' }} />
            {columns.map((c) => (
              <col key={c.field} style={c.width ? { width: c.width } : undefined} />
            ))}
          </colgroup>
          <thead>
            <tr>
              <th>Time</th>
              {columns.map((c) => (
                <th key={c.field}>{c.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td className="mono">{new Date(e.at).toLocaleTimeString()}</td>
                {columns.map((c) => (
                  <td key={c.field} className={c.field === 'id' || c.field === 'target' ? 'mono' : ''} title={e.fields[c.field]}>
                    {e.fields[c.field] ?? ''}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
