/**
 * Grandfather-father-son retention: the newest backup of each of the N newest days, weeks and
 * months that have backups. Buckets are calendar days in the operator's time zone (a DST day
 * has 23 or 25 hours and is still one day), weeks are ISO weeks, months calendar months.
 * Counting buckets that *have* backups, rather than the last N calendar days, means a paused
 * schedule never lets retention delete the last good backups.
 */
import { basename } from 'node:path';
import { SwarmdeckError } from '../../../shared/errors';

export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
  /** IANA zone whose calendar defines days, weeks and months (default: this machine's). */
  timeZone?: string;
}

export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4, monthly: 12 };

/**
 * Which series a backup is pruned within. Whole-database backups are one series; each partial
 * scope (a prefix, a pattern, some components, one swarm) is a series of its own, so a small
 * backup never takes a whole-database backup's place; a backup outside every series (an import)
 * is never removed by a plan.
 */
export type RetentionSeries = { kind: 'full' } | { kind: 'partial'; name: string } | { kind: 'outside'; why: string };

export interface RetainedBackup {
  path: string;
  /** Unix ms. */
  createdAt: number;
  /** Whole database when absent. */
  series?: RetentionSeries;
  /** Its last verification passed. */
  verified?: boolean;
}

export interface RetentionPlan<B extends RetainedBackup = RetainedBackup> {
  /** Newest first, each with why it stays ("newest verified full backup", "daily 3 of 7 (2025-06-02)", …). */
  keep: { backup: B; reason: string }[];
  /** Newest first, each with why no rule keeps it. */
  remove: { backup: B; reason: string }[];
}

type Rule = 'day' | 'week' | 'month';
const RULES: { rule: Rule; count: (p: RetentionPolicy) => number; plural: string; adjective: string }[] = [
  { rule: 'day', count: (p) => p.daily, plural: 'days', adjective: 'daily' },
  { rule: 'week', count: (p) => p.weekly, plural: 'weeks', adjective: 'weekly' },
  { rule: 'month', count: (p) => p.monthly, plural: 'months', adjective: 'monthly' },
];

function assertPolicy(policy: RetentionPolicy): void {
  for (const [name, n] of [
    ['daily', policy.daily],
    ['weekly', policy.weekly],
    ['monthly', policy.monthly],
  ] as const) {
    if (!Number.isInteger(n) || n < 0)
      throw new SwarmdeckError('VALIDATION', `Retention ${name} must be a whole number ≥ 0, not ${n}`, {
        fields: [{ path: name, message: 'Not a count' }],
      });
  }
  if (policy.daily + policy.weekly + policy.monthly === 0) {
    // A policy that keeps nothing would delete every backup: surely a mistake, never a plan.
    throw new SwarmdeckError('VALIDATION', 'A retention policy that keeps no backup at all is refused', {
      fields: [{ path: 'daily', message: 'Keeps nothing' }],
    });
  }
}

/** Day, ISO week and month labels of an instant in `timeZone`. */
function labeller(timeZone: string): (ms: number) => Record<Rule, string> {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  } catch {
    throw new SwarmdeckError('VALIDATION', `Unknown time zone ${JSON.stringify(timeZone)}`, {
      fields: [{ path: 'timeZone', message: 'Not an IANA time zone' }],
    });
  }
  return (ms) => {
    const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
    const y = Number(parts.year);
    const m = Number(parts.month);
    const d = Number(parts.day);
    // ISO week: the week (Monday first) holding the date's Thursday, numbered within that Thursday's year.
    const date = new Date(Date.UTC(y, m - 1, d));
    const weekday = (date.getUTCDay() + 6) % 7;
    date.setUTCDate(date.getUTCDate() - weekday + 3);
    const isoYear = date.getUTCFullYear();
    const jan4 = new Date(Date.UTC(isoYear, 0, 4));
    // Week 1 holds January 4th; count whole weeks from its Thursday.
    const week = 1 + Math.round(((date.getTime() - jan4.getTime()) / 86_400_000 - 3 + ((jan4.getUTCDay() + 6) % 7)) / 7);
    return {
      day: `${parts.year}-${parts.month}-${parts.day}`,
      week: `${isoYear}-W${String(week).padStart(2, '0')}`,
      month: `${parts.year}-${parts.month}`,
    };
  };
}

