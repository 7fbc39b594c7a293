import type { DeclaredProfile } from '../../../../shared/contract/op';
import type { TaskDetail } from '../../../../shared/model/task';
import { formatAge } from '../../components/format';
import { refusedProps } from '../../components/guard-button';
import { queueGuard } from './queue-action';

const when = (ms: number | undefined): string =>
  ms ? `${new Date(ms).toLocaleTimeString()} (${formatAge(new Date(ms).toISOString())} ago)` : '—';

interface Props {
  task: TaskDetail;
  queue: string;
  profile: DeclaredProfile;
  onAction(action: 'retry' | 'promote' | 'cancel'): void;
  onClose(): void;
}

export function TaskDetailPanel({ task, queue, profile, onAction, onClose }: Props) {
  const timeline: [string, number | undefined][] = [
    ['created', task.createdAt],
    ['ready', task.readyAt],
    ['due', task.runAt],
    ['started', task.startedAt],
    ['finished', task.finishedAt],
  ];
  return (
    <aside className="task-detail" aria-label="Task detail" data-testid="task-detail">
      <header className="panel-head">
        <h3 className="mono">{task.id}</h3>
        <button type="button" className="btn btn-small" onClick={onClose} aria-label="Close task">
          ✕
        </button>
      </header>
      <div className="task-meta">
        <span className={`state state-${task.state}`} data-testid="task-state">
          {task.state}
        </span>
        <span>
          attempt {task.attempts} of {task.maxAttempts}
        </span>
        <span>priority {task.priority}</span>
        {task.requires.length > 0 && <span>needs {task.requires.join(', ')}</span>}
        {task.holder && (
          <span>
            held by <code>{task.holder}</code>
          </span>
        )}
      </div>
      <TaskActions task={task} queue={queue} profile={profile} onAction={onAction} />
      <h4>Timeline</h4>
      <dl className="timeline">
        {timeline
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{when(v)}</dd>
            </div>
          ))}
      </dl>
      {task.error && (
        <>
          <h4>Last error</h4>
          <pre className="error-box">{task.error}</pre>
        </>
      )}
      <h4>Payload</h4>
      <pre className="json">{JSON.stringify(task.data, null, 2)}</pre>
      {task.result !== undefined && task.result !== null && (
        <>
          <h4>Result</h4>
          <pre className="json">{JSON.stringify(task.result, null, 2)}</pre>
        </>
      )}
      {task.progress !== undefined && (
        <>
          <h4>Progress</h4>
          <pre className="json">{JSON.stringify(task.progress)}</pre>
        </>
      )}
      <h4>
        Attempts <span className="count">{task.history.length}</span>
      </h4>
      <Attempts history={task.history} />
    </aside>
  );
}

/** What can be done to the task in its state, each refused with main's reason where it would be. */
function TaskActions({ task, queue, profile, onAction }: Omit<Props, 'onClose'>) {
  const refused = (action: 'retry' | 'promote' | 'cancel') => refusedProps(queueGuard(profile, action, queue));
  return (
    <div className="task-actions">
      {task.state === 'dead' && (
        <button type="button" className="btn btn-small btn-primary" {...refused('retry')} onClick={() => onAction('retry')}>
          Retry
        </button>
      )}
      {task.state === 'delayed' && (
        <button type="button" className="btn btn-small" {...refused('promote')} onClick={() => onAction('promote')}>
          Run now
        </button>
      )}
      {['waiting', 'delayed', 'active'].includes(task.state) && (
        <button type="button" className="btn btn-small btn-ghost-danger" {...refused('cancel')} onClick={() => onAction('cancel')}>
          Cancel
        </button>
      )}
    </div>
  );
}

/** Each failed attempt: its error, where it ran, and its stack. */
function Attempts({ history }: { history: TaskDetail['history'] }) {
  return history.length === 0 ? (
    <p className="muted">No failed attempts.</p>
  ) : (
    <ol className="attempts">
      {history.map((h, i) => (
        <li key={i}>
          <div>
            <strong>#{h.attempt}</strong> <span className="error-text">{h.error}</span>{' '}
            <span className="muted">
              {h.holder ? `on ${h.holder}` : ''} · {new Date(h.at).toLocaleTimeString()}
            </span>
          </div>
          {h.stack && <pre className="stack">{h.stack}</pre>}
        </li>
      ))}
    </ol>
  );
}
