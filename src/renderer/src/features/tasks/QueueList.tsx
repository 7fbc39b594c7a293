import { useMemo, useState } from 'react';
import type { QueueSummary } from '../../../../shared/model/task';
import { Sparkline } from '../../components/Sparkline';
import { useQueues } from './queues-store';

/** The connection's queues with their counts; a click selects one. */
export function QueueList({ queues }: { queues: QueueSummary[] | undefined }) {
  const selected = useQueues((s) => s.selected);
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => (queues ?? []).filter((q) => q.name.toLowerCase().includes(filter.toLowerCase())), [queues, filter]);
  return (
    <aside className="queue-list" aria-label="Queues">
      <input
        className="search"
        placeholder="Filter queues"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        aria-label="Filter queues"
      />
      {queues === undefined && <p className="muted">Loading queues…</p>}
      {queues?.length === 0 && (
        <p className="muted">
          No queues yet. Enqueue with the SDK or <code>swarmdeck queue enqueue NAME --data JSON</code>.
        </p>
      )}
      {shown.map((q) => (
        <button
          type="button"
          key={q.name}
          className={`queue-item${q.name === selected ? ' active' : ''}`}
          onClick={() => useQueues.getState().select(q.name)}
          data-testid={`queue-${q.name}`}
        >
          <div className="queue-item-head">
            <strong>{q.name}</strong>
            {q.counts.paused && <span className="tag tag-warn">paused</span>}
            <Sparkline values={q.minutes.slice(-15).map((m) => m.completed)} />
          </div>
          <div className="queue-counts">
            <span title="waiting">{q.counts.waiting} waiting</span>
            <span title="active">{q.counts.active} active</span>
            {q.counts.delayed > 0 && <span>{q.counts.delayed} delayed</span>}
            {q.counts.dead > 0 && <span className="error-text">{q.counts.dead} dead</span>}
          </div>
        </button>
      ))}
    </aside>
  );
}
