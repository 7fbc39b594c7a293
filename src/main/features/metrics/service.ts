import { systemClock, type Clock } from '../../../shared/clock';
import {
  PERCENTILE_RELATIVE_ERROR,
  type AlertRule,
  type AlertView,
  type MetricsQueryResult,
  type MetricsRetention,
  type MetricsUsage,
  type SeriesInfo,
  type Tags,
} from '../../../shared/model/metrics';
import type { Profile } from '../../../shared/model/profile';
import type { EventBus } from '../../event-bus';
import type { ConnectionManager } from '../../redis/connection-manager';
import { metricSeriesKeys, metricsRegistryKey } from '../../redis/keyspace';
import { SessionBeat } from '../../redis/session-beat';
import type { SettingsStore } from '../../settings-store';
import type { SwarmService } from '../swarms/swarm-service';
import { AlertEvaluator } from './alert-evaluator';
import { AlertRuleStore } from './alert-rules';
import { collectOwn, noteHealth, noteQueues, type Collector } from './builtin-series';
import { toBucket } from './histogram';
import { METRIC_LIMITS, Metrics, retentionOf } from './metrics';
import { readRange, type RangeQuery } from './query';
import { metricsFootprint, ownFootprint } from './usage';

export interface MetricsServiceOptions {
  home: string;
  connections: ConnectionManager;
  bus: EventBus;
  settings: SettingsStore;
  swarms: SwarmService;
  clock?: Clock;
  intervalMs?: number;
  retention?: Partial<MetricsRetention>;
  /** Collect the built-in series and evaluate rules on the beat (see `ServiceOptions.collectMetrics`). */
  collect: boolean;
}

/**
 * Metrics in main: the built-in series collected while a profile is connected, queries,
 * usage, and alert rules evaluated on the same beat. Health and queue figures come from the
 * events their monitors already push (no second INFO or queue read); Redis counters the
 * health snapshot lacks, swarms and the alert evaluation run on this feature's own beat.
 */
export class MetricsService {
  private readonly beat: SessionBeat<Collector>;
  private readonly rulesStore: AlertRuleStore;
  private readonly evaluator: AlertEvaluator;
  private readonly clock: Clock;
  private readonly retention: MetricsRetention;
  private readonly recorders = new Map<string, Metrics>();

  constructor(private readonly o: MetricsServiceOptions) {
    this.clock = o.clock ?? systemClock;
    this.retention = retentionOf(o.retention);
    this.rulesStore = new AlertRuleStore(o.home, () => o.settings.thresholds());
    this.evaluator = new AlertEvaluator({ connections: o.connections, rules: this.rulesStore, bus: o.bus, clock: this.clock });
    this.beat = new SessionBeat<Collector>(
      o.connections,
      {
        start: (session) => {
          const recorder =
            this.notCollecting(session.profile) === undefined
              ? new Metrics(session.client, { prefix: session.profile.keyPrefix, clock: this.clock, retention: this.retention })
              : undefined;
          if (recorder) this.recorders.set(session.profile.id, recorder);
          return { recorder, counters: new Map() };
        },
        tick: async (session, collector) => {
          if (!collector.recorder) return;
          await collectOwn(session, collector, o.swarms, this.clock.now());
          await this.evaluator.evaluate(session.profile.id);
        },
      },
      o.intervalMs ?? 2000,
    );
    o.connections.onClosed((profileId) => {
      this.evaluator.forget(profileId);
      this.recorders.get(profileId)?.stop();
      this.recorders.delete(profileId);
    });
    o.bus.subscribe((event) => {
      if (event.type === 'health') noteHealth(this.beat.state(event.snapshot.profileId), event.snapshot);
      else if (event.type === 'queues') noteQueues(this.beat.state(event.profileId), event.queues, this.clock.now());
    });
  }

  /** The recorder main writes a connected profile's built-in series with (none when read-only). */
  recorder(profileId: string): Metrics | undefined {
    return this.beat.state(profileId)?.recorder;
  }

  async query(profileId: string, q: RangeQuery): Promise<MetricsQueryResult> {
    const session = this.o.connections.session(profileId);
    const buckets = await readRange(session.client, session.profile.keyPrefix, q);
    return {
      series: q.series,
      tags: q.tags ?? {},
      resolution: q.resolution,
      from: q.from,
      to: q.to,
      buckets: [...buckets].map(([start, agg]) => toBucket(start, agg)),
      percentileRelativeError: PERCENTILE_RELATIVE_ERROR,
    };
  }

  async series(profileId: string): Promise<SeriesInfo[]> {
    const session = this.o.connections.session(profileId);
    const prefix = session.profile.keyPrefix;
    // Bounded by the series cap, as each tag hash is by the cardinality cap.
    const names = (await session.client.hkeys(metricsRegistryKey(prefix))).sort();
    const tagHashes = await Promise.all(names.map((name) => session.client.hvals(metricSeriesKeys(prefix, name).tags)));
    return names.map((series, i) => ({ series, tagSets: (tagHashes[i] ?? []).map((json) => JSON.parse(json) as Tags) }));
  }

  async usage(profileId: string): Promise<MetricsUsage> {
    const session = this.o.connections.session(profileId);
    const series = await this.series(profileId);
    const footprint = await metricsFootprint(session);
    const reason = this.notCollecting(session.profile);
    return {
      profileId,
      collecting: reason === undefined,
      ...(reason === undefined ? {} : { reason }),
      series: series.length,
      tagSets: series.reduce((n, s) => n + s.tagSets.length, 0),
      ...footprint,
      retention: this.retention,
      limits: { ...METRIC_LIMITS },
      own: await ownFootprint(session, footprint),
    };
  }

  /** Why this host writes no built-in series into the profile's Redis, as a sentence; undefined when it does. */
  private notCollecting(profile: Profile): string | undefined {
    if (profile.readOnly)
      return `Profile "${profile.name}" is read-only: Swarmdeck writes no metrics into its Redis (agents may still record their own)`;
    if (profile.recordMetrics === false)
      return `Recording metrics is switched off for profile "${profile.name}": Swarmdeck writes no series of its own into its Redis (agents may still record theirs)`;
    if (!this.o.collect) return 'This host does not collect metrics (only the desktop app and the web host do)';
    return undefined;
  }

  // ---- Alerts ----

  rules(profileId: string): Promise<AlertRule[]> {
    return this.rulesStore.rules(profileId);
  }

  setRule(profileId: string, rule: Parameters<AlertRuleStore['set']>[1]): Promise<AlertRule> {
    return this.rulesStore.set(profileId, rule);
  }

  async deleteRule(profileId: string, id: string): Promise<{ deleted: boolean }> {
    const deleted = await this.rulesStore.delete(profileId, id);
    this.evaluator.forgetRule(profileId, id);
    return { deleted };
  }

  alerts(profileId: string, count: number): Promise<AlertView[]> {
    return this.evaluator.alerts(profileId, count);
  }

  ack(profileId: string, id: string): Promise<AlertView> {
    return this.evaluator.ack(profileId, id);
  }

  /** One pass of the alert evaluator (the beat runs one per tick); the alerts that changed state. */
  evaluate(profileId: string): Promise<AlertView[]> {
    return this.evaluator.evaluate(profileId);
  }

  stopAll(): void {
    for (const recorder of this.recorders.values()) recorder.stop();
    this.recorders.clear();
    this.beat.stopAll();
  }
}
