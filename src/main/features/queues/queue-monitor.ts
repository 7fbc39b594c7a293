import type { QueueService } from './queue-service';
import type { EventBus } from '../../event-bus';
import type { ConnectionManager } from '../../redis/connection-manager';
import { SessionBeat } from '../../redis/session-beat';

/** Pushes every connected profile's queue counts and per-minute figures on a fixed beat. */
export class QueueMonitor {
  private readonly beat: SessionBeat<object>;

  constructor(connections: ConnectionManager, queues: QueueService, bus: EventBus, intervalMs = 2000) {
    this.beat = new SessionBeat<object>(
      connections,
      {
        start: () => ({}),
        tick: async (session, watch) => {
          const summaries = await queues.summaries(session);
          if (this.beat.isCurrent(session.profile.id, watch))
            bus.emit({ type: 'queues', profileId: session.profile.id, queues: summaries });
        },
      },
      intervalMs,
    );
  }

  stopAll(): void {
    this.beat.stopAll();
  }
}
