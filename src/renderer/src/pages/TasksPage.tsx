import { useCallback, useEffect, useMemo, useState } from 'react';
import { SwarmdeckError } from '../../../shared/errors';
import type { QueueAction, QueueSummary } from '../../../shared/model/task';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { formatAge } from '../components/format';
import { ThroughputChart, TimingChart } from '../components/QueueCharts';
import { Sparkline } from '../components/Sparkline';
import { StreamPanel } from '../components/StreamPanel';
import { TaskDetailPanel } from '../components/TaskDetailPanel';
import { isLive, useConnections } from '../stores/connections-store';
import { useProfiles } from '../stores/profiles-store';
import { PAGE_SIZE, useQueues, type TaskListState } from '../stores/queues-store';
import { useUi } from '../stores/ui-store';

const STATES: TaskListState[] = ['waiting', 'delayed', 'active', 'finished', 'dead'];
const countOf = (q: QueueSummary, s: TaskListState): number => q.counts[s];

interface Pending {
  action: QueueAction;
  label: string;
  body: string;
  id?: string;
  state?: 'waiting' | 'delayed' | 'finished' | 'dead';
}

export function TasksPage() {
  const activeId = useConnections((s) => s.activeId);
  const status = useConnections((s) => (s.activeId ? s.statuses[s.activeId] : undefined));
  const profile = useProfiles((s) => s.profiles.find((p) => p.id === activeId));
  const queues = useQueues((s) => (activeId ? s.byProfile[activeId] : undefined));
  const { selected, listState, offset, tasks, task } = useQueues();
  const { select, setListState, setOffset, loadTasks, openTask, closeTask, act } = useQueues.getState();
  const go = useUi((s) => s.go);
  const [filter, setFilter] = useState('');
  const [search, setSearch] = useState('');
  const [pending, setPending] = useState<Pending | undefined>();
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>();
  const current = queues?.find((q) => q.name === selected);
  const version = current ? JSON.stringify(current.counts) : '';

  // Reload the visible page when its queue's counts move (pushed by main every beat).
  useEffect(() => {
    if (activeId && selected) void loadTasks(activeId).catch(() => undefined);
  }, [activeId, selected, listState, offset, version, loadTasks]);

  const { recentEvents, recentActions } = useQueues.getState();
  // `selected` is read by recentEvents; it is a dependency so the panel reloads on a new queue.
  const loadEvents = useCallback(() => (activeId && selected ? recentEvents(activeId, 15) : Promise.resolve([])), [activeId, selected, recentEvents]);
  const loadAudit = useCallback(() => (activeId ? recentActions(activeId, 15) : Promise.resolve([])), [activeId, recentActions]);
  const shown = useMemo(() => (queues ?? []).filter((q) => q.name.toLowerCase().includes(filter.toLowerCase())), [queues, filter]);

  if (!profile || !activeId || !isLive(status)) {
    return (
      <div className="page empty-page">
        <h2>No live connection</h2>
        <p className="muted">Connect a profile to see its task queues.</p>
        <button type="button" className="btn btn-primary" onClick={() => go('connections')}>Go to connections</button>
      </div>
    );
  }

  const run = async (p: Pending, confirm?: string): Promise<void> => {
    setPending(undefined);
    try {
      const affected = await act(activeId, p.action, { ...(p.id ? { id: p.id } : {}), ...(p.state ? { state: p.state } : {}), ...(confirm ? { confirm } : {}) });
      setNotice({ kind: 'ok', text: `${p.label}: ${affected} task${affected === 1 ? '' : 's'}` });
    } catch (error) {
      setNotice({ kind: 'error', text: error instanceof SwarmdeckError || error instanceof Error ? error.message : String(error) });
    }
  };
  const production = profile.environment === 'production';
  const ask = (p: Pending): void => {
    const destructive = p.action === 'purge' || p.action === 'retryAll' || p.action === 'cancel';
    if (destructive || production) setPending(p);
    else void run(p);
  };

  return (
    <div className="page tasks-page">
      <aside className="queue-list" aria-label="Queues">
        <input className="search" placeholder="Filter queues" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter queues" />
        {queues === undefined && <p className="muted">Loading queues…</p>}
        {queues?.length === 0 && <p className="muted">No queues yet. Enqueue with the SDK or <code>swarmdeck queue enqueue NAME --data JSON</code>.</p>}
        {shown.map((q) => (
          <button type="button" key={q.name} className={`queue-item${q.name === selected ? ' active' : ''}`} onClick={() => select(q.name)} data-testid={`queue-${q.name}`}>
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
      <main className="queue-main">
        {!current ? (
          <div className="detail-hint"><h3>Task queues</h3><p className="muted">Pick a queue to see its flow, its tasks and their attempts.</p></div>
        ) : (
          <>
            <header className="page-head">
              <div>
                <h2>{current.name} {current.counts.paused && <span className="tag tag-warn">paused</span>}</h2>
                <div className="muted">lifetime: {current.counts.lifetime.enqueued} enqueued · {current.counts.lifetime.completed} completed · {current.counts.lifetime.retried} retried · {current.counts.lifetime.stalled} stalled · {current.counts.lifetime.dead} dead</div>
              </div>
              <div className="inline">
                {current.counts.paused
                  ? <button type="button" className="btn" onClick={() => ask({ action: 'resume', label: 'Resume', body: `Resume handing out tasks of ${current.name}.` })}>Resume</button>
                  : <button type="button" className="btn" onClick={() => ask({ action: 'pause', label: 'Pause', body: `Stop handing out tasks of ${current.name}; running tasks finish.` })}>Pause</button>}
                <button type="button" className="btn" disabled={current.counts.dead === 0} onClick={() => ask({ action: 'retryAll', label: 'Retry all dead', body: `Move all ${current.counts.dead} dead tasks of ${current.name} back to waiting with a fresh attempt budget.` })}>Retry all dead</button>
                {listState !== 'active' && (
                  <button type="button" className="btn btn-ghost-danger" disabled={countOf(current, listState) === 0} onClick={() => ask({ action: 'purge', label: `Purge ${listState}`, state: listState as Pending['state'], body: `Delete all ${countOf(current, listState)} ${listState} tasks of ${current.name}. This cannot be undone.` })}>Purge {listState}</button>
                )}
              </div>
            </header>
            {notice && <div className={`notice notice-${notice.kind}`} role="status">{notice.text}</div>}
            <div className="kpis kpis-5">
              {STATES.map((s) => (
                <button type="button" key={s} className={`kpi kpi-button${s === listState ? ' kpi-selected' : ''}${s === 'dead' && current.counts.dead > 0 ? ' kpi-bad' : ''}`} onClick={() => setListState(s)} data-testid={`count-${s}`}>
                  <div className="kpi-label">{s}</div>
                  <div className="kpi-value">{countOf(current, s).toLocaleString()}</div>
                </button>
              ))}
            </div>
            <div className="charts-2">
              <section className="panel"><header className="panel-head"><h3>Throughput</h3><span className="muted">per minute, last 30</span></header><ThroughputChart minutes={current.minutes} /></section>
              <section className="panel"><header className="panel-head"><h3>Wait and processing time</h3><span className="muted">average per minute</span></header><TimingChart minutes={current.minutes} /></section>
            </div>
            <section className="panel">
              <header className="panel-head">
                <h3>{listState} tasks</h3>
                <form className="inline" onSubmit={(e) => (e.preventDefault(), void openTask(activeId, search.trim()).catch((error: Error) => setNotice({ kind: 'error', text: error.message })))}>
                  <input className="search" placeholder="Find task by id" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Find task by id" />
                </form>
              </header>
              <table className="data-table" data-testid="task-table">
                <thead><tr><th>Task</th><th>State</th><th className="num">Priority</th><th className="num">Attempts</th><th>Holder</th><th>Since</th><th>Error</th></tr></thead>
                <tbody>
                  {tasks.map((t) => (
                    <tr key={t.id} className="clickable" onClick={() => void openTask(activeId, t.id)}>
                      <td className="mono">{t.id}</td>
                      <td><span className={`state state-${t.state}`}>{t.state}</span></td>
                      <td className="num">{t.priority}</td>
                      <td className="num">{t.attempts}/{t.maxAttempts}</td>
                      <td className="mono">{t.holder ?? '—'}</td>
                      <td>{formatAge(new Date(t.finishedAt ?? t.startedAt ?? t.readyAt ?? t.createdAt).toISOString())}</td>
                      <td className="error-text ellipsis">{t.error ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {tasks.length === 0 && <p className="muted">No {listState} tasks.</p>}
              <div className="pager">
                <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset(offset - PAGE_SIZE)}>← Newer</button>
                <span className="muted">{countOf(current, listState) === 0 ? 0 : offset + 1}–{Math.min(offset + PAGE_SIZE, countOf(current, listState))} of {countOf(current, listState).toLocaleString()}</span>
                <button type="button" className="btn btn-small" disabled={offset + PAGE_SIZE >= countOf(current, listState)} onClick={() => setOffset(offset + PAGE_SIZE)}>Older →</button>
              </div>
            </section>
            <div className="charts-2">
              <StreamPanel title="Recent transitions" testId="queue-events" version={version} load={loadEvents} columns={[{ field: 'type', label: 'Event' }, { field: 'id', label: 'Task' }, { field: 'holder', label: 'Holder' }, { field: 'error', label: 'Error' }]} />
              <StreamPanel title="Operator actions" testId="audit" version={version} load={loadAudit} columns={[{ field: 'action', label: 'Action' }, { field: 'target', label: 'Queue' }, { field: 'detail', label: 'Detail' }, { field: 'affected', label: 'Tasks' }, { field: 'profile', label: 'Profile' }]} />
            </div>
          </>
        )}
      </main>
      {task && <TaskDetailPanel task={task} onClose={closeTask} onAction={(action) => ask({ action, id: task.id, label: action === 'retry' ? 'Retry' : action === 'promote' ? 'Run now' : 'Cancel', body: `${action} task ${task.id} of ${selected}.` })} />}
      {pending && (
        <ConfirmDialog
          title={`${pending.label}?`}
          body={pending.body}
          confirmLabel={pending.label}
          danger={pending.action === 'purge' || pending.action === 'cancel'}
          typedConfirmation={production ? selected : undefined}
          onCancel={() => setPending(undefined)}
          onConfirm={() => void run(pending, production ? selected : undefined)}
        />
      )}
    </div>
  );
}
