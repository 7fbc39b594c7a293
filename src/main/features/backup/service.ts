import { rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SwarmdeckError } from '../../../shared/errors';
import type { JobView } from '../../../shared/model/job';
import type {
  BackupComponent,
  BackupDetail,
  BackupFormat,
  BackupManifestView,
  BackupRunResult,
  BackupScopeInput,
  BackupSummary,
  DryRunView,
  VerifyResult,
} from '../../../shared/model/backup';
import { BACKUP_COMPONENTS } from '../../../shared/model/backup';
import type { Profile } from '../../../shared/model/profile';
import type { HostKind } from '../../actor';
import type { Session, ConnectionManager } from '../../redis/connection-manager';
import { componentPatterns } from '../../redis/keyspace';
import { nodeHandles } from '../../redis/nodes';
import { tightenTreeSync } from '../../private-files';
import { recordAudit } from '../audit/audit';
import type { JobContext, JobRegistry } from '../jobs/job-registry';
import type { ProfileStore } from '../profiles/profile-store';
import { BackupMetaFiles } from './backup-meta';
import { backupProgress, sourceOf, summaryOf } from './backup-views';
import { backupPaths } from './file-writer';
import { assertPattern, type Manifest } from './format';
import { exportRdb, importRdb } from './rdb';
import { dryRunRdb } from './rdb-dry-run';
import { listBackups, openBackup } from './reader';
import { RecoveryService } from './recovery-service';
import { RestoreJobs } from './restore-jobs';
import type { RestoreRequest } from './restore-selection';
import { RetentionService } from './retention-service';
import { ScheduleService } from './schedule-service';
import { scratchRestore } from './scratch-restore';
import { verifyBackup } from './verify';
import { createBackup, type BackupScope } from './writer';

/**
 * Backups and restores for the operator: each long operation runs as a job on the profile's
 * live session, with progress from the engine's callbacks and cancel through the job's signal.
 * Files live in `<home>/backups/<profileId>/`; the contract names them by id, never by path.
 * Backups themselves are taken, verified and removed here; restores, schedules, retention and
 * recovery are parts of their own.
 */
export class BackupService {
  readonly root: string;
  readonly restores: RestoreJobs;
  readonly schedules: ScheduleService;
  readonly retention: RetentionService;
  readonly recovery: RecoveryService;
  private readonly meta: BackupMetaFiles;

  constructor(
    home: string,
    private readonly connections: ConnectionManager,
    private readonly profiles: ProfileStore,
    private readonly jobs: JobRegistry,
  ) {
    this.root = join(home, 'backups');
    try {
      // Earlier builds wrote backups 0644 in 0755 folders: close what they left behind.
      tightenTreeSync(this.root);
    } catch (error) {
      console.warn(`could not make ${this.root} private:`, error);
    }
    this.meta = new BackupMetaFiles(this.root);
    const profileOf = (profileId: string) => this.profileOf(profileId);
    this.restores = new RestoreJobs(this.root, connections, jobs, this.meta, async (id) => (await profileOf(id)).keyPrefix);
    this.schedules = new ScheduleService(home, (profileId) => this.scheduledRun(profileId), profileOf);
    this.retention = new RetentionService(this.root, this.meta, profileOf);
    this.recovery = new RecoveryService(connections);
  }

  /** Runs the saved schedules, or follows the host that does: for long-running hosts only (see ScheduleService.start). */
  startSchedules(via: HostKind): Promise<void> {
    return this.schedules.start(via);
  }

  stopSchedules(): Promise<void> {
    return this.schedules.stop();
  }

  async list(profileId: string): Promise<BackupSummary[]> {
    const manifests = await listBackups(this.root, profileId);
    return Promise.all(manifests.filter((m) => m.kind === 'backup').map((m) => this.summary(m)));
  }

  async show(profileId: string, backupId: string): Promise<BackupDetail> {
    const { manifest } = await openBackup(this.root, profileId, backupId);
    return { summary: await this.summary(manifest), manifest: manifest satisfies BackupManifestView };
  }

