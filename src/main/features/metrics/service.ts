import { systemClock, type Clock } from '../../../shared/clock';
import { SwarmdeckError } from '../../../shared/errors';
import type { HealthSnapshot } from '../../../shared/model/health';
import {
  PERCENTILE_RELATIVE_ERROR,
  RESOLUTIONS,
  type AlertRule,
  type AlertView,
  type MetricsQueryResult,
  type MetricsRetention,
  type MetricsUsage,
  type Resolution,
  type SeriesInfo,
  type Tags,
} from '../../../shared/model/metrics';
import type { QueueSummary } from '../../../shared/model/task';
import type { EventBus } from '../../event-bus';
import type { ConnectionManager, Session } from '../../redis/connection-manager';
import { parseInfo } from '../../redis/info';
import { alertsStreamKey, metricKeyResolution, metricSeriesKeys, metricsPattern, metricsRegistryKey } from '../../redis/keyspace';
import { nodeHandles } from '../../redis/nodes';
import { SessionBeat } from '../../redis/session-beat';
import { toEntries } from '../../redis/stream-entries';
import type { SettingsStore } from '../../settings-store';
import type { SwarmService } from '../swarms/swarm-service';
import { AlertRuleStore, breaches, clears } from './alert-rules';
import { emptyAggregate, mergeInto, toBucket } from './histogram';
import { METRIC_LIMITS, Metrics, retentionOf } from './metrics';
import { readRange, type RangeQuery } from './query';

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

interface Collector {
  /** Absent on a read-only profile: nothing is written to its Redis. */
  recorder?: Metrics;
  /** Last reading of each cumulative counter, to turn it into a rate. */
  counters: Map<string, { value: number; at: number }>;
}

interface RuleState {
  /** Since when the condition has held without firing yet. */
  pendingSince?: number;
  firing?: AlertView;
}

/** Entries of the alerts stream folded per evaluation, enough for every alert still of interest. */
const ALERT_STREAM_READ = 2000;

/**
 * Metrics in main: the built-in series collected while a profile is connected, queries,
 * usage, and alert rules evaluated on the same beat. Health and queue figures come from the
 * events their monitors already push (no second INFO or queue read); Redis counters the
 * health snapshot lacks, swarms and the alert evaluation run on this feature's own beat.
 */
export class MetricsService {
  private readonly beat: SessionBeat<Collector>;
  private readonly rulesStore: AlertRuleStore;
  private readonly clock: Clock;
  private readonly retention: MetricsRetention;
  private readonly evaluation = new Map<string, Map<string, RuleState>>();
  private readonly recorders = new Map<string, Metrics>();
  private readonly evaluating = new Map<string, Promise<unknown>>();

