import type { ConnectionStatus, HealthSnapshot } from './model/health';

/** Everything main pushes to the UI without being asked. */
export type AppEvent =
  | { type: 'connection.status'; status: ConnectionStatus }
  | { type: 'health'; snapshot: HealthSnapshot }
  | { type: 'profiles.changed' };

export type AppEventListener = (event: AppEvent) => void;
