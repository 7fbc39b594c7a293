import { useEffect, useState } from 'react';
import type { LiveConnection } from '../../app/page';
import { NoticeBar, type Notice } from '../../components/notice';
import { CfnQueuePanel } from './CfnQueuePanel';
import { queueAction } from './queue-action';
import { QueueFlow } from './QueueFlow';
import { QueueHeader } from './QueueHeader';
import { QueueList } from './QueueList';
import { QueueStreams } from './QueueStreams';
import { useQueues } from './queues-store';
import { StateCounts } from './StateCounts';
import { TaskDetailPanel } from './TaskDetailPanel';
import { TaskTable } from './TaskTable';
import { useQueueActions } from './use-queue-actions';

export function TasksPage({ connection: { profileId, profile } }: { connection: LiveConnection }) {
  const queues = useQueues((s) => s.byProfile[profileId]);
  const selected = useQueues((s) => s.selected);
  const listState = useQueues((s) => s.listState);
  const offset = useQueues((s) => s.offset);
  const task = useQueues((s) => s.task);
  const [notice, setNotice] = useState<Notice | undefined>();
  const current = queues?.find((q) => q.name === selected);
  const version = current ? JSON.stringify(current.counts) : '';

  // Another connection has other queues: what was open here belongs to the previous one.
  useEffect(() => {
    useQueues.getState().forProfile(profileId);
  }, [profileId]);
  // Reload the visible page when its queue's counts move (pushed by main every beat).
  useEffect(() => {
    if (selected)
      void useQueues
        .getState()
        .loadTasks(profileId)
        .catch(() => undefined);
  }, [profileId, selected, listState, offset, version]);

  const actions = useQueueActions(profileId, setNotice);

  return (
    <div className="page tasks-page">
      <QueueList queues={queues} />
      <main className="queue-main">
        {!current ? (
          <>
            <div className="detail-hint">
              <h3>Task queues</h3>
              <p className="muted">Pick a queue to see its flow, its tasks and their attempts.</p>
            </div>
            <CfnQueuePanel profileId={profileId} />
          </>
        ) : (
          <>
            <QueueHeader queue={current} listState={listState} profile={profile} busy={actions.busy} ask={actions.ask} />
            <NoticeBar notice={notice} />
            <StateCounts queue={current} listState={listState} />
            <QueueFlow minutes={current.minutes} />
            <TaskTable profileId={profileId} queue={current} report={setNotice} />
            <QueueStreams profileId={profileId} queue={current.name} version={version} />
          </>
        )}
      </main>
      {task && current && (
        <TaskDetailPanel
          task={task}
          queue={current.name}
          profile={profile}
          onClose={useQueues.getState().closeTask}
          onAction={(action) =>
            actions.ask(
              queueAction(
                { action, id: task.id, label: action === 'retry' ? 'Retry' : action === 'promote' ? 'Run now' : 'Cancel' },
                `${action} task ${task.id} of ${current.name}.`,
                profile,
                current.name,
              ),
            )
          }
        />
      )}
      {actions.dialog}
    </div>
  );
}
