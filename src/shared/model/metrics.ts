import { z } from 'zod';

/**
 * Metrics: samples an agent (or main itself) records into Redis, rolled up per resolution
 * into count, sum, min, max and a log-bucket histogram, so that any window can be merged by
 * addition and its percentiles read within a stated relative error.
 */

export const RESOLUTIONS = ['1s', '1m', '1h'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
export const RESOLUTION_MS: Readonly<Record<Resolution, number>> = { '1s': 1000, '1m': 60_000, '1h': 3_600_000 };

/**
 * Log buckets of ratio γ: a value in bucket i lies in (γ^(i-1), γ^i], and reading the bucket's
 * midpoint 2γ^i/(γ+1) is off by at most (γ-1)/(γ+1) ≈ 0.99 % of the value.
 */
export const HISTOGRAM_GAMMA = 1.02;
export const PERCENTILE_RELATIVE_ERROR = (HISTOGRAM_GAMMA - 1) / (HISTOGRAM_GAMMA + 1);

/** Lower-case dotted words: `redis.ops_per_sec`, `queue.wait_ms`. No braces (they would break the hash tag). */
export const SeriesNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(?:[.:-][a-z0-9_]+){0,15}$/, 'Malformed series name')
  .max(128);
export const TagKeySchema = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'Malformed tag name');
export const TagValueSchema = z.string().regex(/^[A-Za-z0-9_.:/@-]{1,128}$/, 'Malformed tag value');
export const MAX_TAGS = 8;
export const TagsSchema = z
  .record(TagKeySchema, TagValueSchema)
  .refine((t) => Object.keys(t).length <= MAX_TAGS, { message: `At most ${MAX_TAGS} tags` });
export type Tags = Record<string, string>;

export const ResolutionSchema = z.enum(RESOLUTIONS);

/** One bucket of a query, every figure merged across writers and across finer buckets. */
export interface MetricBucket {
  /** Start of the bucket, ms since the epoch. */
  start: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  avg: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface MetricsQueryResult {
  series: string;
  tags: Tags;
  resolution: Resolution;
  from: number;
  to: number;
  /** Non-empty buckets only, oldest first. */
  buckets: MetricBucket[];
  /** The largest relative error of p50/p95/p99 (count, sum, min and max are exact). */
  percentileRelativeError: number;
}

export interface SeriesInfo {
  series: string;
  /** Every tag set recorded for the series (bounded by the cardinality cap). */
  tagSets: Tags[];
}

export interface MetricsRetention {
  /** How long buckets of each resolution are kept, ms. */
  '1s': number;
  '1m': number;
  '1h': number;
}

export const DEFAULT_RETENTION: MetricsRetention = {
  '1s': 6 * 3_600_000,
  '1m': 7 * 86_400_000,
  '1h': 90 * 86_400_000,
};

export interface MetricsUsage {
  profileId: string;
  /** False on a read-only profile: main collects nothing into its Redis. */
  collecting: boolean;
  /** Why nothing is collected, as a sentence. */
  reason?: string;
  series: number;
  tagSets: number;
  /** Metric keys found and the bytes Redis reports for them (MEMORY USAGE, sampled). */
  keys: number;
  /** Of those, keys of one bucket each, written before buckets lived in rings: read, never written, until they expire. */
  legacyKeys: number;
  bytes: number;
  /** Bytes per resolution. */
  bytesByResolution: Record<Resolution, number>;
  retention: MetricsRetention;
  limits: { maxSeries: number; maxTagSetsPerSeries: number };
  /** Everything Swarmdeck itself keeps on the target, metrics included. */
  own: OwnFootprint;
}

/** Swarmdeck's own keys on a target and the bytes Redis reports for them, by part. */
export interface OwnFootprint {
  keys: number;
  bytes: number;
  parts: { name: string; keys: number; bytes: number }[];
}

// ---- Alerts ----

export const ALERT_OPS = ['gt', 'gte', 'lt', 'lte', 'eq'] as const;
export type AlertOp = (typeof ALERT_OPS)[number];
export const ALERT_STATS = ['avg', 'min', 'max', 'sum', 'count', 'p50', 'p95', 'p99'] as const;
export type AlertStat = (typeof ALERT_STATS)[number];

export const AlertRuleSchema = z.strictObject({
  /** Stable id; a new rule without one is given one. */
  id: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, 'Malformed rule id')
    .optional(),
  name: z.string().min(1).max(128),
  series: SeriesNameSchema,
  tags: TagsSchema.optional(),
  /** What is compared: a figure of the series over the last `windowSec` complete seconds. */
  stat: z.enum(ALERT_STATS),
  windowSec: z.number().int().min(1).max(3600),
  op: z.enum(ALERT_OPS),
  threshold: z.number().finite(),
  /** The condition must hold this long before the alert fires. */
  forSec: z.number().int().min(0).max(86_400),
  /** A firing alert resolves only once the value is back past the threshold by this much. */
  hysteresis: z.number().min(0).finite(),
  severity: z.enum(['warning', 'critical']),
  enabled: z.boolean(),
});
export type AlertRuleInput = z.input<typeof AlertRuleSchema>;
export type AlertRule = z.output<typeof AlertRuleSchema> & { id: string };

export type AlertState = 'firing' | 'resolved';

export interface AlertView {
  id: string;
  ruleId: string;
  ruleName: string;
  series: string;
  severity: 'warning' | 'critical';
  state: AlertState;
  /** The value that fired it (or, once resolved, the value that resolved it). */
  value: number;
  threshold: number;
  op: AlertOp;
  firedAt: number;
  resolvedAt?: number;
  acknowledgedAt?: number;
  message: string;
}
