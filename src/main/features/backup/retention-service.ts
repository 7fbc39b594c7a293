import { rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { whatItHolds, type BackupSummary, type RetentionPlanView, type RetentionPolicy } from '../../../shared/model/backup';
import type { BackupMetaFiles } from './backup-meta';
import { summaryOf } from './backup-views';
import { backupPaths } from './file-writer';
import { listBackups } from './reader';
import { planRetention, type RetainedBackup, type RetentionPlan, type RetentionSeries } from './retention';

interface Candidate extends RetainedBackup {
  summary: BackupSummary;
}

/** The series a backup is pruned within, from what it holds. */
function seriesOf(s: BackupSummary): RetentionSeries {
  // An import is the operator's copy of someone else's file, not one of this profile's backups: a plan never counts or removes it.
  if (s.origin === 'rdb-import') return { kind: 'outside', why: `${whatItHolds(s)}: retention leaves imports alone (delete it by hand)` };
  if (s.scope.kind === 'all' && !s.swarmId) return { kind: 'full' };
  return { kind: 'partial', name: whatItHolds(s) };
}

/** Retention as the operator runs it: a preview of what a policy keeps and why, and its application with every file of a backup. */
export class RetentionService {
  constructor(
    private readonly root: string,
    private readonly meta: BackupMetaFiles,
    private readonly assertProfile: (profileId: string) => Promise<unknown>,
  ) {}

  async preview(profileId: string, policy: RetentionPolicy, now = Date.now()): Promise<RetentionPlanView> {
    const plan = await this.plan(profileId, policy, now);
    const row = (r: { backup: Candidate; reason: string }) => ({
      backupId: r.backup.summary.id,
      series: whatItHolds(r.backup.summary),
      reason: r.reason,
    });
    return { keep: plan.keep.map(row), remove: plan.remove.map(row) };
  }

  /**
   * Removes what the plan removes. The manifest of each goes first, so a crash halfway leaves a
   * data file that is no longer listed rather than a listed backup without data.
   */
  async apply(profileId: string, policy: RetentionPolicy, now = Date.now()): Promise<{ removed: string[] }> {
    await this.assertProfile(profileId);
    const plan = await this.plan(profileId, policy, now);
    const removed: string[] = [];
    for (const { backup } of plan.remove) {
      const id = backup.summary.id;
      const paths = backupPaths(this.root, profileId, id);
      await unlink(paths.manifest);
      await rm(paths.data, { force: true });
      await rm(join(paths.dir, `${id}.rdb`), { force: true });
      await this.meta.remove(profileId, id);
      removed.push(id);
    }
    return { removed };
  }

  /** Finished backups only: safety snapshots belong to a restore's undo, not to the schedule. */
  private async plan(profileId: string, policy: RetentionPolicy, now: number): Promise<RetentionPlan<Candidate>> {
    const manifests = (await listBackups(this.root, profileId)).filter((m) => m.kind === 'backup');
    const candidates: Candidate[] = [];
    for (const m of manifests) {
      const summary = summaryOf(m, await this.meta.read(profileId, m.id));
      candidates.push({
        path: backupPaths(this.root, profileId, m.id).data,
        createdAt: Date.parse(m.createdAt),
        series: seriesOf(summary),
        verified: summary.verification.state === 'verified',
        summary,
      });
    }
    return planRetention(candidates, policy, now);
  }
}
