import { HISTOGRAM_GAMMA, type MetricBucket } from '../../../shared/model/metrics';

/**
 * The pure half of metrics: aggregates of samples (count, sum, min, max and a log-bucket
 * histogram) that merge by addition, and the percentiles read back from them. A histogram
 * bucket is named `h<i>` for positive values, `z` for zero, `n<i>` for negative ones, in a ring
 * slot and in a legacy bucket hash (whose other fields are `c`, `s`, `mn`, `mx`).
 */

const LOG_GAMMA = Math.log(HISTOGRAM_GAMMA);

export interface Aggregate {
  count: number;
  sum: number;
  min: number;
  max: number;
  hist: Map<string, number>;
}

export const emptyAggregate = (): Aggregate => ({ count: 0, sum: 0, min: Infinity, max: -Infinity, hist: new Map() });

/** The histogram field of a value: v in (γ^(i-1), γ^i] is bucket i. */
export function bucketField(value: number): string {
  if (value === 0) return 'z';
  const magnitude = Math.abs(value);
  const index = Math.ceil(Math.log(magnitude) / LOG_GAMMA);
  return value > 0 ? `h${index}` : `n${index}`;
}

export function addSample(agg: Aggregate, value: number): void {
  agg.count += 1;
  agg.sum += value;
  if (value < agg.min) agg.min = value;
  if (value > agg.max) agg.max = value;
  const field = bucketField(value);
  agg.hist.set(field, (agg.hist.get(field) ?? 0) + 1);
}

export function mergeInto(target: Aggregate, source: Aggregate): void {
  target.count += source.count;
  target.sum += source.sum;
  if (source.min < target.min) target.min = source.min;
  if (source.max > target.max) target.max = source.max;
  for (const [field, n] of source.hist) target.hist.set(field, (target.hist.get(field) ?? 0) + n);
}

/** A legacy bucket hash (one key per bucket) as Redis returns it (HGETALL); undefined when it holds nothing. */
export function fromHash(hash: Record<string, string>): Aggregate | undefined {
  const count = Number(hash.c ?? 0);
  if (!(count > 0)) return undefined;
  const agg: Aggregate = { count, sum: Number(hash.s ?? 0), min: Number(hash.mn), max: Number(hash.mx), hist: new Map() };
  for (const [field, value] of Object.entries(hash)) {
    if (field === 'z' || field.startsWith('h') || field.startsWith('n')) agg.hist.set(field, Number(value));
  }
  return agg;
}

/**
 * A ring slot as lua/flush.lua writes it (`start expire-at count sum min max field count …`),
 * when it holds the bucket of `start` and that bucket is not yet past its expiry at `now`; a
 * slot left from a whole ring ago, or not written, is undefined.
 */
export function fromSlot(slot: string | null, start: number, now: number): Aggregate | undefined {
  if (!slot) return undefined;
  const f = slot.split(' ');
  if (Number(f[0]) !== start || Number(f[1]) <= now) return undefined;
  const count = Number(f[2]);
  if (!(count > 0)) return undefined;
  const agg: Aggregate = { count, sum: Number(f[3]), min: Number(f[4]), max: Number(f[5]), hist: new Map() };
  for (let i = 6; i + 1 < f.length; i += 2) agg.hist.set(f[i] as string, Number(f[i + 1]));
  return agg;
}

/** The value a histogram bucket stands for: its midpoint, at most (γ-1)/(γ+1) from any value in it. */
function representative(field: string): number {
  if (field === 'z') return 0;
  const index = Number(field.slice(1));
  const mid = (2 * HISTOGRAM_GAMMA ** index) / (HISTOGRAM_GAMMA + 1);
  return field.startsWith('h') ? mid : -mid;
}

/** Ascending order of the values the fields stand for. */
function order(field: string): number {
  if (field === 'z') return 0;
  const index = Number(field.slice(1));
  // Negative buckets: a larger index is a more negative value. Offsets keep the three ranges apart.
  return field.startsWith('h') ? 1e9 + index : -1e9 - index;
}

/**
 * The q-quantile by nearest rank (the ⌈q·count⌉-th smallest sample), read from the histogram
 * and clamped to the exact min and max, which can only bring it closer to the true sample.
 */
export function quantile(agg: Aggregate, q: number, sortedFields = [...agg.hist.keys()].sort((a, b) => order(a) - order(b))): number {
  const rank = Math.max(1, Math.ceil(q * agg.count));
  let seen = 0;
  for (const field of sortedFields) {
    seen += agg.hist.get(field) ?? 0;
    if (seen >= rank) return Math.min(agg.max, Math.max(agg.min, representative(field)));
  }
  return agg.max;
}

export function toBucket(start: number, agg: Aggregate): MetricBucket {
  const fields = [...agg.hist.keys()].sort((a, b) => order(a) - order(b));
  return {
    start,
    count: agg.count,
    sum: agg.sum,
    min: agg.min,
    max: agg.max,
    avg: agg.sum / agg.count,
    p50: quantile(agg, 0.5, fields),
    p95: quantile(agg, 0.95, fields),
    p99: quantile(agg, 0.99, fields),
  };
}

export type StatName = 'avg' | 'min' | 'max' | 'sum' | 'count' | 'p50' | 'p95' | 'p99';

export function stat(bucket: MetricBucket, name: StatName): number {
  return bucket[name];
}
