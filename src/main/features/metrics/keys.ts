import { hole, P, row, type KeyspaceArea } from '../../redis/keyspace-area';

export interface MetricSeriesKeys {
  /** hash: tag-set id → canonical tags JSON; its length is what the cardinality cap counts; expires with the last-kept bucket */
  tags: string;
  /**
   * hash, one per tag set and resolution: a ring of bucket slots (`n` slots, field `<slot>` →
   * one encoded bucket, see metrics.ts), with `since`, when the ring was first written (older
   * buckets may still be in `legacyBucket` keys); expires with its newest bucket
   */
  ring(resolution: string, tagId: string): string;
  /** hash, written before the rings (one key per bucket); only read, until the last one expires (1h: 90 days after the upgrade) */
  legacyBucket(resolution: string, tagId: string, start: number): string;
}

/** Every key of one series shares the hash tag `{m:<series>}`, so one flush of a series is one script on one slot. */
export function metricSeriesKeys(prefix: string, series: string): MetricSeriesKeys {
  const base = `${prefix}:{m:${series}}`;
  return {
    tags: `${base}:tags`,
    ring: (resolution, tagId) => `${base}:${resolution}:${tagId}`,
    legacyBucket: (resolution, tagId, start) => `${base}:${resolution}:${tagId}:${start}`,
  };
}

/** hash: series name → 1, every series recorded (the series cap counts its fields) */
export const metricsRegistryKey = (prefix: string): string => `${prefix}:metrics`;
/** glob (SCAN MATCH) of every metric ring, legacy bucket and tag hash, for `metrics.usage` */
export const metricsPattern = (prefix: string): string => `${prefix}:{m:*`;

export type MetricKeyKind = { kind: 'tags' } | { kind: 'ring' | 'legacy'; resolution: string };

/** What a key `metricsPattern` found is: a tag hash, a ring (`…}:1s:<tag>`) or a legacy bucket (`…}:1s:<tag>:<start>`). */
export function metricKeyKind(key: string): MetricKeyKind {
  const close = key.indexOf('}:');
  const parts = close < 0 ? [] : key.slice(close + 2).split(':');
  if (parts.length < 2) return { kind: 'tags' };
  return { kind: parts.length === 2 ? 'ring' : 'legacy', resolution: parts[0] as string };
}
/** stream, capped: alerts fired, resolved and acknowledged */
export const alertsStreamKey = (prefix: string): string => `${prefix}:alerts`;

const m = (): MetricSeriesKeys => metricSeriesKeys(P, 'M');

export const metricsKeyspace: KeyspaceArea = {
  feature: 'metrics',
  keys: [
    row('metricsRegistryKey(P)', 'hash', () => metricsRegistryKey(P)),
    row('metricSeriesKeys(P, M).tags', 'hash', () => m().tags),
    row('metricSeriesKeys(P, M).ring(res, tagId)', 'hash', () => m().ring('<res>', '<tag id>')),
    row('metricSeriesKeys(P, M).legacyBucket(res, tagId, start)', 'hash', () => m().legacyBucket('<res>', '<tag id>', hole('<start ms>'))),
    row('metricsPattern(P)', 'glob', () => metricsPattern(P)),
    row('alertsStreamKey(P)', 'stream', () => alertsStreamKey(P)),
  ],
  helpers: ['metricKeyKind'],
  backup: { component: 'metrics', patterns: (prefix) => [metricsPattern(prefix), metricsRegistryKey(prefix), alertsStreamKey(prefix)] },
};
