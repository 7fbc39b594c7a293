import type { QueueSummary } from '../../../../shared/model/task';
import { queueAction, type AskQueueAction, type QueuePayload } from './queue-action';
import type { TaskListState } from './queues-store';

interface Props {
  queue: QueueSummary;
  listState: TaskListState;
  production: boolean;
  busy: boolean;
  ask: AskQueueAction;
}

/** The queue's lifetime figures and its bulk actions. */
export function QueueHeader({ queue: q, listState, production, busy, ask }: Props) {
  const act = (payload: QueuePayload, body: string): void => ask(queueAction(payload, body, production));
  const inList = q.counts[listState];
  return (
    <header className="page-head">
      <div>
        <h2>{q.name} {q.counts.paused && <span className="tag tag-warn">paused</span>}</h2>
        <div className="muted">lifetime: {q.counts.lifetime.enqueued} enqueued · {q.counts.lifetime.completed} completed · {q.counts.lifetime.retried} retried · {q.counts.lifetime.stalled} stalled · {q.counts.lifetime.dead} dead</div>
      </div>
      <div className="inline">
        {q.counts.paused
          ? <button type="button" className="btn" disabled={busy} onClick={() => act({ action: 'resume', label: 'Resume' }, `Resume handing out tasks of ${q.name}.`)}>Resume</button>
          : <button type="button" className="btn" disabled={busy} onClick={() => act({ action: 'pause', label: 'Pause' }, `Stop handing out tasks of ${q.name}; running tasks finish.`)}>Pause</button>}
        <button type="button" className="btn" disabled={busy || q.counts.dead === 0} onClick={() => act({ action: 'retryAll', label: 'Retry all dead' }, `Move all ${q.counts.dead} dead tasks of ${q.name} back to waiting with a fresh attempt budget.`)}>Retry all dead</button>
        {listState !== 'active' && (
          <button type="button" className="btn btn-ghost-danger" disabled={busy || inList === 0} onClick={() => act({ action: 'purge', label: `Purge ${listState}`, state: listState }, `Delete all ${inList} ${listState} tasks of ${q.name}. This cannot be undone.`)}>Purge {listState}</button>
        )}
      </div>
    </header>
  );
}
