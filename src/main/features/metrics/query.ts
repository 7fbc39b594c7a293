import { SwarmdeckError } from '../../../shared/errors';
import { RESOLUTION_MS, type Resolution, type Tags } from '../../../shared/model/metrics';
import type { RedisClient } from '../../redis/client-options';
import { metricSeriesKeys, metricsRegistryKey } from '../../redis/keyspace';
import { fromHash, mergeInto, type Aggregate } from './histogram';
import { canonicalTags, tagSetId } from './metrics';

/** Buckets one query may name (3 h of 1 s buckets); a wider view is asked of a coarser resolution. */
export const MAX_QUERY_BUCKETS = 10_800;
/** Bucket hashes one query may read, across tag sets. */
const MAX_QUERY_KEYS = 200_000;
const PIPELINE_CHUNK = 2_000;

export interface RangeQuery {
  series: string;
  tags?: Tags;
  from: number;
  to: number;
  resolution: Resolution;
}

/**
 * The aggregates of one series between `from` and `to` (bucket starts in [from, to) after
 * rounding `from` down to its bucket), merged across its tag sets when no tags are named.
 * Every key read shares the series' hash tag, so one pipeline serves a cluster too.
 */
export async function readRange(client: RedisClient, prefix: string, q: RangeQuery): Promise<Map<number, Aggregate>> {
  if (q.from >= q.to) {
    throw new SwarmdeckError('VALIDATION', `The range is empty or inverted: from ${q.from} is not before to ${q.to}`, {
      fields: [{ path: 'from', message: 'Must be before to' }],
    });
  }
  const size = RESOLUTION_MS[q.resolution];
  const first = Math.floor(q.from / size) * size;
  const starts: number[] = [];
  for (let t = first; t < q.to; t += size) {
    starts.push(t);
    if (starts.length > MAX_QUERY_BUCKETS) {
      throw new SwarmdeckError(
        'VALIDATION',
        `The range spans more than ${MAX_QUERY_BUCKETS} buckets of ${q.resolution}; ask a coarser resolution`,
        { fields: [{ path: 'resolution', message: 'Too fine for this range' }] },
      );
    }
  }
  const keys = metricSeriesKeys(prefix, q.series);
  const [known, tagIds] = await Promise.all([client.hexists(metricsRegistryKey(prefix), q.series), client.hkeys(keys.tags)]);
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
  const wanted = ids.flatMap((id) => starts.map((start) => ({ start, key: keys.bucket(q.resolution, id, start) })));
  const merged = new Map<number, Aggregate>();
  for (let i = 0; i < wanted.length; i += PIPELINE_CHUNK) {
    const chunk = wanted.slice(i, i + PIPELINE_CHUNK);
    const pipeline = client.pipeline();
    for (const { key } of chunk) pipeline.hgetall(key);
    const replies = (await pipeline.exec()) ?? [];
    chunk.forEach(({ start }, j) => {
      const [error, hash] = replies[j] ?? [new Error('No reply')];
      if (error) throw new SwarmdeckError('REDIS_ERROR', error.message);
      const agg = fromHash(hash as Record<string, string>);
      if (!agg) return;
      const into = merged.get(start);
      if (into) mergeInto(into, agg);
      else merged.set(start, agg);
    });
  }
  return new Map([...merged].sort((a, b) => a[0] - b[0]));
}
