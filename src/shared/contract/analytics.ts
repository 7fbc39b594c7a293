import { z } from 'zod';
import type { AnalyticsReport, AnalyticsView } from '../analytics/report';
import type { JobView } from '../model/job';
import { SeriesNameSchema, TagsSchema } from '../model/metrics';
import { ProfileId, op } from './op';

const EpochMs = z.number().int().min(0).max(8_640_000_000_000);
/** A window of at most 90 days, oldest first: what the 1 h rollups keep. */
const Window = z
  .strictObject({ profileId: ProfileId, from: EpochMs, to: EpochMs })
  .refine((w) => w.from < w.to, { message: 'The window must end after it starts', path: ['to'] })
  .refine((w) => w.to - w.from <= 90 * 86_400_000, { message: 'At most 90 days at a time', path: ['from'] });

export const analyticsContract = {
  /** Trends, anomalies, bottlenecks, forecasts and ranked recommendations over the window. */
  'analytics.analyze': op<AnalyticsView>()(Window),
  /**
   * The same analysis with its charts, as a job: a week of many series is a lot of buckets to
   * read. Its result is read with `analytics.reportResult`.
   */
  'analytics.report': op<JobView>()(Window),
  /** The finished report, as JSON and as one self-contained HTML page. */
  'analytics.reportResult': op<{ report: AnalyticsReport; html: string }>()(
    z.strictObject({ jobId: z.string().regex(/^job-[a-z0-9]+-[0-9a-f]{8}$/, 'Malformed job id') }),
  ),
  /**
   * One sample, written at once (the CLI's `metrics record`; agents use the SDK's batching
   * `Metrics`). A read-only profile refuses it at the connection, as every write.
   */
  'metrics.record': op<{ series: string; recorded: number }>()(
    z.strictObject({ profileId: ProfileId, series: SeriesNameSchema, value: z.number().finite(), tags: TagsSchema.optional() }),
    { effect: 'write', audit: { none: 'a sample reported as agents report theirs, not an operator action' } },
  ),
} as const;
