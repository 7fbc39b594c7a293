import { createHash } from 'node:crypto';
import { systemClock, type Clock } from '../../../shared/clock';
import { SwarmdeckError } from '../../../shared/errors';
import {
  DEFAULT_RETENTION,
  RESOLUTION_MS,
  RESOLUTIONS,
  SeriesNameSchema,
  TagsSchema,
  type MetricsRetention,
  type Resolution,
  type Tags,
} from '../../../shared/model/metrics';
import { validationError } from '../../../shared/validation';
import type { RedisClient } from '../../redis/client-options';
import { metricSeriesKeys, metricsRegistryKey, type MetricSeriesKeys } from '../../redis/keyspace';
import { isCluster } from '../../redis/nodes';
import { scriptArgs, scriptError, withScripts } from '../../redis/script-registry';
import { addSample, emptyAggregate, mergeInto, type Aggregate } from './histogram';
import { LUA } from './lua/sources.generated';

export const METRIC_LIMITS = { maxSeries: 1000, maxTagSetsPerSeries: 64 } as const;
export const UNTAGGED = '_';

export interface MetricsOptions {
  /** The profile's key prefix (default `sd`). */
  prefix?: string;
  clock?: Clock;
  retention?: Partial<MetricsRetention>;
  /** Pending samples are written at least this often (default 250 ms). */
  flushIntervalMs?: number;
  /** …and as soon as this many are pending (default 20,000). */
  maxPendingSamples?: number;
  maxTagSetsPerSeries?: number;
  maxSeries?: number;
}

interface TagSet {
  id: string;
  json: string;
  registered: boolean;
  /** Refused by Redis (the series' tag sets were full when it was first flushed). */
  refused: boolean;
  /** Aggregates by second, not written yet. */
  pending: Map<number, Aggregate>;
}

interface SeriesState {
  name: string;
  keys: MetricSeriesKeys;
  registered: boolean;
  refused: boolean;
  tagSets: Map<string, TagSet>;
  dirty: Set<TagSet>;
}

const SCRIPTS = { sdMetricsRegister: LUA.register, sdMetricsFlush: LUA.flush };
/** Keeps one script call's argument list well below what Redis handles comfortably. */
const MAX_KEYS_PER_CALL = 500;
/** Arguments of one flush entry before its histogram pairs; the last of them is the pair count. */
const FIXED_ARGS = 9;

/** The tag set's canonical form: sorted by name, so `{a,b}` and `{b,a}` are one set. */
export function canonicalTags(tags: Tags | undefined): string {
  if (!tags) return '';
  const names = Object.keys(tags);
  if (names.length === 0) return '';
  names.sort();
  return JSON.stringify(names.map((n) => [n, tags[n]]));
}

export const tagSetId = (canonical: string): string =>
  canonical === '' ? UNTAGGED : createHash('sha1').update(canonical).digest('hex').slice(0, 16);

export const retentionOf = (partial: Partial<MetricsRetention> | undefined): MetricsRetention => ({ ...DEFAULT_RETENTION, ...partial });

/**
 * Slots of one ring: every bucket a resolution keeps, plus the one being filled. Two buckets
 * still kept (start within size + retention of now) are never a whole ring apart, so they
 * never share a slot.
 */
export const ringSlots = (resolution: Resolution, retention: MetricsRetention): number =>
  Math.ceil(retention[resolution] / RESOLUTION_MS[resolution]) + 1;

/**
 * Records samples of named series into Redis rollups, for agents and for main's collector.
 * `record` only touches memory: samples are aggregated per series, tag set and second, and
 * written every `flushIntervalMs` (or every `maxPendingSamples`) as one script call per series
 * — all three resolutions at once — pipelined; never one round trip per sample.
 *
 * Where the buckets live: one hash per series, tag set and resolution, a fixed ring of
 * `ringSlots` fields (lua/flush.lua). A key per bucket (as before) put ~17k keys per tag set on
 * the target at steady state, ~30 new keys a second for one host's built-in series; a ring
 * keeps a target at 1 + series + 3 × tag sets keys whatever the uptime, and each hash at
 * most its slot count of fields, with no trimming pass: a new bucket overwrites the one a
 * whole ring older, which is past its retention. A hash keyed by bucket start, trimmed by a
 * window, would need a scan or an index to find what to trim; the ring needs neither, and a
 * reader finds a bucket's slot from its start alone.
 */
