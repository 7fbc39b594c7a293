import { SwarmdeckError } from '../../../shared/errors';
import { DEFAULT_RETENTION, RESOLUTION_MS, type Resolution, type Tags } from '../../../shared/model/metrics';
import type { RedisClient } from '../../redis/client-options';
import { metricSeriesKeys, metricsRegistryKey } from '../../redis/keyspace';
import { fromHash, fromSlot, mergeInto, type Aggregate } from './histogram';
import { canonicalTags, tagSetId } from './metrics';

/** Buckets one query may name (3 h of 1 s buckets); a wider view is asked of a coarser resolution. */
export const MAX_QUERY_BUCKETS = 10_800;
/** Buckets one query may read, across tag sets. */
const MAX_QUERY_KEYS = 200_000;
const PIPELINE_CHUNK = 2_000;

export interface RangeQuery {
  series: string;
  tags?: Tags;
  from: number;
  to: number;
  resolution: Resolution;
}

/** One tag set's ring of the queried resolution: its slot count and when it was first written (absent: no ring). */
interface RingHead {
  key: string;
  tagId: string;
  slots?: number;
  since?: number;
}

type Reply = [Error | null, unknown][];

/**
 * The aggregates of one series between `from` and `to` (bucket starts in [from, to) after
 * rounding `from` down to its bucket), merged across its tag sets when no tags are named.
 * Every key read shares the series' hash tag, so one pipeline serves a cluster too. Buckets
 * come from each tag set's ring; buckets older than the ring may still be in the keys written
 * before rings (one per bucket), which are read only for starts before the ring's `since`.
 */
export async function readRange(client: RedisClient, prefix: string, q: RangeQuery): Promise<Map<number, Aggregate>> {
  const starts = bucketStarts(q);
  const keys = metricSeriesKeys(prefix, q.series);
  const [known, tagIds, time] = await Promise.all([
    client.hexists(metricsRegistryKey(prefix), q.series),
    client.hkeys(keys.tags),
    client.time(),
  ]);
  if (known !== 1) throw new SwarmdeckError('NOT_FOUND', `No series "${q.series}" has been recorded`);
  let ids = tagIds;
  if (q.tags !== undefined) {
    const id = tagSetId(canonicalTags(q.tags));
    if (!tagIds.includes(id)) throw new SwarmdeckError('NOT_FOUND', `Series "${q.series}" has no samples tagged ${JSON.stringify(q.tags)}`);
    ids = [id];
  }
  if (ids.length * starts.length > MAX_QUERY_KEYS) {
    throw new SwarmdeckError(
      'VALIDATION',
      `The range reads more than ${MAX_QUERY_KEYS} buckets across ${ids.length} tag sets; narrow it or name the tags`,
    );
  }
  // The server's clock decides what has expired, as it does for a key's PEXPIREAT.
  const now = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
  const heads = await ringHeads(
    client,
    ids.map((tagId) => ({ key: keys.ring(q.resolution, tagId), tagId })),
  );
  const merged = new Map<number, Aggregate>();
  const add = (start: number, agg: Aggregate | undefined): void => {
    if (!agg) return;
    const into = merged.get(start);
    if (into) mergeInto(into, agg);
    else merged.set(start, agg);
  };
  const size = RESOLUTION_MS[q.resolution];
  const slotReads = heads.flatMap((h) =>
    h.slots === undefined ? [] : starts.map((start) => ({ key: h.key, start, slot: Math.floor(start / size) % (h.slots as number) })),
  );
  await readRing(client, slotReads, (start, value) => add(start, fromSlot(value, start, now)));
  // What the keys of one bucket each could still hold: a start before the ring, not yet past the retention those writers used.
  const legacyReads = heads.flatMap((h) =>
    starts
      .filter((start) => start < (h.since ?? Infinity) && start + size + DEFAULT_RETENTION[q.resolution] > now)
      .map((start) => ({ start, key: keys.legacyBucket(q.resolution, h.tagId, start) })),
  );
  await readLegacy(client, legacyReads, (start, hash) => add(start, fromHash(hash)));
  return new Map([...merged].sort((a, b) => a[0] - b[0]));
}

function bucketStarts(q: RangeQuery): number[] {
  if (q.from >= q.to) {
    throw new SwarmdeckError('VALIDATION', `The range is empty or inverted: from ${q.from} is not before to ${q.to}`, {
      fields: [{ path: 'from', message: 'Must be before to' }],
    });
  }
  const size = RESOLUTION_MS[q.resolution];
  const starts: number[] = [];
  for (let t = Math.floor(q.from / size) * size; t < q.to; t += size) {
    starts.push(t);
    if (starts.length > MAX_QUERY_BUCKETS) {
      throw new SwarmdeckError(
        'VALIDATION',
        `The range spans more than ${MAX_QUERY_BUCKETS} buckets of ${q.resolution}; ask a coarser resolution`,
        { fields: [{ path: 'resolution', message: 'Too fine for this range' }] },
      );
    }
  }
  return starts;
}

async function ringHeads(client: RedisClient, rings: { key: string; tagId: string }[]): Promise<RingHead[]> {
  const pipeline = client.pipeline();
  for (const { key } of rings) pipeline.hmget(key, 'n', 'since');
  const replies = (await pipeline.exec()) ?? [];
  return rings.map((ring, i) => {
    const [slots, since] = valueOf(replies as Reply, i) as (string | null)[];
    return slots ? { ...ring, slots: Number(slots), since: Number(since) } : ring;
  });
}

/** HMGET of the slots, grouped by ring and chunked. */
async function readRing(
  client: RedisClient,
  reads: { key: string; start: number; slot: number }[],
  each: (start: number, value: string | null) => void,
): Promise<void> {
  for (let i = 0; i < reads.length; i += PIPELINE_CHUNK) {
    const chunk = reads.slice(i, i + PIPELINE_CHUNK);
    const byKey = new Map<string, { start: number; slot: number }[]>();
    for (const r of chunk) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
    const groups = [...byKey];
    const pipeline = client.pipeline();
    for (const [key, rs] of groups) pipeline.hmget(key, ...rs.map((r) => String(r.slot)));
    const replies = (await pipeline.exec()) ?? [];
    groups.forEach(([, rs], j) => {
      const values = valueOf(replies as Reply, j) as (string | null)[];
      rs.forEach((r, k) => each(r.start, values[k] ?? null));
    });
  }
}

async function readLegacy(
  client: RedisClient,
  reads: { key: string; start: number }[],
  each: (start: number, hash: Record<string, string>) => void,
): Promise<void> {
  for (let i = 0; i < reads.length; i += PIPELINE_CHUNK) {
    const chunk = reads.slice(i, i + PIPELINE_CHUNK);
    const pipeline = client.pipeline();
    for (const { key } of chunk) pipeline.hgetall(key);
    const replies = (await pipeline.exec()) ?? [];
    chunk.forEach(({ start }, j) => each(start, valueOf(replies as Reply, j) as Record<string, string>));
  }
}

function valueOf(replies: Reply, i: number): unknown {
  const [error, value] = replies[i] ?? [new Error('No reply')];
  if (error) throw new SwarmdeckError('REDIS_ERROR', error.message);
  return value;
}