  start(profileId: string, scope: BackupScopeInput, swarmId: string | undefined, format: BackupFormat): JobView {
    const session = this.connections.session(profileId);
    const { engineScope, components } = engineScopeOf(session, scope, swarmId);
    return this.jobs.start<BackupRunResult>({
      kind: 'backup',
      profileId,
      title: swarmId ? `Snapshot of swarm ${swarmId}` : `Backup of ${session.profile.name}`,
      unit: 'keys',
      run: async (ctx) => {
        const total = engineScope.kind === 'all' ? await dbsize(session) : undefined;
        const started = Date.now();
        const result = await createBackup(session.client, sourceOf(session.profile), {
          root: this.root,
          scope: engineScope,
          signal: ctx.signal,
          onProgress: (p) => ctx.progress(backupProgress(p, total, started)),
        });
        await this.meta.write(profileId, result.id, { components, ...(swarmId ? { swarmId } : {}), origin: 'backup' });
        let rdb: BackupRunResult['rdb'];
        if (format === 'rdb') {
          ctx.progress({ detail: 'writing the .rdb file' });
          const path = join(backupPaths(this.root, profileId, result.id).dir, `${result.id}.rdb`);
          rdb = { path, ...(await exportRdb(result.manifestPath, path, { signal: ctx.signal })) };
        }
        const keys = result.manifest.counts.keys;
        // A read-only profile refuses the audit write too; its backup changed nothing in Redis.
        if (!session.profile.readOnly)
          await recordAudit(
            session,
            'backup.create',
            result.id,
            `${keys} keys${swarmId ? `, swarm ${swarmId}` : ''}${rdb ? ', rdb' : ''}`,
            keys,
          );
        return { backup: await this.summary(result.manifest), ...(rdb ? { rdb } : {}) };
      },
    });
  }

  importRdb(profileId: string, rdbPath: string): JobView {
    const session = this.connections.session(profileId);
    return this.jobs.start<BackupRunResult>({
      kind: 'backup.importRdb',
      profileId,
      title: `Import of ${rdbPath}`,
      unit: 'keys',
      run: async (ctx) => {
        const started = Date.now();
        const result = await importRdb(rdbPath, this.root, {
          signal: ctx.signal,
          source: sourceOf(session.profile),
          onProgress: (p) => ctx.progress(backupProgress(p, undefined, started)),
        });
        await this.meta.write(profileId, result.id, { origin: 'rdb-import', importedFrom: rdbPath });
        const keys = result.manifest.counts.keys;
        if (!session.profile.readOnly) await recordAudit(session, 'backup.import', result.id, `${rdbPath}: ${keys} keys`, keys);
        return { backup: await this.summary(result.manifest) };
      },
    });
  }

  dryRunRdb(profileId: string, rdbPath: string, request: Pick<RestoreRequest, 'selection' | 'policies'>, samples: number): JobView {
    const session = this.connections.session(profileId);
    return this.jobs.start<DryRunView>({
      kind: 'backup.dryRun',
      profileId,
      title: `Dry run of ${rdbPath} into ${session.profile.name}`,
      unit: 'keys',
      run: (ctx) => dryRunRdb(this.root, session, rdbPath, request, samples, ctx),
    });
  }

