import { z } from 'zod';
import {
  AlertRuleSchema,
  ResolutionSchema,
  SeriesNameSchema,
  TagsSchema,
  type AlertRule,
  type AlertView,
  type MetricsQueryResult,
  type MetricsUsage,
  type SeriesInfo,
} from '../model/metrics';
import { ByProfile, Confirm, ProfileId, op } from './op';

/** Epoch milliseconds; a query window is [from, to). */
const EpochMs = z.number().int().min(0).max(8_640_000_000_000);

export const metricsContract = {
  /**
   * Buckets of one series and tag set (no tags: every tag set merged) between `from` and `to`,
   * at one resolution. An inverted range is `VALIDATION`; a series never recorded `NOT_FOUND`.
   */
  'metrics.query': op<MetricsQueryResult>()(
    z.strictObject({
      profileId: ProfileId,
      series: SeriesNameSchema,
      tags: TagsSchema.optional(),
      from: EpochMs,
      to: EpochMs,
      resolution: ResolutionSchema,
    }),
  ),
  'metrics.series': op<SeriesInfo[]>()(ByProfile),
  'metrics.usage': op<MetricsUsage>()(ByProfile),
  'alerts.rules': op<AlertRule[]>()(ByProfile),
  /** Rules live in this home; one saved disabled silences what it watched, like a deleted one. */
  'alerts.setRule': op<AlertRule>()(z.strictObject({ profileId: ProfileId, rule: AlertRuleSchema, confirm: Confirm }), {
    effect: 'home',
    // An existing rule is named by its id: its name is in the input, so a rename in the same call could pick the text typed.
    guard: ({ rule }) => ({ action: rule.enabled === false ? 'alert.silence' : 'alert.rule', target: rule.id ?? rule.name }),
    audit: ({ rule }, saved) => ({
      action: saved.enabled ? 'alert.rule' : 'alert.silence',
      target: saved.id,
      detail: `${rule.name}: ${rule.series} ${rule.stat} ${rule.op} ${rule.threshold}${saved.enabled ? '' : ' (disabled)'}`,
    }),
  }),
  'alerts.deleteRule': op<{ deleted: boolean }>()(
    z.strictObject({ profileId: ProfileId, id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'Malformed rule id'), confirm: Confirm }),
    {
      effect: 'home',
      guard: ({ id }) => ({ action: 'alert.silence', target: id }),
      audit: ({ id }, { deleted }) => (deleted ? { action: 'alert.silence', target: id, detail: 'deleted' } : undefined),
    },
  ),
  /** Firing alerts first, then the most recent resolved ones, newest first. */
  'alerts.list': op<AlertView[]>()(z.strictObject({ profileId: ProfileId, count: z.number().int().min(1).max(500) })),
  /** Writes an `ack` entry to the alerts stream: refused on a read-only profile, confirmed on production. */
  'alerts.ack': op<AlertView>()(
    z.strictObject({ profileId: ProfileId, id: z.string().regex(/^[a-z0-9-]{1,80}$/, 'Malformed alert id'), confirm: Confirm }),
    {
      effect: 'write',
      guard: (_input, profile) => ({ action: 'alert.ack', target: profile.name }),
      audit: ({ id }, alert) => ({ action: 'alert.ack', target: id, detail: alert.message }),
    },
  ),
} as const;
