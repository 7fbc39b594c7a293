import { useState } from 'react';
import type { QueueSummary, TaskDetail } from '../../../../shared/model/task';
import { formatAge } from '../../components/format';
import type { Notice } from '../../components/notice';
import { PRIORITIES } from '../../../../shared/model/task';
import { PAGE_SIZE, useQueues } from './queues-store';
import { FINISHED_KEPT, NEWEST_FIRST } from './task-page';

/** The name an operator gave (critical, high, normal, low, background); the number on hover. */
export function priorityName(priority: number): string {
  const named = Object.entries(PRIORITIES).find(([, n]) => n === priority);
  if (named) return named[0];
  const nearest = Object.entries(PRIORITIES).reduce((a, b) => (Math.abs(b[1] - priority) < Math.abs(a[1] - priority) ? b : a));
  return `≈ ${nearest[0]}`;
}

interface Props {
  profileId: string;
  queue: QueueSummary;
  report(notice: Notice): void;
}

/** One page of the selected state's tasks, newest first, and a lookup by id. */
export function TaskTable({ profileId, queue, report }: Props) {
  const listState = useQueues((s) => s.listState);
  const offset = useQueues((s) => s.offset);
  const tasks = useQueues((s) => s.tasks);
  const fresh = useQueues((s) => s.fresh);
  const gone = useQueues((s) => s.gone);
  const { openTask, setOffset, showNewest } = useQueues.getState();
  const [search, setSearch] = useState('');
  const total = queue.counts[listState];
  return (
    <section className="panel">
      <header className="panel-head">
        <h3>
          {listState} tasks{NEWEST_FIRST.has(listState) && <span className="muted"> · newest first</span>}
        </h3>
        {fresh > 0 && (
          <button type="button" className="btn btn-small btn-primary" onClick={showNewest} data-testid="tasks-fresh">
            {fresh.toLocaleString()} new ↑
          </button>
        )}
        <form
          className="inline"
          onSubmit={(e) => (
            e.preventDefault(),
            void openTask(profileId, search.trim()).catch((error: Error) => report({ kind: 'error', text: error.message }))
          )}
        >
          <input
            className="search"
            placeholder="Find task by id"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            aria-label="Find task by id"
          />
        </form>
      </header>
      {gone && (
        <div className="notice notice-error" role="status" data-testid="task-gone">
          {gone.text}
        </div>
      )}
      <TaskRows tasks={tasks} onOpen={(id) => void openTask(profileId, id)} />
      {tasks.length === 0 && <p className="muted">No {listState} tasks.</p>}
      <Pager offset={offset} total={total} finished={listState === 'finished'} setOffset={setOffset} />
    </section>
  );
}

function TaskRows({ tasks, onOpen }: { tasks: TaskDetail[]; onOpen(id: string): void }) {
  return (
    <table className="data-table task-table" data-testid="task-table">
      <thead>
        <tr>
          <th>Task</th>
          <th>State</th>
          <th>Priority</th>
          <th className="num">Attempts</th>
          <th>Holder</th>
          <th>Since</th>
          <th>Error</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((t) => (
          <tr key={t.id} className="clickable" onClick={() => onOpen(t.id)}>
            <td className="mono">{t.id}</td>
            <td>
              <span className={`state state-${t.state}`}>{t.state}</span>
            </td>
            <td title={`priority ${t.priority} (lower runs sooner)`}>{priorityName(t.priority)}</td>
            <td className="num">
              {t.attempts}/{t.maxAttempts}
            </td>
            <td className="mono ellipsis" title={t.holder}>
              {t.holder ?? '—'}
            </td>
            <td>{formatAge(new Date(t.finishedAt ?? t.startedAt ?? t.readyAt ?? t.createdAt).toISOString())}</td>
            <td className="error-text ellipsis" title={t.error}>
              {t.error ?? ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Newer and older pages of the list, and where this one is in it. */
function Pager({
  offset,
  total,
  finished,
  setOffset,
}: {
  offset: number;
  total: number;
  finished: boolean;
  setOffset(offset: number): void;
}) {
  return (
    <div className="pager">
      <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset(offset - PAGE_SIZE)}>
        ← Newer
      </button>
      <span className="muted">
        {total === 0 ? 0 : offset + 1}–{Math.min(offset + PAGE_SIZE, total)} of {total.toLocaleString()}
        {finished && ` · newest ${FINISHED_KEPT.toLocaleString()} kept`}
      </span>
      <button type="button" className="btn btn-small" disabled={offset + PAGE_SIZE >= total} onClick={() => setOffset(offset + PAGE_SIZE)}>
        Older →
      </button>
    </div>
  );
}
