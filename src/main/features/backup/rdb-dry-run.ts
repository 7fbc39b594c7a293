/**
 * A dry run of an `.rdb` file that leaves nothing behind. The file has to become a backup to be
 * compared key by key, but a backup in the profile's folder would be listed, counted by retention
 * and kept for ever; so it is imported into a folder of its own under the backups root
 * (`.dry-run-<random>`: no profile's folder, nothing lists or prunes it) and that folder goes
 * when the dry run ends, however it ends.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DryRunView } from '../../../shared/model/backup';
import type { Session } from '../../redis/connection-manager';
import { privateDirSync } from '../../private-files';
import type { JobContext } from '../jobs/job-registry';
import { backupProgress, dryRunView, sourceOf } from './backup-views';
import { dryRunRestore } from './dry-run';
import { importRdb } from './rdb';
import { restorePlan, type RestoreRequest } from './restore-selection';

/** The name every dry run's folder starts with, so a folder left by a killed process is recognisably one. */
export const DRY_RUN_FOLDER = '.dry-run-';

export async function dryRunRdb(
  root: string,
  session: Session,
  rdbPath: string,
  request: Pick<RestoreRequest, 'selection' | 'policies'>,
  samples: number,
  ctx: JobContext,
): Promise<DryRunView> {
  privateDirSync(root);
  const scratch = await mkdtemp(join(root, DRY_RUN_FOLDER));
  try {
    const started = Date.now();
    const imported = await importRdb(rdbPath, scratch, {
      signal: ctx.signal,
      source: sourceOf(session.profile),
      onProgress: (p) => ctx.progress({ ...backupProgress(p, undefined, started), detail: `reading ${rdbPath}` }),
    });
    ctx.progress({ detail: 'comparing with the target' });
    // The import is named after the target profile, so components and swarms resolve under its key prefix.
    const plan = await restorePlan(scratch, session, { ...request, backupProfileId: session.profile.id, backupId: imported.id }, () =>
      Promise.resolve(session.profile.keyPrefix),
    );
    return dryRunView(await dryRunRestore({ ...plan, samples }));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
