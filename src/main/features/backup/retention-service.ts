import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RetentionPlanView, RetentionPolicy } from '../../../shared/model/backup';
import type { BackupMetaFiles } from './backup-meta';
import { backupPaths } from './file-writer';
import { DATA_SUFFIX } from './format';
import { listBackups } from './reader';
import { applyRetention, planRetention } from './retention';

/** Retention as the operator runs it: a preview of what a policy keeps and why, and its application with every file of a backup. */
export class RetentionService {
  constructor(
    private readonly root: string,
    private readonly meta: BackupMetaFiles,
    private readonly assertProfile: (profileId: string) => Promise<unknown>,
  ) {}

  async preview(profileId: string, policy: RetentionPolicy): Promise<RetentionPlanView> {
    const manifests = (await listBackups(this.root, profileId)).filter((m) => m.kind === 'backup');
    const plan = planRetention(
      manifests.map((m) => ({ path: backupPaths(this.root, profileId, m.id).data, createdAt: Date.parse(m.createdAt), id: m.id })),
      policy,
      Date.now(),
    );
    return {
      keep: plan.keep.map((k) => ({ backupId: k.backup.id, reasons: k.reasons })),
      remove: plan.remove.map((r) => ({ backupId: r.backup.id, reason: r.reason })),
    };
  }

  async apply(profileId: string, policy: RetentionPolicy): Promise<{ removed: string[] }> {
    await this.assertProfile(profileId);
    const dir = backupPaths(this.root, profileId, 'x').dir;
    const { removed } = await applyRetention(dir, policy, Date.now());
    const ids = removed.map((path) => path.slice(dir.length + 1, -DATA_SUFFIX.length));
    for (const id of ids) {
      await rm(join(dir, `${id}.rdb`), { force: true });
      await this.meta.remove(profileId, id);
    }
    return { removed: ids };
  }
}