  constructor(private readonly o: MetricsServiceOptions) {
    this.clock = o.clock ?? systemClock;
    this.retention = retentionOf(o.retention);
    this.rulesStore = new AlertRuleStore(o.home, () => o.settings.thresholds());
    this.beat = new SessionBeat<Collector>(
      o.connections,
      {
        start: (session) => {
          const recorder =
            !o.collect || session.profile.readOnly
              ? undefined
              : new Metrics(session.client, { prefix: session.profile.keyPrefix, clock: this.clock, retention: this.retention });
          if (recorder) this.recorders.set(session.profile.id, recorder);
          return { recorder, counters: new Map() };
        },
        tick: async (session, collector) => {
          if (!collector.recorder) return;
          await this.collect(session, collector);
          await this.evaluate(session.profile.id);
        },
      },
      o.intervalMs ?? 2000,
    );
    o.connections.onClosed((profileId) => {
      this.evaluation.delete(profileId);
      this.evaluating.delete(profileId);
      this.recorders.get(profileId)?.stop();
      this.recorders.delete(profileId);
    });
    o.bus.subscribe((event) => {
      if (event.type === 'health') this.onHealth(event.snapshot);
      else if (event.type === 'queues') this.onQueues(event.profileId, event.queues);
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
    const prefix = session.profile.keyPrefix;
    const series = await this.series(profileId);
    const keysByRes: Record<Resolution, string[]> = { '1s': [], '1m': [], '1h': [] };
    const counts: Record<Resolution, number> = { '1s': 0, '1m': 0, '1h': 0 };
    let keys = 0;
    for (const node of nodeHandles(session.client, 'master')) {
      let cursor = '0';
      do {
        const [next, batch] = await node.client.scan(cursor, 'MATCH', metricsPattern(prefix), 'COUNT', 1000);
        cursor = next;
        for (const key of batch) {
          keys += 1;
          const res = metricKeyResolution(key);
          if (res === '1s' || res === '1m' || res === '1h') {
            counts[res] += 1;
            // MEMORY USAGE on every key would cost a round trip each; a sample per resolution is enough.
            if (keysByRes[res].length < 100) keysByRes[res].push(key);
          }
        }
      } while (cursor !== '0');
    }
    const bytesByResolution: Record<Resolution, number> = { '1s': 0, '1m': 0, '1h': 0 };
    for (const res of RESOLUTIONS) {
      const sample = keysByRes[res];
      if (sample.length === 0) continue;
      const sizes = await Promise.all(sample.map((key) => session.client.memory('USAGE', key) as Promise<number | null>));
      const total = sizes.reduce<number>((a, b) => a + (b ?? 0), 0);
      bytesByResolution[res] = Math.round((total / sample.length) * counts[res]);
    }
    const reason = session.profile.readOnly
      ? `Profile "${session.profile.name}" is read-only: Swarmdeck writes no metrics into its Redis (agents may still record their own)`
      : this.o.collect
        ? undefined
        : 'This host does not collect metrics (only the desktop app and the web host do)';
    return {
      profileId,
      collecting: reason === undefined,
      ...(reason === undefined ? {} : { reason }),
      series: series.length,
      tagSets: series.reduce((n, s) => n + s.tagSets.length, 0),
      keys,
      bytes: bytesByResolution['1s'] + bytesByResolution['1m'] + bytesByResolution['1h'],
      bytesByResolution,
      retention: this.retention,
      limits: { ...METRIC_LIMITS },
    };
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
    this.evaluation.get(profileId)?.delete(id);
    return { deleted };
  }

  async alerts(profileId: string, count: number): Promise<AlertView[]> {
    const session = this.o.connections.session(profileId);
    const all = [...(await this.fold(session)).values()];
    all.sort((a, b) => (a.state === b.state ? b.firedAt - a.firedAt : a.state === 'firing' ? -1 : 1));
    return all.slice(0, count);
  }

  async ack(profileId: string, id: string): Promise<AlertView> {
    const session = this.o.connections.session(profileId);
    const alert = (await this.fold(session)).get(id);
    if (!alert) throw new SwarmdeckError('NOT_FOUND', `No alert "${id}" in the recent alerts of profile "${profileId}"`);
    if (alert.acknowledgedAt !== undefined) return alert;
    const acked: AlertView = { ...alert, acknowledgedAt: this.clock.now() };
    await this.append(session, 'ack', acked);
    const live = this.evaluation.get(profileId)?.get(alert.ruleId);
    if (live?.firing?.id === id) live.firing = acked;
    this.o.bus.emit({ type: 'alerts', profileId, alert: acked, firing: this.firingCount(profileId) });
    return acked;
  }

  /**
   * One pass of the evaluator: each enabled rule's figure over its window, a condition that
   * has held for `forSec` fires, a firing alert resolves once clear by the hysteresis. Returns
   * the alerts that changed state in this pass.
   */
  evaluate(profileId: string): Promise<AlertView[]> {
    // Passes of one profile run one after another: two at once (the beat and a caller) would
    // both see a rule not firing yet and fire it twice.
    const run = (this.evaluating.get(profileId) ?? Promise.resolve()).then(() => this.evaluateNow(profileId));
    this.evaluating.set(
      profileId,
      run.catch(() => undefined),
    );
    return run;
  }

  private async evaluateNow(profileId: string): Promise<AlertView[]> {
    const session = this.o.connections.session(profileId);
    if (session.profile.readOnly) return [];
    const states = await this.ruleStates(session);
    const rules = await this.rulesStore.rules(profileId);
    const now = this.clock.now();
    const changed: AlertView[] = [];
    for (const rule of rules) {
      if (!rule.enabled) continue;
      const state = states.get(rule.id) ?? {};
      states.set(rule.id, state);
      const value = await this.figure(session, rule, now);
      if (value === undefined) {
        // No samples in the window: nothing to judge; a pending condition starts over.
        state.pendingSince = undefined;
        continue;
      }
      if (state.firing) {
        if (clears(rule.op, value, rule.threshold, rule.hysteresis)) {
          const resolved: AlertView = { ...state.firing, state: 'resolved', value, resolvedAt: now };
          state.firing = undefined;
          state.pendingSince = undefined;
          await this.append(session, 'resolve', resolved);
          changed.push(resolved);
        }
        continue;
      }
      if (!breaches(rule.op, value, rule.threshold)) {
        state.pendingSince = undefined;
        continue;
      }
      state.pendingSince ??= now;
      if (now - state.pendingSince < rule.forSec * 1000) continue;
      const fired: AlertView = {
        id: `${rule.id}-${now}`,
        ruleId: rule.id,
        ruleName: rule.name,
        series: rule.series,
        severity: rule.severity,
        state: 'firing',
        value,
        threshold: rule.threshold,
        op: rule.op,
        firedAt: now,
        message: `${rule.name}: ${rule.stat} of ${rule.series} over ${rule.windowSec} s is ${round(value)} (${rule.op} ${rule.threshold})`,
      };
      state.firing = fired;
      state.pendingSince = undefined;
      await this.append(session, 'fire', fired);
      changed.push(fired);
    }
    for (const alert of changed) this.o.bus.emit({ type: 'alerts', profileId, alert, firing: this.firingCount(profileId) });
    return changed;
  }

  stopAll(): void {
    for (const recorder of this.recorders.values()) recorder.stop();
    this.recorders.clear();
    this.beat.stopAll();
  }

  private firingCount(profileId: string): number {
    let n = 0;
    for (const state of this.evaluation.get(profileId)?.values() ?? []) if (state.firing) n += 1;
    return n;
  }

  private async figure(session: Session, rule: AlertRule, now: number): Promise<number | undefined> {
    let range;
    try {
      // Complete seconds only: the current one is still being written by agents and would judge a partial figure.
      const end = Math.floor(now / 1000) * 1000;
      range = await readRange(session.client, session.profile.keyPrefix, {
        series: rule.series,
        tags: rule.tags,
        from: end - rule.windowSec * 1000,
        to: end,
        resolution: '1s',
      });
    } catch (error) {
      if (error instanceof SwarmdeckError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
    const all = emptyAggregate();
    for (const agg of range.values()) mergeInto(all, agg);
    if (all.count === 0) return undefined;
    return toBucket(0, all)[rule.stat];
  }

  /** The evaluator's memory for a profile, rebuilt from the alerts stream after a restart. */
  private async ruleStates(session: Session): Promise<Map<string, RuleState>> {
    const id = session.profile.id;
    const known = this.evaluation.get(id);
    if (known) return known;
    const states = new Map<string, RuleState>();
    for (const alert of (await this.fold(session)).values()) {
      if (alert.state === 'firing') states.set(alert.ruleId, { firing: alert });
    }
    this.evaluation.set(id, states);
    return states;
  }

  private async fold(session: Session): Promise<Map<string, AlertView>> {
    const raw = (await session.client.xrevrange(alertsStreamKey(session.profile.keyPrefix), '+', '-', 'COUNT', ALERT_STREAM_READ)) as [
      string,
      string[],
    ][];
    const out = new Map<string, AlertView>();
    for (const entry of toEntries(raw).reverse()) {
      const f = entry.fields;
      const id = f.alert;
      if (!id || !f.view) continue;
      out.set(id, JSON.parse(f.view) as AlertView);
    }
    return out;
  }

  private async append(session: Session, kind: 'fire' | 'resolve' | 'ack', alert: AlertView): Promise<void> {
    await session.client.xadd(
      alertsStreamKey(session.profile.keyPrefix),
      'MAXLEN',
      '~',
      '10000',
      '*',
      'kind',
      kind,
      'alert',
      alert.id,
      'rule',
      alert.ruleId,
      'severity',
      alert.severity,
      'value',
      String(alert.value),
      'at',
      String(this.clock.now()),
      // The whole view, so a reader folds the stream without knowing the rule (which may be gone).
      'view',
      JSON.stringify(alert),
    );
  }

  // ---- Built-in series ----

  private note(collector: Collector | undefined, series: string, value: number | undefined, tags: Tags): void {
    if (!collector?.recorder || value === undefined || !Number.isFinite(value)) return;
    try {
      collector.recorder.record(series, value, tags);
    } catch (error) {
      // A queue or swarm named outside the tag alphabet, or a cap reached: that series goes
      // unrecorded, which `metrics.series` shows; the beat must go on for the others.
      if (!(error instanceof SwarmdeckError)) throw error;
    }
  }

  /** Per-second rate of a cumulative counter since its last reading (none on the first, or after a reset). */
  private rate(collector: Collector, key: string, value: number | undefined, now: number): number | undefined {
    if (value === undefined || !Number.isFinite(value)) return undefined;
    const last = collector.counters.get(key);
    collector.counters.set(key, { value, at: now });
    if (!last || value < last.value || now <= last.at) return undefined;
    return ((value - last.value) * 1000) / (now - last.at);
  }

  private onHealth(snapshot: HealthSnapshot): void {
    const collector = this.beat.state(snapshot.profileId);
    for (const node of snapshot.nodes) {
      const tags = { node: node.address };
      this.note(collector, 'redis.ping_ms', node.latency.lastMs, tags);
      this.note(collector, 'redis.ops_per_sec', node.opsPerSec, tags);
      this.note(collector, 'redis.memory_bytes', node.usedMemory, tags);
      if (node.maxMemory && node.usedMemory !== undefined)
        this.note(collector, 'redis.memory_ratio', node.usedMemory / node.maxMemory, tags);
      this.note(collector, 'redis.clients', node.connectedClients, tags);
      if (node.role === 'replica') this.note(collector, 'redis.repl_lag_bytes', node.replicationLagBytes, tags);
    }
  }

  private onQueues(profileId: string, queues: QueueSummary[]): void {
    const collector = this.beat.state(profileId);
    if (!collector?.recorder) return;
    const now = this.clock.now();
    for (const q of queues) {
      const tags = { queue: q.name };
      const life = q.counts.lifetime;
      this.note(collector, 'queue.depth', q.counts.waiting + q.counts.delayed, tags);
      this.note(collector, 'queue.active', q.counts.active, tags);
      this.note(collector, 'queue.dead', q.counts.dead, tags);
      this.note(collector, 'queue.enqueued_per_sec', this.rate(collector, `q:${q.name}:enq`, life.enqueued, now), tags);
      this.note(collector, 'queue.completed_per_sec', this.rate(collector, `q:${q.name}:done`, life.completed, now), tags);
      // Every failure either schedules a retry or dead-letters the task.
      this.note(collector, 'queue.failed_per_sec', this.rate(collector, `q:${q.name}:fail`, life.retried + life.dead, now), tags);
      const minute = q.minutes.at(-1);
      this.note(collector, 'queue.wait_ms', minute?.waitMsAvg, tags);
      this.note(collector, 'queue.process_ms', minute?.processMsAvg, tags);
    }
  }

  private async collect(session: Session, collector: Collector): Promise<void> {
    const now = this.clock.now();
    await Promise.all(
      nodeHandles(session.client).map(async (node) => {
        const info = parseInfo(await node.client.info('stats'));
        const tags = { node: node.address };
        const n = (field: string): number | undefined => (info[field] === undefined ? undefined : Number(info[field]));
        this.note(collector, 'redis.evictions_per_sec', this.rate(collector, `${node.address}:ev`, n('evicted_keys'), now), tags);
        this.note(collector, 'redis.hits_per_sec', this.rate(collector, `${node.address}:hit`, n('keyspace_hits'), now), tags);
        this.note(collector, 'redis.misses_per_sec', this.rate(collector, `${node.address}:miss`, n('keyspace_misses'), now), tags);
      }),
    );
    const { swarms } = await this.o.swarms.list(session);
    for (const swarm of swarms) {
      const tags = { swarm: swarm.id };
      this.note(collector, 'swarm.live_agents', swarm.liveAgents, tags);
      // Time since the swarm last showed a sign of life (heartbeat, event or message).
      this.note(collector, 'swarm.heartbeat_lag_ms', Math.max(0, now - swarm.lastActivity), tags);
    }
  }
}

const round = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));