export class Metrics {
  private readonly client: RedisClient & Record<keyof typeof SCRIPTS, (...args: (string | number)[]) => Promise<unknown>>;
  private readonly prefix: string;
  private readonly clock: Clock;
  private readonly retention: MetricsRetention;
  private readonly maxPending: number;
  private readonly maxTagSets: number;
  private readonly maxSeries: number;
  private readonly series = new Map<string, SeriesState>();
  private readonly dirty = new Set<SeriesState>();
  private pendingSamples = 0;
  private chain: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  /** A failure of a background flush, reported by the next `flush()` so none goes unseen. */
  private failure?: SwarmdeckError;
  private closed = false;

  constructor(client: RedisClient, options: MetricsOptions = {}) {
    this.client = withScripts(client, SCRIPTS);
    this.prefix = options.prefix ?? 'sd';
    this.clock = options.clock ?? systemClock;
    this.retention = retentionOf(options.retention);
    this.maxPending = options.maxPendingSamples ?? 20_000;
    this.maxTagSets = options.maxTagSetsPerSeries ?? METRIC_LIMITS.maxTagSetsPerSeries;
    this.maxSeries = options.maxSeries ?? METRIC_LIMITS.maxSeries;
    this.timer = setInterval(() => {
      if (this.pendingSamples > 0) this.background();
    }, options.flushIntervalMs ?? 250);
    this.timer.unref();
  }

  /**
   * Adds one sample. Throws `VALIDATION` (and keeps nothing) for a malformed series name, tag
   * or value, or for a tag set past the series' cardinality cap.
   */
  record(series: string, value: number, tags?: Tags): void {
    if (this.closed) throw new SwarmdeckError('VALIDATION', 'This Metrics recorder is closed');
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new SwarmdeckError('VALIDATION', `A sample of "${series}" must be a finite number`, {
        fields: [{ path: 'value', message: 'Not a finite number' }],
      });
    const state = this.seriesState(series);
    const tagSet = this.tagSet(state, tags);
    const start = Math.floor(this.clock.now() / 1000) * 1000;
    let agg = tagSet.pending.get(start);
    if (!agg) {
      agg = emptyAggregate();
      tagSet.pending.set(start, agg);
    }
    addSample(agg, value);
    state.dirty.add(tagSet);
    this.dirty.add(state);
    if (++this.pendingSamples >= this.maxPending) this.background();
  }

  /** Writes everything recorded so far; rejects with the first refusal or failure since the last call. */
  async flush(): Promise<void> {
    const run = this.chain.then(() => this.flushNow());
    this.chain = run.catch(() => undefined);
    await run;
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    try {
      await this.flush();
    } finally {
      this.closed = true;
    }
  }

