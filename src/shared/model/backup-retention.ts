import { z } from 'zod';
import type { BackupSummary } from './backup';

/**
 * Retention of backups as the operator sets and previews it. Whole-database backups are one
 * series, each partial scope (prefix, pattern, components, one swarm) another, imports none
 * (never removed by a plan); the newest verified whole-database backup always stays.
 */

/** Grandfather-father-son: the newest backup of each of the N newest days, weeks and months that have backups. */
export const RetentionPolicySchema = z.strictObject({
  daily: z.number().int().min(0).max(3660),
  weekly: z.number().int().min(0).max(520),
  monthly: z.number().int().min(0).max(1200),
  /** IANA zone whose calendar defines the days (default: the machine's). */
  timeZone: z.string().trim().min(1).max(100).optional(),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicySchema>;

/** One backup in a retention plan: the series it is pruned within (`whatItHolds`) and why it stays or goes. */
export interface RetentionRow {
  backupId: string;
  series: string;
  /** Kept: "newest verified full backup", "daily 3 of 7 (2025-06-02)", …; removed: why no rule keeps it. */
  reason: string;
}

export interface RetentionPlanView {
  /** Newest first. */
  keep: RetentionRow[];
  /** Newest first. */
  remove: RetentionRow[];
}

/** What a backup holds, in one phrase: an import, its swarm, its components, or its key scope. */
export function whatItHolds(b: Pick<BackupSummary, 'origin' | 'importedFrom' | 'swarmId' | 'components' | 'scope'>): string {
  // An import reads a whole file into a scratch server: its scope says "all" of that server, not of any database of ours.
  if (b.origin === 'rdb-import') return `imported from ${b.importedFrom?.split(/[\\/]/).pop() || 'an .rdb file'}`;
  if (b.swarmId) return `swarm ${b.swarmId}`;
  if (b.components.length > 0) return `components ${b.components.join(', ')}`;
  if (b.scope.kind === 'all') return 'whole database';
  if (b.scope.kind === 'patterns') return `pattern ${b.scope.patterns.join(', ')}`;
  return `prefix ${b.scope.prefixes.map((p) => (p.encoding === 'hex' ? `0x${p.value}` : `${p.value}*`)).join(', ')}`;
}
