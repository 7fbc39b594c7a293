import { useCallback } from 'react';
import { StreamPanel } from '../../components/StreamPanel';
import { useQueues } from './queues-store';

/** The queue's newest transitions and the operator's newest actions on it, reloaded when counts move. */
export function QueueStreams({ profileId, queue, version }: { profileId: string; queue: string; version: string }) {
  const { recentEvents, recentActions } = useQueues.getState();
  const loadEvents = useCallback(() => recentEvents(profileId, queue, 15), [profileId, queue, recentEvents]);
  const loadAudit = useCallback(() => recentActions(profileId, queue, 15), [profileId, queue, recentActions]);
  return (
    <div className="charts-2">
      <StreamPanel title="Recent transitions" testId="queue-events" version={version} load={loadEvents} columns={[{ field: 'type', label: 'Event' }, { field: 'id', label: 'Task' }, { field: 'holder', label: 'Holder' }, { field: 'error', label: 'Error' }]} />
      <StreamPanel title="Operator actions" testId="audit" version={version} load={loadAudit} columns={[{ field: 'action', label: 'Action' }, { field: 'target', label: 'Queue' }, { field: 'detail', label: 'Detail' }, { field: 'affected', label: 'Tasks' }, { field: 'profile', label: 'Profile' }]} />
    </div>
  );
}
