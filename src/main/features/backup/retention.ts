/**
 * Grandfather-father-son retention: the newest backup of each of the N newest days, weeks and
 * months that have backups. Buckets are calendar days in the operator's time zone (a DST day
 * has 23 or 25 hours and is still one day), weeks are ISO weeks, months calendar months.
 * Counting buckets that *have* backups, rather than the last N calendar days, means a paused
 * schedule never lets retention delete the last good backups.
 */
import { unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SwarmdeckError } from '../../../shared/errors';
import { DATA_SUFFIX, MANIFEST_SUFFIX } from './format';
import { listBackups } from './reader';

export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
  /** IANA zone whose calendar defines days, weeks and months (default: this machine's). */
  timeZone?: string;
}

export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4, monthly: 12 };

export interface RetainedBackup {
  path: string;
  /** Unix ms. */
  createdAt: number;
}

export interface RetentionPlan<B extends RetainedBackup = RetainedBackup> {
  /** Newest first, each with the rules that keep it. */
  keep: { backup: B; reasons: string[] }[];
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

/** Which backups the policy keeps and, for every other one, why not. Pure: no clock, no disk. */
export function planRetention<B extends RetainedBackup>(
  backups: B[],
  policy: RetentionPolicy = DEFAULT_RETENTION,
  now: number = Date.now(),
): RetentionPlan<B> {
  assertPolicy(policy);
  const label = labeller(policy.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  // Ties broken by path so the plan never depends on input order.
  const sorted = [...backups].sort((a, b) => b.createdAt - a.createdAt || (a.path < b.path ? 1 : a.path > b.path ? -1 : 0));
  const labels = new Map<B, Record<Rule, string>>(sorted.map((b) => [b, label(b.createdAt)]));
  const reasons = new Map<B, string[]>();
  const keepReason = (b: B, why: string) => reasons.set(b, [...(reasons.get(b) ?? []), why]);
  /** Per rule: bucket label → the backup that holds it, for the N newest buckets. */
  const holders = new Map<Rule, Map<string, B>>();
  for (const { rule, count } of RULES) {
    const held = new Map<string, B>();
    for (const b of sorted) {
      if (b.createdAt > now) continue;
      const bucket = (labels.get(b) as Record<Rule, string>)[rule];
      if (held.has(bucket)) continue;
      if (held.size >= count(policy)) break;
      held.set(bucket, b);
      keepReason(b, `newest of ${rule} ${bucket}`);
    }
    holders.set(rule, held);
  }
  const plan: RetentionPlan<B> = { keep: [], remove: [] };
  for (const b of sorted) {
    // A backup from the future means a clock went wrong somewhere: never the moment to delete it.
    if (b.createdAt > now) {
      plan.keep.push({ backup: b, reasons: ['created after now (clock skew?)'] });
      continue;
    }
    const why = reasons.get(b);
    if (why) {
      plan.keep.push({ backup: b, reasons: why });
      continue;
    }
    const lb = labels.get(b) as Record<Rule, string>;
    const parts = RULES.map(({ rule, count, plural, adjective }) => {
      const holder = holders.get(rule)?.get(lb[rule]);
      if (holder) return `${rule} ${lb[rule]} keeps a newer backup (${basename(holder.path)})`;
      return count(policy) === 0
        ? `no ${adjective} backups are kept`
        : `${rule} ${lb[rule]} is older than the ${count(policy)} newest ${plural}`;
    });
    plan.remove.push({ backup: b, reason: parts.join('; ') });
  }
  return plan;
}

/**
 * Applies the policy to the finished backups in one profile's folder (`<root>/<profile id>`).
 * Safety snapshots are left alone: they belong to a restore's undo, not to the schedule.
 * The manifest goes first, so a crash halfway leaves a data file that is no longer listed
 * rather than a listed backup without data.
 */
export async function applyRetention(
  dir: string,
  policy: RetentionPolicy = DEFAULT_RETENTION,
  now: number = Date.now(),
): Promise<{ removed: string[] }> {
  const manifests = (await listBackups(dirname(dir), basename(dir))).filter((m) => m.kind === 'backup');
  const plan = planRetention(
    manifests.map((m) => ({ path: join(dir, `${m.id}${DATA_SUFFIX}`), createdAt: Date.parse(m.createdAt), id: m.id })),
    policy,
    now,
  );
  const removed: string[] = [];
  for (const { backup } of plan.remove) {
    await unlink(join(dir, `${backup.id}${MANIFEST_SUFFIX}`));
    await unlink(backup.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    removed.push(backup.path);
  }
  return { removed };
}