  /** Stops without writing what is pending: for a connection that is already gone. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.closed = true;
    this.dirty.clear();
  }

  private background(): void {
    const run = this.chain.then(() => this.flushNow());
    this.chain = run.catch((error: unknown) => {
      this.failure ??= error instanceof SwarmdeckError ? error : scriptError(error);
    });
  }

  private seriesState(name: string): SeriesState {
    const known = this.series.get(name);
    if (known) {
      if (known.refused) throw capError(`Series "${name}" was refused: this prefix already holds ${this.maxSeries} series`);
      return known;
    }
    const parsed = SeriesNameSchema.safeParse(name);
    if (!parsed.success) throw validationError(parsed.error, `Bad series name "${String(name).slice(0, 140)}"`);
    const state: SeriesState = {
      name,
      keys: metricSeriesKeys(this.prefix, name),
      registered: false,
      refused: false,
      tagSets: new Map(),
      dirty: new Set(),
    };
    this.series.set(name, state);
    return state;
  }

  private tagSet(state: SeriesState, tags: Tags | undefined): TagSet {
    const canonical = canonicalTags(tags);
    const known = state.tagSets.get(canonical);
    if (known) {
      if (known.refused) throw capError(`Series "${state.name}" already has ${this.maxTagSets} tag sets; refusing ${known.json}`);
      return known;
    }
    if (canonical !== '') {
      const parsed = TagsSchema.safeParse(tags);
      if (!parsed.success) throw validationError(parsed.error, `Bad tags for series "${state.name}"`);
    }
    if (state.tagSets.size >= this.maxTagSets)
      throw capError(`Series "${state.name}" already has ${this.maxTagSets} tag sets; refusing ${canonical}`);
    const tagSet: TagSet = {
      id: tagSetId(canonical),
      json: canonical === '' ? '{}' : JSON.stringify(Object.fromEntries(JSON.parse(canonical) as [string, string][])),
      registered: false,
      refused: false,
      pending: new Map(),
    };
    state.tagSets.set(canonical, tagSet);
    return tagSet;
  }

  private async flushNow(): Promise<void> {
    if (this.dirty.size === 0) return;
    const batch = [...this.dirty];
    this.dirty.clear();
    this.pendingSamples = 0;
    const work = batch.map((state) => {
      const tagSets = [...state.dirty].map((t) => ({ tagSet: t, seconds: t.pending }));
      state.dirty.clear();
      for (const { tagSet } of tagSets) tagSet.pending = new Map();
      return { state, tagSets };
    });
    const refusals: SwarmdeckError[] = [];
    await this.register(
      work.map((w) => w.state),
      work.flatMap((w) => w.tagSets.map((t) => ({ state: w.state, tagSet: t.tagSet }))),
      refusals,
    );
    const calls: { keys: string[]; args: (string | number)[] }[] = [];
    for (const { state, tagSets } of work) {
      if (state.refused) continue;
      const keys: string[] = [];
      const args: (string | number)[] = [];
      let lastExpiry = 0;
      for (const { tagSet, seconds } of tagSets) {
        if (tagSet.refused) continue;
        for (const [resolution, buckets] of rollUp(seconds)) {
          const size = RESOLUTION_MS[resolution];
          const slots = ringSlots(resolution, this.retention);
          for (const [start, agg] of buckets) {
            const expireAt = start + size + this.retention[resolution];
            lastExpiry = Math.max(lastExpiry, expireAt);
            keys.push(state.keys.ring(resolution, tagSet.id));
            args.push(start, size, slots, expireAt, agg.count, String(agg.sum), String(agg.min), String(agg.max), agg.hist.size);
            for (const [field, n] of agg.hist) args.push(field, n);
          }
        }
      }
      if (lastExpiry > 0) {
        keys.push(state.keys.tags);
        args.push(0, 0, 0, lastExpiry, 'touch', '0', '0', '0', 0);
      }
      for (const call of splitCall(keys, args)) calls.push(call);
    }
    await this.send(
      calls.map((c) => scriptArgs(c.keys, c.args)),
      'sdMetricsFlush',
    );
    if (refusals.length > 0) throw refusals[0];
  }

  /** Registers series and tag sets seen for the first time; refused ones keep nothing. */
  private async register(
    states: SeriesState[],
    tagSets: { state: SeriesState; tagSet: TagSet }[],
    refusals: SwarmdeckError[],
  ): Promise<void> {
    const newSeries = states.filter((s) => !s.registered);
    const newTags = tagSets.filter((t) => !t.tagSet.registered && !t.state.refused);
    if (newSeries.length === 0 && newTags.length === 0) return;
    const bySeries = new Map<SeriesState, TagSet[]>();
    for (const { state, tagSet } of newTags) bySeries.set(state, [...(bySeries.get(state) ?? []), tagSet]);
    const calls: (string | number)[][] = [];
    if (newSeries.length > 0)
      calls.push(scriptArgs([metricsRegistryKey(this.prefix)], [this.maxSeries, ...newSeries.flatMap((s) => [s.name, '1'])]));
    for (const [state, sets] of bySeries)
      calls.push(scriptArgs([state.keys.tags], [this.maxTagSets, ...sets.flatMap((t) => [t.id, t.json])]));
    const replies = (await this.send(calls, 'sdMetricsRegister')) as number[][];
    let at = 0;
    if (newSeries.length > 0) {
      const flags = replies[at++] as number[];
      newSeries.forEach((s, i) => {
        if (flags[i] === 1) s.registered = true;
        else {
          s.refused = true;
          refusals.push(
            capError(`Series "${s.name}" was refused: this prefix already holds ${this.maxSeries} series; nothing of it was stored`),
          );
        }
      });
    }
    for (const [state, sets] of bySeries) {
      const flags = replies[at++] as number[];
      sets.forEach((t, i) => {
        if (flags[i] === 1) t.registered = true;
        else {
          t.refused = true;
          refusals.push(
            capError(`Series "${state.name}" already has ${this.maxTagSets} tag sets; refused ${t.json}, nothing of it was stored`),
          );
        }
      });
    }
  }

