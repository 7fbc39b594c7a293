import { SwarmdeckError } from '../../shared/errors';
import type { HealthSnapshot } from '../../shared/model/health';
import type { EventBus } from '../event-bus';
import type { ConnectionManager, Session } from '../redis/connection-manager';
import type { SettingsStore } from '../settings-store';
import { HealthCollector } from './health-collector';

interface Watch {
  collector: HealthCollector;
  timer: NodeJS.Timeout;
  busy: boolean;
  latest?: HealthSnapshot;
}

/**
 * Samples every connected profile on a fixed beat and pushes the snapshot as an event,
 * so views update live without polling.
 */
export class HealthMonitor {
  private readonly watches = new Map<string, Watch>();

  constructor(
    connections: ConnectionManager,
    private readonly settings: SettingsStore,
    private readonly bus: EventBus,
    private readonly intervalMs = 2000,
  ) {
    connections.onOpened((session) => this.watch(session));
    connections.onClosed((profileId) => this.unwatch(profileId));
  }

  private watch(session: Session): void {
    const watch: Watch = {
      collector: new HealthCollector(session.profile, session.client),
      busy: false,
      timer: setInterval(() => void this.tick(session.profile.id), this.intervalMs),
    };
    watch.timer.unref();
    this.watches.set(session.profile.id, watch);
    void this.tick(session.profile.id);
  }

  private unwatch(profileId: string): void {
    const watch = this.watches.get(profileId);
    if (watch) clearInterval(watch.timer);
    this.watches.delete(profileId);
  }

  /** The latest snapshot, or a fresh one when none has been taken yet. */
  async snapshot(profileId: string): Promise<HealthSnapshot> {
    const watch = this.watches.get(profileId);
    if (!watch) throw new SwarmdeckError('NOT_CONNECTED', `Profile "${profileId}" is not connected; connect it first`);
    if (watch.latest) return watch.latest;
    await watch.collector.samplePing();
    return watch.collector.collect(await this.settings.thresholds());
  }

  private async tick(profileId: string): Promise<void> {
    const watch = this.watches.get(profileId);
    // A slow tick (a node timing out) must not pile up behind itself.
    if (!watch || watch.busy) return;
    watch.busy = true;
    try {
      await watch.collector.samplePing();
      const snapshot = await watch.collector.collect(await this.settings.thresholds());
      if (this.watches.get(profileId) !== watch) return;
      watch.latest = snapshot;
      this.bus.emit({ type: 'health', snapshot });
    } catch {
      // Collection tolerates node failures itself; anything else shows in the connection status.
    } finally {
      watch.busy = false;
    }
  }

  stopAll(): void {
    for (const id of [...this.watches.keys()]) this.unwatch(id);
  }
}
