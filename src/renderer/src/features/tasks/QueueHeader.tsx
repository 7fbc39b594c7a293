import type { DeclaredProfile } from '../../../../shared/contract/op';
import type { QueueAction, QueueSummary } from '../../../../shared/model/task';
import { refusedProps } from '../../components/guard-button';
import { queueAction, queueGuard, type AskQueueAction, type QueuePayload } from './queue-action';
import type { TaskListState } from './queues-store';

interface Props {
  queue: QueueSummary;
  listState: TaskListState;
  profile: DeclaredProfile;
  busy: boolean;
  ask: AskQueueAction;
}

/** The queue's lifetime figures and its bulk actions. */
export function QueueHeader({ queue: q, listState, profile, busy, ask }: Props) {
  const act = (payload: QueuePayload, body: string): void => ask(queueAction(payload, body, profile, q.name));
  // A refusal wins over the other reasons a button is off, so its tooltip says why.
  const button = (action: QueueAction, off: boolean) => {
    const refused = refusedProps(queueGuard(profile, action, q.name));
    return { ...refused, disabled: refused.disabled ?? (busy || off) };
  };
  const inList = q.counts[listState];
  return (
    <header className="page-head">
      <div>
        <h2>
          {q.name} {q.counts.paused && <span className="tag tag-warn">paused</span>}
        </h2>
        <div className="muted">
          lifetime: {q.counts.lifetime.enqueued} enqueued · {q.counts.lifetime.completed} completed · {q.counts.lifetime.retried} retried ·{' '}
          {q.counts.lifetime.stalled} stalled · {q.counts.lifetime.dead} dead
        </div>
      </div>
      <div className="inline">
        {q.counts.paused ? (
          <button
            type="button"
            className="btn"
            {...button('resume', false)}
            onClick={() => act({ action: 'resume', label: 'Resume' }, `Resume handing out tasks of ${q.name}.`)}
          >
            Resume
          </button>
        ) : (
          <button
            type="button"
            className="btn"
            {...button('pause', false)}
            onClick={() => act({ action: 'pause', label: 'Pause' }, `Stop handing out tasks of ${q.name}; running tasks finish.`)}
          >
            Pause
          </button>
        )}
        <button
          type="button"
          className="btn"
          {...button('retryAll', q.counts.dead === 0)}
          onClick={() =>
            act(
              { action: 'retryAll', label: 'Retry all dead' },
              `Move all ${q.counts.dead} dead tasks of ${q.name} back to waiting with a fresh attempt budget.`,
            )
          }
        >
          Retry all dead
        </button>
        {listState !== 'active' && (
          <button
            type="button"
            className="btn btn-ghost-danger"
            {...button('purge', inList === 0)}
            onClick={() =>
              act(
                { action: 'purge', label: `Purge ${listState}`, state: listState },
                `Delete all ${inList} ${listState} tasks of ${q.name}. This cannot be undone.`,
              )
            }
          >
            Purge {listState}
          </button>
        )}
      </div>
    </header>
  );
}
