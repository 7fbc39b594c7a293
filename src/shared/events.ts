import type { ConnectionStatus, HealthSnapshot } from './model/health';
import type { QueueSummary } from './model/task';

/** Everything main pushes to the UI without being asked. */
export type AppEvent =
  | { type: 'connection.status'; status: ConnectionStatus }
  | { type: 'health'; snapshot: HealthSnapshot }
  | { type: 'queues'; profileId: string; queues: QueueSummary[] }
  | { type: 'profiles.changed' };

export type AppEventListener = (event: AppEvent) => void;
