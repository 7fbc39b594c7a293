import type { QueueSummary } from '../../../../shared/model/task';
import { TASK_LIST_STATES, useQueues, type TaskListState } from './queues-store';
import { FINISHED_KEPT } from './task-page';

/** One figure per state; a click lists that state's tasks. */
export function StateCounts({ queue, listState }: { queue: QueueSummary; listState: TaskListState }) {
  return (
    <div className="kpis kpis-5">
      {TASK_LIST_STATES.map((s) => (
        <button
          type="button"
          key={s}
          className={`kpi kpi-button${s === listState ? ' kpi-selected' : ''}${s === 'dead' && queue.counts.dead > 0 ? ' kpi-bad' : ''}`}
          onClick={() => useQueues.getState().setListState(s)}
          data-testid={`count-${s}`}
        >
          <div className="kpi-label">{s}</div>
          <div className="kpi-value">{queue.counts[s].toLocaleString()}</div>
          {s === 'finished' && <div className="kpi-sub">newest {FINISHED_KEPT.toLocaleString()} kept (24 h)</div>}
        </button>
      ))}
    </div>
  );
}
