import type { QueueService } from '../coordination/queue/queue-service';
import type { EventBus } from '../event-bus';
import type { ConnectionManager, Session } from '../redis/connection-manager';

/** Pushes every connected profile's queue counts and per-minute figures on a fixed beat. */
export class QueueMonitor {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly busy = new Set<string>();

  constructor(
    connections: ConnectionManager,
    private readonly queues: QueueService,
    private readonly bus: EventBus,
    private readonly intervalMs = 2000,
  ) {
    connections.onOpened((session) => this.watch(session));
    connections.onClosed((profileId) => this.unwatch(profileId));
  }

  private watch(session: Session): void {
    const id = session.profile.id;
    const timer = setInterval(() => void this.tick(session), this.intervalMs);
    timer.unref();
    this.timers.set(id, timer);
    void this.tick(session);
  }

  private unwatch(profileId: string): void {
    clearInterval(this.timers.get(profileId));
    this.timers.delete(profileId);
  }

  private async tick(session: Session): Promise<void> {
    const id = session.profile.id;
    if (this.busy.has(id)) return;
    this.busy.add(id);
    try {
      const queues = await this.queues.summaries(session);
      if (this.timers.has(id)) this.bus.emit({ type: 'queues', profileId: id, queues });
    } catch {
      // A failing read shows in the connection status and the health view.
    } finally {
      this.busy.delete(id);
    }
  }

  stopAll(): void {
    for (const id of [...this.timers.keys()]) this.unwatch(id);
  }
}