  /**
   * One pipeline on a standalone server; on a cluster the calls go out together without one,
   * since a cluster pipeline must stay on one slot and each series is its own slot.
   */
  private async send(calls: (string | number)[][], script: keyof typeof SCRIPTS): Promise<unknown[]> {
    if (calls.length === 0) return [];
    try {
      if (isCluster(this.client)) return await Promise.all(calls.map((args) => this.client[script](...args)));
      const pipeline = this.client.pipeline();
      const p = pipeline as unknown as Record<keyof typeof SCRIPTS, (...args: (string | number)[]) => unknown>;
      for (const args of calls) p[script](...args);
      const results = (await pipeline.exec()) ?? [];
      return results.map(([error, value]) => {
        if (error) throw error;
        return value;
      });
    } catch (error) {
      throw scriptError(error);
    }
  }
}

const capError = (message: string): SwarmdeckError =>
  new SwarmdeckError('VALIDATION', message, { fields: [{ path: 'tags', message: 'Cardinality cap reached' }] });

/** Per resolution, the aggregates of the buckets a batch of per-second aggregates falls in. */
export function rollUp(seconds: Map<number, Aggregate>): [Resolution, Map<number, Aggregate>][] {
  return RESOLUTIONS.map((resolution) => {
    if (resolution === '1s') return [resolution, seconds];
    const size = RESOLUTION_MS[resolution];
    const out = new Map<number, Aggregate>();
    for (const [start, agg] of seconds) {
      const bucket = Math.floor(start / size) * size;
      let target = out.get(bucket);
      if (!target) {
        target = emptyAggregate();
        out.set(bucket, target);
      }
      mergeInto(target, agg);
    }
    return [resolution, out];
  });
}

function splitCall(keys: string[], args: (string | number)[]): { keys: string[]; args: (string | number)[] }[] {
  if (keys.length <= MAX_KEYS_PER_CALL) return keys.length === 0 ? [] : [{ keys, args }];
  const out: { keys: string[]; args: (string | number)[] }[] = [];
  let a = 0;
  for (let k = 0; k < keys.length; k += MAX_KEYS_PER_CALL) {
    const chunkKeys = keys.slice(k, k + MAX_KEYS_PER_CALL);
    const start = a;
    for (let i = 0; i < chunkKeys.length; i++) a += FIXED_ARGS + 2 * Number(args[a + FIXED_ARGS - 1]);
    out.push({ keys: chunkKeys, args: args.slice(start, a) });
  }
  return out;
}
