import type { BackupSchedule } from '../../../../shared/model/backup';

/** The schedule form as typed: both kinds' fields are kept, so switching kind loses nothing. */
export interface ScheduleDraft {
  kind: BackupSchedule['kind'];
  /** Interval in hours, as typed. */
  hours: string;
  expression: string;
  timeZone: string;
}

const HOUR = 3_600_000;
const localZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The schedule the form describes, or why it cannot be saved yet. */
export function scheduleOf(d: ScheduleDraft): { schedule: BackupSchedule } | { problem: string } {
  if (d.kind === 'interval') {
    const h = Number(d.hours);
    // The contract's floor is one minute; fractions of an hour are allowed down to it.
    if (!Number.isFinite(h) || h * HOUR < 60_000 || h > 24 * 366) return { problem: 'Every 0.02 to 8784 hours' };
    return { schedule: { kind: 'interval', everyMs: Math.round(h * HOUR) } };
  }
  const fields = d.expression.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6) return { problem: 'A cron expression has five fields (six with seconds)' };
  return { schedule: { kind: 'cron', expression: fields.join(' '), timeZone: d.timeZone.trim() || localZone() } };
}

export function draftOf(s: BackupSchedule | null): ScheduleDraft {
  const base: ScheduleDraft = { kind: 'interval', hours: '6', expression: '30 2 * * *', timeZone: localZone() };
  if (!s) return base;
  return s.kind === 'interval'
    ? { ...base, hours: String(s.everyMs / HOUR) }
    : { ...base, kind: 'cron', expression: s.expression, timeZone: s.timeZone ?? base.timeZone };
}

export const describeSchedule = (s: BackupSchedule): string =>
  s.kind === 'interval' ? `every ${s.everyMs / HOUR} h` : `cron ${s.expression}${s.timeZone ? ` (${s.timeZone})` : ''}`;
