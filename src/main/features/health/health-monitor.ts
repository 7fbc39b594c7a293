import { SwarmdeckError } from '../../../shared/errors';
import type { HealthSnapshot } from '../../../shared/model/health';
import type { EventBus } from '../../event-bus';
import type { ConnectionManager } from '../../redis/connection-manager';
import type { SettingsStore } from '../../settings-store';
import { HealthCollector } from './health-collector';
import { SessionBeat } from '../../redis/session-beat';

interface Watch {
  collector: HealthCollector;
  latest?: HealthSnapshot;
}

/**
 * Samples every connected profile on a fixed beat and pushes the snapshot as an event,
 * so views update live without polling.
 */
export class HealthMonitor {
  private readonly beat: SessionBeat<Watch>;

  constructor(
    connections: ConnectionManager,
    private readonly settings: SettingsStore,
    bus: EventBus,
    intervalMs = 2000,
  ) {
    this.beat = new SessionBeat<Watch>(
      connections,
      {
        start: (session) => ({ collector: new HealthCollector(session.profile, session.client) }),
        tick: async (session, watch) => {
          await watch.collector.samplePing();
          const snapshot = await watch.collector.collect(await this.settings.thresholds());
          if (!this.beat.isCurrent(session.profile.id, watch)) return;
          watch.latest = snapshot;
          bus.emit({ type: 'health', snapshot });
        },
      },
      intervalMs,
    );
  }

  /** The latest snapshot, or a fresh one when none has been taken yet. */
  async snapshot(profileId: string): Promise<HealthSnapshot> {
    const watch = this.beat.state(profileId);
    if (!watch) throw new SwarmdeckError('NOT_CONNECTED', `Profile "${profileId}" is not connected; connect it first`);
    if (watch.latest) return watch.latest;
    await watch.collector.samplePing();
    return watch.collector.collect(await this.settings.thresholds());
  }

  stopAll(): void {
    this.beat.stopAll();
  }
}
