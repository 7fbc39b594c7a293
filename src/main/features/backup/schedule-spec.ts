/** What a backup schedule is (an interval, or a cron expression in a time zone), checked as the operator types it. */
import { Cron } from 'croner';
import { z } from 'zod';
import { SwarmdeckError } from '../../../shared/errors';

/** Below this an "interval" is a busy loop, not a backup schedule. */
export const MIN_INTERVAL_MS = 100;

export const ScheduleSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('interval'), everyMs: z.number().int().min(MIN_INTERVAL_MS) }),
  z.object({ kind: z.literal('cron'), expression: z.string().min(1).max(200), timeZone: z.string().min(1).max(100).optional() }),
]);
export type ScheduleSpec = z.infer<typeof ScheduleSpecSchema>;

/** Refuses what croner would refuse later, at the moment the operator types it. */
export function assertScheduleSpec(spec: ScheduleSpec): void {
  const parsed = ScheduleSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SwarmdeckError('VALIDATION', `Invalid schedule: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(), {
      fields: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    });
  }
  if (spec.kind !== 'cron') return;
  if (spec.timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: spec.timeZone });
    } catch {
      throw new SwarmdeckError('VALIDATION', `Unknown time zone ${JSON.stringify(spec.timeZone)}`, {
        fields: [{ path: 'timeZone', message: 'Not an IANA time zone' }],
      });
    }
  }
  try {
    new Cron(spec.expression, { paused: true, timezone: spec.timeZone }).stop();
  } catch (error) {
    throw new SwarmdeckError('VALIDATION', `Invalid cron expression ${JSON.stringify(spec.expression)}: ${(error as Error).message}`, {
      fields: [{ path: 'expression', message: (error as Error).message }],
    });
  }
}
