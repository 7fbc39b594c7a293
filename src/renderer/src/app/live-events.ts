import { transport } from '../transport';
import { useConnections } from '../features/connections/connections-store';
import { useHealth } from '../features/overview/health-store';
import { useProfiles } from '../features/connections/profiles-store';
import { useQueues } from '../features/tasks/queues-store';
import { useSwarms } from '../features/swarms/swarms-store';
import { notifyCritical } from '../features/analytics/alert-notifications';
import { useAlerts } from '../features/analytics/alerts-store';
import { useJobs } from './jobs-store';

/** Routes every pushed event to the store of its area. */
export function startLiveEvents(): () => void {
  return transport.subscribe((event) => {
    switch (event.type) {
      case 'connection.status':
        useConnections.getState().apply(event.status);
        break;
      case 'health':
        useHealth.getState().apply(event.snapshot);
        break;
      case 'queues':
        useQueues.getState().apply(event.profileId, event.queues);
        break;
      case 'swarm.detail':
      case 'swarm.events':
      case 'swarm.messages':
        useSwarms.getState().applyPushed(event);
        break;
      case 'alerts':
        // The badge's count and the list, and a desktop notification whichever page is open.
        useAlerts.getState().apply(event.profileId, event.alert, event.firing);
        notifyCritical(event.alert);
        break;
      case 'job':
        useJobs.getState().apply(event.job);
        break;
      case 'profiles.changed':
        void useProfiles.getState().load();
        break;
    }
  });
}