type Labels = Record<Rule, string>;

/** Grandfather-father-son within one series: why each kept backup stays, and the bucket holders a removed one lost to. */
function rulesOver<B extends RetainedBackup>(
  series: B[],
  policy: RetentionPolicy,
  labels: Map<B, Labels>,
): { kept: Map<B, string[]>; holders: Map<Rule, Map<string, B>> } {
  const kept = new Map<B, string[]>();
  const holders = new Map<Rule, Map<string, B>>();
  for (const { rule, count, adjective } of RULES) {
    const held = new Map<string, B>();
    for (const b of series) {
      const bucket = (labels.get(b) as Labels)[rule];
      if (held.has(bucket)) continue;
      if (held.size >= count(policy)) break;
      held.set(bucket, b);
      kept.set(b, [...(kept.get(b) ?? []), `${adjective} ${held.size} of ${count(policy)} (${bucket})`]);
    }
    holders.set(rule, held);
  }
  return { kept, holders };
}

function removalReason<B extends RetainedBackup>(policy: RetentionPolicy, lb: Labels, holders: Map<Rule, Map<string, B>>): string {
  return RULES.map(({ rule, count, plural, adjective }) => {
    const holder = holders.get(rule)?.get(lb[rule]);
    if (holder) return `${rule} ${lb[rule]} keeps a newer backup (${basename(holder.path)})`;
    return count(policy) === 0
      ? `no ${adjective} backups are kept`
      : `${rule} ${lb[rule]} is older than the ${count(policy)} newest ${plural}`;
  }).join('; ');
}

const seriesKey = (b: RetainedBackup): string | null => {
  const s = b.series ?? { kind: 'full' };
  return s.kind === 'full' ? 'full' : s.kind === 'partial' ? `partial:${s.name}` : null;
};

/**
 * Which backups the policy keeps and, for every other one, why not. Pure: no clock, no disk.
 * Each series is pruned on its own, and the newest verified whole-database backup always stays:
 * it may be the only one a restore can trust, whatever the newer ones are.
 */
export function planRetention<B extends RetainedBackup>(
  backups: B[],
  policy: RetentionPolicy = DEFAULT_RETENTION,
  now: number = Date.now(),
): RetentionPlan<B> {
  assertPolicy(policy);
  const label = labeller(policy.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  // Ties broken by path so the plan never depends on input order.
  const sorted = [...backups].sort((a, b) => b.createdAt - a.createdAt || (a.path < b.path ? 1 : a.path > b.path ? -1 : 0));
  const labels = new Map<B, Labels>(sorted.map((b) => [b, label(b.createdAt)]));
  const past = sorted.filter((b) => b.createdAt <= now);
  const bySeries = new Map<string, B[]>();
  for (const b of past) {
    const key = seriesKey(b);
    if (key !== null) bySeries.set(key, [...(bySeries.get(key) ?? []), b]);
  }
  const kept = new Map<B, string[]>();
  const lostTo = new Map<B, Map<Rule, Map<string, B>>>();
  for (const series of bySeries.values()) {
    const r = rulesOver(series, policy, labels);
    r.kept.forEach((why, b) => kept.set(b, why));
    series.forEach((b) => lostTo.set(b, r.holders));
  }
  const trusted = past.find((b) => seriesKey(b) === 'full' && b.verified === true);
  if (trusted) kept.set(trusted, ['newest verified full backup', ...(kept.get(trusted) ?? [])]);
  const plan: RetentionPlan<B> = { keep: [], remove: [] };
  for (const b of sorted) {
    const series = b.series ?? { kind: 'full' };
    const why = kept.get(b);
    // A backup from the future means a clock went wrong somewhere: never the moment to delete it.
    if (b.createdAt > now) plan.keep.push({ backup: b, reason: 'created after now (clock skew?)' });
    else if (series.kind === 'outside') plan.keep.push({ backup: b, reason: series.why });
    else if (why) plan.keep.push({ backup: b, reason: why.join(', ') });
    else
      plan.remove.push({ backup: b, reason: removalReason(policy, labels.get(b) as Labels, lostTo.get(b) as Map<Rule, Map<string, B>>) });
  }
  return plan;
}
