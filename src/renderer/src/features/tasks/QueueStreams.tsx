import { useCallback } from 'react';
import { StreamPanel } from '../../components/StreamPanel';
import { useQueues } from './queues-store';

/** The queue's newest transitions and the operator's newest actions on it, reloaded when counts move. */
export function QueueStreams({ profileId, queue, version }: { profileId: string; queue: string; version: string }) {
  const { recentEvents, recentActions } = useQueues.getState();
  const loadEvents = useCallback(() => recentEvents(profileId, queue, 15), [profileId, queue, recentEvents]);
  const loadAudit = useCallback(() => recentActions(profileId, queue, 15), [profileId, queue, recentActions]);
  return (
    <div className="streams-2">
      <StreamPanel
        title="Recent transitions"
        testId="queue-events"
        version={version}
        load={loadEvents}
        columns={[
          { field: 'type', label: 'Event', width: '78px' },
          { field: 'id', label: 'Task', width: '34%' },
          { field: 'holder', label: 'Holder', width: '18%' },
          { field: 'error', label: 'Error' },
        ]}
      />
      <StreamPanel
        title="Operator actions"
        testId="audit"
        version={version}
        load={loadAudit}
        columns={[
          { field: 'action', label: 'Action', width: '22%' },
          { field: 'target', label: 'Queue', width: '22%' },
          { field: 'detail', label: 'Detail' },
          { field: 'affected', label: 'Tasks', width: '52px' },
          { field: 'profile', label: 'Profile', width: '16%' },
        ]}
      />
    </div>
  );
}
