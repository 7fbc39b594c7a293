/**
 * Restores as the operator runs them: preflight, dry run, restore and undo, each on the target
 * profile's live session (the long ones as jobs), and the list of restores with their undo ids.
 * A restore is known by its safety snapshot's id; its files live beside that snapshot.
 */
import { SwarmdeckError } from '../../../shared/errors';
import type { JobView } from '../../../shared/model/job';
import type { DryRunView, PreflightReport, RestoreRecord, RestoreView, UndoView } from '../../../shared/model/backup';
import type { ConnectionManager } from '../../redis/connection-manager';
import { recordAudit } from '../audit/audit';
import type { JobRegistry } from '../jobs/job-registry';
import type { BackupMetaFiles } from './backup-meta';
import { dryRunView, keyName, restoreProgress, restoreView, sourceOf } from './backup-views';
import { dryRunRestore } from './dry-run';
import { preflight } from './preflight';
import { openBackup } from './reader';
import { restoreBackup, type RestoreReport } from './restore';
import { listRestores, targetWriter } from './restore-records';
import { restorePlan, type RestoreRequest } from './restore-selection';
import { undoRestore } from './undo';

export class RestoreJobs {
  constructor(
    private readonly root: string,
    private readonly connections: ConnectionManager,
    private readonly jobs: JobRegistry,
    private readonly meta: BackupMetaFiles,
    private readonly keyPrefixOf: (profileId: string) => Promise<string>,
  ) {}

  /** Newest first, each with its state; a connected target also says which one is still writing. */
  async list(profileId: string): Promise<RestoreRecord[]> {
    const session = this.connections.isConnected(profileId) ? this.connections.session(profileId) : undefined;
    const writer = session ? await targetWriter(session.client, session.profile.keyPrefix) : null;
    return listRestores(this.root, this.meta, profileId, writer);
  }

  async preflight(profileId: string, backupProfileId: string, backupId: string): Promise<PreflightReport> {
    const session = this.connections.session(profileId);
    return preflight(session, await openBackup(this.root, backupProfileId, backupId));
  }

  async dryRun(profileId: string, request: RestoreRequest, samples: number): Promise<JobView> {
    const session = this.connections.session(profileId);
    const plan = await restorePlan(this.root, session, request, this.keyPrefixOf);
    return this.jobs.start<DryRunView>({
      kind: 'backup.dryRun',
      profileId,
      title: `Dry run of ${request.backupId} into ${session.profile.name}`,
      unit: 'keys',
      run: async () => {
        return dryRunView(await dryRunRestore({ ...plan, samples }));
      },
    });
  }

  async restore(profileId: string, request: RestoreRequest, verify: boolean): Promise<JobView> {
    const session = this.connections.session(profileId);
    const plan = await restorePlan(this.root, session, request, this.keyPrefixOf);
    const { conflict, ttl } = request.policies;
    return this.jobs.start<RestoreView>({
      kind: 'backup.restore',
      profileId,
      title: `Restore of ${request.backupId} into ${session.profile.name}`,
      unit: 'keys',
      run: async (ctx) => {
        const r = await restoreBackup({
          ...plan,
          keyPrefix: session.profile.keyPrefix,
          verify,
          signal: ctx.signal,
          onProgress: (p) => ctx.progress(restoreProgress(p)),
        });
        if (r.snapshotId) await this.recordOutcome(profileId, r.snapshotId, r);
        await recordAudit(
          session,
          'backup.restore',
          request.backupId,
          `${r.status}: ${r.writtenCount} written, ${r.skippedExisting} skipped, conflict ${conflict}, ttl ${ttl}, restore ${r.snapshotId ?? 'none'}`,
          r.writtenCount,
        );
        return restoreView(r);
      },
    });
  }

  /** How the restore ended, for the list; a file error here must not lose the restore's report (and its undo id). */
  private async recordOutcome(profileId: string, restoreId: string, r: RestoreReport): Promise<void> {
    const restore = {
      state: r.status,
      finishedAt: new Date().toISOString(),
      written: r.writtenCount,
      ...(r.error ? { error: r.error } : {}),
    };
    await this.meta
      .write(profileId, restoreId, { restore })
      .catch((error: unknown) => console.warn(`restore ${restoreId}: outcome not recorded:`, error));
  }

  /** Undoes a restore; keys changed since it are named and left, unless `replaceChanged`. */
  async undo(profileId: string, restoreId: string, replaceChanged: boolean): Promise<JobView> {
    const session = this.connections.session(profileId);
    const { manifest } = await openBackup(this.root, profileId, restoreId);
    if (manifest.kind !== 'safety-snapshot')
      throw new SwarmdeckError('VALIDATION', `${restoreId} is a backup, not a restore`, { reason: 'not-a-restore' });
    // Undone whole, there is nothing left to undo. An undo that left changed keys is not marked
    // undone: run again (replacing them, say), it compares every key anew and touches only those.
    const meta = await this.meta.read(profileId, restoreId);
    if (meta.undoneAt) throw new SwarmdeckError('CONFLICT', `The restore ${restoreId} was already undone`, { reason: 'already-undone' });
    const journalWhole = meta.restore?.state === 'completed' || meta.restore?.state === 'cancelled';
    return this.jobs.start<UndoView>({
      kind: 'backup.undo',
      profileId,
      title: `Undo of restore ${restoreId}`,
      unit: 'keys',
      run: async (ctx) => {
        ctx.progress({ total: manifest.counts.keys });
        const r = await undoRestore(this.root, session.client, sourceOf(session.profile), restoreId, {
          replaceChanged,
          keyPrefix: session.profile.keyPrefix,
          journalWhole,
        });
        const left = r.changed.replaced ? 0 : r.changed.count;
        if (left === 0) await this.meta.write(profileId, restoreId, { undoneAt: new Date().toISOString() });
        ctx.progress({ done: r.restored + r.deleted });
        await recordAudit(
          session,
          'backup.undo',
          restoreId,
          `${r.restored} put back, ${r.deleted} deleted, ${r.changed.count} changed since the restore ${r.changed.replaced ? 'replaced' : 'left'}`,
          r.restored + r.deleted,
        );
        return {
          restoreId,
          restored: r.restored,
          deleted: r.deleted,
          unchanged: r.unchanged,
          changed: { count: r.changed.count, keys: r.changed.keys.map(keyName), replaced: r.changed.replaced },
        };
      },
    });
  }
}
