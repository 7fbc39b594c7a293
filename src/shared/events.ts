import type { ConnectionStatus, HealthSnapshot } from './model/health';
import type { JobView } from './model/job';
import type { AlertView } from './model/metrics';
import type { MessageView, SwarmDetail, SwarmSource } from './model/swarm';
import type { QueueSummary, StreamEntry } from './model/task';

/** Which watched swarm a pushed swarm event belongs to. */
interface SwarmRef {
  profileId: string;
  swarmId: string;
  source: SwarmSource;
}

/** Everything main pushes to the UI without being asked. */
export type AppEvent =
  | { type: 'connection.status'; status: ConnectionStatus }
  | { type: 'health'; snapshot: HealthSnapshot }
  | { type: 'queues'; profileId: string; queues: QueueSummary[] }
  | { type: 'profiles.changed' }
  /** An alert fired, resolved or was acknowledged; `firing` is how many fire now (the badge). */
  | { type: 'alerts'; profileId: string; alert: AlertView; firing: number }
  /** A long-running job started, moved on, or finished. */
  | { type: 'job'; job: JobView }
  | ({ type: 'swarm.detail'; detail: SwarmDetail } & SwarmRef)
  /** New entries of the swarm's event stream, oldest first, continuing the watch's backfill. */
  | ({ type: 'swarm.events'; entries: StreamEntry[] } & SwarmRef)
  /** Messages sent since the watch started, oldest first. */
  | ({ type: 'swarm.messages'; messages: MessageView[] } & SwarmRef);

export type AppEventListener = (event: AppEvent) => void;