  async verify(profileId: string, backupId: string, testRestore: boolean): Promise<JobView> {
    const { manifest } = await openBackup(this.root, profileId, backupId);
    const target = this.connections.isConnected(profileId) ? this.connections.session(profileId).client : undefined;
    return this.jobs.start<VerifyResult>({
      kind: 'backup.verify',
      profileId,
      title: `Verify ${backupId}`,
      unit: 'keys',
      run: async (ctx) => {
        ctx.progress({ total: manifest.counts.keys, detail: 'reading the file through' });
        const report = await verifyBackup(this.root, profileId, backupId, target);
        const result: VerifyResult = {
          ...report,
          error: report.error ? { code: report.error.code, message: report.error.message } : undefined,
        };
        if (testRestore && report.ok) await this.testRestore(profileId, backupId, result, ctx);
        ctx.progress({ done: report.structure.records });
        const problems = [
          ...report.manifest.problems,
          ...(report.error ? [report.error.message] : []),
          ...(result.testRestore?.errors ?? []),
        ];
        const verification = {
          state: result.ok ? 'verified' : 'failed',
          at: new Date().toISOString(),
          testRestored: testRestore && report.ok,
          problems,
        } as const;
        await this.meta.write(profileId, backupId, { verification });
        return result;
      },
    });
  }

  async delete(profileId: string, backupId: string): Promise<{ deleted: string }> {
    const { paths, manifest } = await openBackup(this.root, profileId, backupId);
    if (manifest.kind !== 'backup')
      throw new SwarmdeckError('VALIDATION', `${backupId} is the safety snapshot of a restore; it goes with the restore`, {
        reason: 'not-a-backup',
      });
    // The manifest first: without it the pair is no longer a finished backup, whatever happens next.
    await unlink(paths.manifest);
    await rm(paths.data, { force: true });
    await rm(join(paths.dir, `${backupId}.rdb`), { force: true });
    await this.meta.remove(profileId, backupId);
    return { deleted: backupId };
  }

  private async testRestore(profileId: string, backupId: string, result: VerifyResult, ctx: JobContext): Promise<void> {
    ctx.progress({ done: 0, detail: 'restoring into a scratch server' });
    result.testRestore = await scratchRestore(await openBackup(this.root, profileId, backupId), ctx);
    result.ok = result.testRestore.failed === 0;
  }

  /** One scheduled backup: the whole keyspace, as a job like any other, connecting the profile if needed. */
  private async scheduledRun(profileId: string): Promise<void> {
    if (!this.connections.isConnected(profileId)) await this.connections.connect(profileId);
    const view = await this.jobs.settled(this.start(profileId, { kind: 'all' }, undefined, 'swarmdeck').id);
    if (view.state !== 'done')
      throw view.error ? SwarmdeckError.fromPayload(view.error) : new SwarmdeckError('CONFLICT', 'The scheduled backup was cancelled');
  }

  private async profileOf(profileId: string): Promise<Profile> {
    return this.connections.isConnected(profileId) ? this.connections.session(profileId).profile : this.profiles.get(profileId);
  }

  private async summary(m: Manifest): Promise<BackupSummary> {
    return summaryOf(m, await this.meta.read(m.source.profileId, m.id));
  }
}

function engineScopeOf(
  session: Session,
  scope: BackupScopeInput,
  swarmId: string | undefined,
): { engineScope: BackupScope; components: BackupComponent[] } {
  const prefix = session.profile.keyPrefix;
  if (swarmId !== undefined) {
    if (scope.kind !== 'all')
      throw new SwarmdeckError('VALIDATION', 'A swarm snapshot takes the whole swarm: give no other scope', {
        fields: [{ path: 'scope', message: 'Must be all with swarmId' }],
      });
    // Every key of a swarm shares its hash tag, so one script on one node reads it at one instant.
    return { engineScope: { kind: 'swarm', prefix, swarmId }, components: [] };
  }
  if (scope.kind === 'components') {
    const all = componentPatterns(prefix);
    const components = BACKUP_COMPONENTS.filter((c) => scope.components.includes(c));
    return { engineScope: { kind: 'patterns', patterns: components.flatMap((c) => all[c]) }, components };
  }
  if (scope.kind === 'patterns') scope.patterns.forEach((p, i) => assertPattern(p, `scope.patterns.${i}`));
  return { engineScope: scope, components: [] };
}

async function dbsize(session: Session): Promise<number> {
  const sizes = await Promise.all(nodeHandles(session.client, 'master').map((h) => h.client.dbsize()));
  return sizes.reduce((a, b) => a + b, 0);
}
