import { hole, P, row, type KeyspaceArea } from '../../redis/keyspace-area';

export interface MetricSeriesKeys {
  /** hash: tag-set id → canonical tags JSON; its length is what the cardinality cap counts; expires with the last-kept bucket */
  tags: string;
  /** hash, expires with its resolution's retention: one bucket of one tag set (`c`, `s`, `mn`, `mx`, histogram fields) */
  bucket(resolution: string, tagId: string, start: number): string;
}

/** Every key of one series shares the hash tag `{m:<series>}`, so one flush of a series is one script on one slot. */
export function metricSeriesKeys(prefix: string, series: string): MetricSeriesKeys {
  const base = `${prefix}:{m:${series}}`;
  return { tags: `${base}:tags`, bucket: (resolution, tagId, start) => `${base}:${resolution}:${tagId}:${start}` };
}

/** hash: series name → 1, every series recorded (the series cap counts its fields) */
export const metricsRegistryKey = (prefix: string): string => `${prefix}:metrics`;
/** glob (SCAN MATCH) of every metric bucket and tag hash, for `metrics.usage` */
export const metricsPattern = (prefix: string): string => `${prefix}:{m:*`;
/** The resolution part of a bucket key (`…}:1s:<tag>:<start>`), or undefined for a tag hash. */
export function metricKeyResolution(key: string): string | undefined {
  const close = key.indexOf('}:');
  if (close < 0) return undefined;
  const rest = key.slice(close + 2);
  const colon = rest.indexOf(':');
  return colon < 0 ? undefined : rest.slice(0, colon);
}
/** stream, capped: alerts fired, resolved and acknowledged */
export const alertsStreamKey = (prefix: string): string => `${prefix}:alerts`;

const m = (): MetricSeriesKeys => metricSeriesKeys(P, 'M');

export const metricsKeyspace: KeyspaceArea = {
  feature: 'metrics',
  keys: [
    row('metricsRegistryKey(P)', 'hash', () => metricsRegistryKey(P)),
    row('metricSeriesKeys(P, M).tags', 'hash', () => m().tags),
    row('metricSeriesKeys(P, M).bucket(res, tagId, start)', 'hash', () => m().bucket('<res>', '<tag id>', hole('<start ms>'))),
    row('metricsPattern(P)', 'glob', () => metricsPattern(P)),
    row('alertsStreamKey(P)', 'stream', () => alertsStreamKey(P)),
  ],
  helpers: ['metricKeyResolution'],
  backup: { component: 'metrics', patterns: (prefix) => [metricsPattern(prefix), metricsRegistryKey(prefix), alertsStreamKey(prefix)] },
};
