import { existsSync } from 'node:fs';
import { readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SwarmdeckError } from '../../../shared/errors';
import type { JobProgress, JobView } from '../../../shared/model/job';
import type {
  BackupComponent,
  BackupDetail,
  BackupFormat,
  BackupManifestView,
  BackupRunResult,
  BackupScopeInput,
  BackupSummary,
  BackupVerification,
  DryRunView,
  KeyName,
  PreflightCheck,
  PreflightReport,
  RestorePolicies,
  RestoreRecord,
  RestoreSelectionInput,
  RestoreView,
  RecoveryFinding as RecoveryFindingView,
  RecoveryPlanView,
  RecoveryReportView,
  RetentionPlanView,
  RetentionPolicy,
  BackupSchedule,
  ScheduleStatus,
  UndoView,
  VerifyResult,
} from '../../../shared/model/backup';
import { BACKUP_COMPONENTS } from '../../../shared/model/backup';
import type { Profile } from '../../../shared/model/profile';
import type { Session, ConnectionManager } from '../../redis/connection-manager';
import { auditKey, componentPatterns, isValidName, swarmKeys } from '../../redis/keyspace';
import { parseInfo } from '../../redis/info';
import { nodeHandles } from '../../redis/nodes';
import { startPrivateServer } from '../../redis/private-server';
import { tightenTreeSync } from '../../private-files';
import { findOnPath } from '../app/sandbox';
import { recordAudit } from '../audit/audit';
import type { JobContext, JobRegistry } from '../jobs/job-registry';
import type { ProfileStore } from '../profiles/profile-store';
import { backupPaths } from './file-writer';
import { DATA_SUFFIX, assertPattern, type Manifest } from './format';
import { exportRdb, importRdb } from './rdb';
import { listBackups, openBackup, readRecords } from './reader';
import { applyRecovery, scanRecovery, type RecoveryFinding, type RecoveryPlan } from './recovery';
import { applyRetention, planRetention } from './retention';
import { BackupScheduler } from './schedule';
import { dryRunRestore, restoreBackup, undoRestore, type RestorePlanOptions, type RestoreSelection } from './restore';
import { acceptedRdbVersion, readTopology } from './topology';
import { verifyBackup } from './verify';
import { createBackup, type BackupProgress, type BackupScope, type SourceProfile } from './writer';

/** What the service remembers about a backup beyond its manifest (the engine's file stays as written). */
interface BackupMeta {
  components?: BackupComponent[];
  swarmId?: string;
  origin?: 'backup' | 'rdb-import';
  verification?: BackupVerification;
  /** Restores (safety snapshots) only: when it was undone. */
  undoneAt?: string;
}

const META_SUFFIX = '.meta.json';

/** A key as the operator reads it: UTF-8 when it is, `\xNN` escapes plus the hex otherwise. */
export function keyName(key: Buffer): KeyName {
  const text = key.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(key)) return { text };
  const escaped = [...key]
    .map((b) => (b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`))
    .join('');
  return { text: escaped, hex: key.toString('hex') };
}

const sourceOf = (p: Profile): SourceProfile => ({ id: p.id, name: p.name, environment: p.environment });

/** Keys per second and the time left, from the work done since `started`. */
function pace(done: number, total: number | undefined, started: number): { rate?: number; etaMs?: number } {
  const secs = (Date.now() - started) / 1000;
  if (secs <= 0 || done === 0) return {};
  const rate = done / secs;
  return { rate, ...(total !== undefined && total >= done ? { etaMs: Math.round(((total - done) / rate) * 1000) } : {}) };
}

/**
 * Backups and restores for the operator: each long operation runs as a job on the profile's
 * live session, with progress from the engine's callbacks and cancel through the job's signal.
 * Files live in `<home>/backups/<profileId>/`; the contract names them by id, never by path.
 */
export class BackupService {
  readonly root: string;
  private readonly scheduler: BackupScheduler;
  /** The last recovery plan shown per profile: apply fixes exactly what the operator saw. */
  private readonly plans = new Map<string, RecoveryPlan>();

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
    this.scheduler = new BackupScheduler({ home, run: (profileId) => this.scheduledRun(profileId) });
  }

  /**
   * Arms the saved schedules. Long-running hosts (the window, the web host) call it at boot; a
   * one-shot CLI command never does, so it cannot start a backup by accident.
   */
  startSchedules(): Promise<void> {
    return this.scheduler.start();
  }

  stopSchedules(): Promise<void> {
    return this.scheduler.stop();
  }

  // ---------------------------------------------------------------- reading

  async list(profileId: string): Promise<BackupSummary[]> {
    const manifests = await listBackups(this.root, profileId);
    return Promise.all(manifests.filter((m) => m.kind === 'backup').map((m) => this.summary(m)));
  }

  async show(profileId: string, backupId: string): Promise<BackupDetail> {
    const { manifest } = await openBackup(this.root, profileId, backupId);
    return { summary: await this.summary(manifest), manifest: manifest satisfies BackupManifestView };
  }

  async restores(profileId: string): Promise<RestoreRecord[]> {
    const manifests = await listBackups(this.root, profileId);
    const out: RestoreRecord[] = [];
    for (const m of manifests) {
      if (m.kind !== 'safety-snapshot' || !m.snapshotOf) continue;
      const meta = await this.readMeta(profileId, m.id);
      out.push({
        restoreId: m.id,
        createdAt: m.createdAt,
        backupId: m.snapshotOf.backupId,
        backupProfileId: m.snapshotOf.backupProfileId,
        keys: m.counts.keys,
        undone: meta.undoneAt !== undefined,
      });
    }
    return out;
  }

  // ---------------------------------------------------------------- backup

  start(profileId: string, scope: BackupScopeInput, swarmId: string | undefined, format: BackupFormat): JobView {
    const session = this.connections.session(profileId);
    const { engineScope, components } = this.engineScope(session, scope, swarmId);
    return this.jobs.start<BackupRunResult>({
      kind: 'backup',
      profileId,
      title: swarmId ? `Snapshot of swarm ${swarmId}` : `Backup of ${session.profile.name}`,
      unit: 'keys',
      run: async (ctx) => {
        const total = engineScope.kind === 'all' ? await this.dbsize(session) : undefined;
        const started = Date.now();
        const result = await createBackup(session.client, sourceOf(session.profile), {
          root: this.root,
          scope: engineScope,
          signal: ctx.signal,
          onProgress: (p) => ctx.progress(backupProgress(p, total, started)),
        });
        await this.writeMeta(profileId, result.id, { components, ...(swarmId ? { swarmId } : {}), origin: 'backup' });
        let rdb: BackupRunResult['rdb'];
        if (format === 'rdb') {
          ctx.progress({ detail: 'writing the .rdb file' });
          const path = join(backupPaths(this.root, profileId, result.id).dir, `${result.id}.rdb`);
          rdb = { path, ...(await exportRdb(result.manifestPath, path, { signal: ctx.signal })) };
        }
        // A read-only profile refuses the audit write too; its backup changed nothing in Redis.
        if (!session.profile.readOnly)
          await recordAudit(
            session,
            'backup.create',
            result.id,
            `${result.manifest.counts.keys} keys${swarmId ? `, swarm ${swarmId}` : ''}${format === 'rdb' ? ', rdb' : ''}`,
            result.manifest.counts.keys,
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
        await this.writeMeta(profileId, result.id, { origin: 'rdb-import' });
        if (!session.profile.readOnly)
          await recordAudit(
            session,
            'backup.import',
            result.id,
            `${rdbPath}: ${result.manifest.counts.keys} keys`,
            result.manifest.counts.keys,
          );
        return { backup: await this.summary(result.manifest) };
      },
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
        if (testRestore && report.ok) {
          ctx.progress({ done: 0, detail: 'restoring into a scratch server' });
          result.testRestore = await this.scratchRestore(profileId, backupId, ctx);
          result.ok = result.testRestore.failed === 0;
        }
        ctx.progress({ done: report.structure.records });
        const problems = [
          ...report.manifest.problems,
          ...(report.error ? [report.error.message] : []),
          ...(result.testRestore?.errors ?? []),
        ];
        await this.writeMeta(profileId, backupId, {
          verification: {
            state: result.ok ? 'verified' : 'failed',
            at: new Date().toISOString(),
            testRestored: testRestore && report.ok,
            problems,
          },
        });
        return result;
      },
    });
  }

  // ---------------------------------------------------------------- restore

  async preflight(profileId: string, backupProfileId: string, backupId: string): Promise<PreflightReport> {
    const session = this.connections.session(profileId);
    const { manifest } = await openBackup(this.root, backupProfileId, backupId);
    const checks: PreflightCheck[] = [];
    const topo = await readTopology(session.client);
    checks.push({ id: 'reachable', status: 'ok', message: `${topo.nodes.filter((n) => n.role !== 'replica').length} master(s) answer` });
    const targetRdb = acceptedRdbVersion(topo);
    const payloadRdb = manifest.rdbVersion;
    checks.push(
      payloadRdb === null || payloadRdb <= targetRdb
        ? { id: 'rdb-version', status: 'ok', message: `payload RDB version ${payloadRdb ?? 'none'}, the target accepts up to ${targetRdb}` }
        : {
            id: 'rdb-version',
            status: 'fail',
            message: `payload RDB version ${payloadRdb} is newer than the target accepts (${targetRdb}): RESTORE would refuse every key`,
          },
    );
    const from = manifest.topology.kind;
    checks.push(
      from === topo.kind
        ? { id: 'topology', status: 'ok', message: `${from} to ${topo.kind}` }
        : {
            id: 'topology',
            status: 'warn',
            message: `${from} backup into a ${topo.kind} target: keys are routed by slot; multi-key values that relied on one node stay per key`,
          },
    );
    const freeMemoryBytes = await this.freeMemory(session);
    const dataBytes = manifest.counts.payloadBytes;
    if (freeMemoryBytes === null) checks.push({ id: 'memory', status: 'ok', message: 'no maxmemory limit on the target' });
    else if (dataBytes > freeMemoryBytes)
      checks.push({
        id: 'memory',
        status: 'fail',
        message: `${dataBytes} bytes to restore, ${freeMemoryBytes} bytes free under maxmemory`,
      });
    else if (dataBytes > freeMemoryBytes * 0.8)
      checks.push({
        id: 'memory',
        status: 'warn',
        message: `${dataBytes} bytes to restore fill most of the ${freeMemoryBytes} bytes free under maxmemory`,
      });
    else checks.push({ id: 'memory', status: 'ok', message: `${dataBytes} bytes to restore, ${freeMemoryBytes} bytes free` });
    checks.push(await this.aclCheck(session));
    return {
      ok: checks.every((c) => c.status !== 'fail'),
      checks,
      payloadRdbVersion: payloadRdb,
      targetRdbVersion: targetRdb,
      backupTopology: from,
      targetTopology: topo.kind,
      dataBytes,
      freeMemoryBytes,
    };
  }

  async dryRun(
    profileId: string,
    backupProfileId: string,
    backupId: string,
    selection: RestoreSelectionInput,
    policies: RestorePolicies,
    samples: number,
  ): Promise<JobView> {
    const session = this.connections.session(profileId);
    const plan = await this.plan(session, backupProfileId, backupId, selection, policies);
    return this.jobs.start<DryRunView>({
      kind: 'backup.dryRun',
      profileId,
      title: `Dry run of ${backupId} into ${session.profile.name}`,
      unit: 'keys',
      run: async () => {
        const r = await dryRunRestore({ ...plan, samples });
        const view = (k: { count: number; samples: Buffer[] }) => ({ count: k.count, samples: k.samples.map(keyName) });
        return {
          selected: r.selected,
          expired: r.expired,
          new: view(r.new),
          identical: view(r.identical),
          different: view(r.different),
          onlyInTarget: view(r.onlyInTarget),
        };
      },
    });
  }

  async restore(
    profileId: string,
    backupProfileId: string,
    backupId: string,
    selection: RestoreSelectionInput,
    policies: RestorePolicies,
    verify: boolean,
  ): Promise<JobView> {
    const session = this.connections.session(profileId);
    const plan = await this.plan(session, backupProfileId, backupId, selection, policies);
    return this.jobs.start<RestoreView>({
      kind: 'backup.restore',
      profileId,
      title: `Restore of ${backupId} into ${session.profile.name}`,
      unit: 'keys',
      run: async (ctx) => {
        const r = await restoreBackup({
          ...plan,
          verify,
          signal: ctx.signal,
          onProgress: (p) =>
            ctx.progress({
              done: p.total.keys,
              total: p.total.planned,
              rate: p.total.keysPerSec,
              ...(p.total.etaMs === null ? {} : { etaMs: p.total.etaMs }),
              parts: Object.fromEntries(Object.entries(p.nodes).map(([address, n]) => [address, { done: n.keys }])),
            }),
        });
        const mismatched = r.verification?.mismatched ?? [];
        const out: RestoreView = {
          restoreId: r.snapshotId,
          status: r.status,
          ...(r.error ? { error: r.error } : {}),
          writtenCount: r.writtenCount,
          skippedExisting: r.skippedExisting,
          skippedExpired: r.skippedExpired,
          verification: r.verification
            ? { checked: r.verification.checked, mismatchedCount: mismatched.length, mismatched: mismatched.slice(0, 100).map(keyName) }
            : null,
          durationMs: r.durationMs,
        };
        await recordAudit(
          session,
          'backup.restore',
          backupId,
          `${r.status}: ${r.writtenCount} written, ${r.skippedExisting} skipped, conflict ${policies.conflict}, ttl ${policies.ttl}, restore ${r.snapshotId ?? 'none'}`,
          r.writtenCount,
        );
        return out;
      },
    });
  }

  async undo(profileId: string, restoreId: string): Promise<JobView> {
    const session = this.connections.session(profileId);
    const { manifest } = await openBackup(this.root, profileId, restoreId);
    if (manifest.kind !== 'safety-snapshot')
      throw new SwarmdeckError('VALIDATION', `${restoreId} is a backup, not a restore`, { reason: 'not-a-restore' });
    // A second undo would delete keys written since the first one: refuse it.
    if ((await this.readMeta(profileId, restoreId)).undoneAt)
      throw new SwarmdeckError('CONFLICT', `The restore ${restoreId} was already undone`, { reason: 'already-undone' });
    return this.jobs.start<UndoView>({
      kind: 'backup.undo',
      profileId,
      title: `Undo of restore ${restoreId}`,
      unit: 'keys',
      run: async (ctx) => {
        ctx.progress({ total: manifest.counts.keys });
        const r = await undoRestore(this.root, session.client, sourceOf(session.profile), restoreId);
        await this.writeMeta(profileId, restoreId, { undoneAt: new Date().toISOString() });
        ctx.progress({ done: r.restored + r.deleted });
        await recordAudit(session, 'backup.undo', restoreId, `${r.restored} put back, ${r.deleted} deleted`, r.restored + r.deleted);
        return { restoreId, ...r };
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
    await rm(join(paths.dir, `${backupId}${META_SUFFIX}`), { force: true });
    return { deleted: backupId };
  }

  // ---------------------------------------------------------------- retention and schedules

  async retentionPreview(profileId: string, policy: RetentionPolicy): Promise<RetentionPlanView> {
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

  async retentionApply(profileId: string, policy: RetentionPolicy): Promise<{ removed: string[] }> {
    await this.profileOf(profileId);
    const dir = backupPaths(this.root, profileId, 'x').dir;
    const { removed } = await applyRetention(dir, policy, Date.now());
    const ids = removed.map((path) => path.slice(dir.length + 1, -DATA_SUFFIX.length));
    for (const id of ids) {
      await rm(join(dir, `${id}.rdb`), { force: true });
      await rm(this.metaPath(profileId, id), { force: true });
    }
    return { removed: ids };
  }

  async scheduleGet(profileId: string): Promise<BackupSchedule | null> {
    return (await this.scheduler.list()).find((s) => s.profileId === profileId)?.spec ?? null;
  }

  async scheduleSet(profileId: string, schedule: BackupSchedule | null): Promise<ScheduleStatus> {
    await this.profileOf(profileId);
    if (schedule === null) await this.scheduler.remove(profileId);
    else await this.scheduler.set(profileId, schedule);
    return this.scheduleStatus(profileId);
  }

  async scheduleStatus(profileId: string): Promise<ScheduleStatus> {
    const st = this.scheduler.status(profileId);
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    const last = st.lastResult;
    return {
      schedule: await this.scheduleGet(profileId),
      lastRun: iso(st.lastRun),
      lastResult: last
        ? {
            ok: last.ok,
            finishedAt: new Date(last.finishedAt).toISOString(),
            ...(last.ok ? {} : { error: { code: last.error.code, message: last.error.message } }),
          }
        : null,
      nextRun: iso(st.nextRun),
      missed: st.missed,
      running: st.running,
    };
  }

  /** One scheduled backup: the whole keyspace, as a job like any other, connecting the profile if needed. */
  private async scheduledRun(profileId: string): Promise<void> {
    if (!this.connections.isConnected(profileId)) await this.connections.connect(profileId);
    const view = await this.jobs.settled(this.start(profileId, { kind: 'all' }, undefined, 'swarmdeck').id);
    if (view.state !== 'done')
      throw view.error ? SwarmdeckError.fromPayload(view.error) : new SwarmdeckError('CONFLICT', 'The scheduled backup was cancelled');
  }

  // ---------------------------------------------------------------- recovery

  async recoveryScan(profileId: string): Promise<RecoveryPlanView> {
    const session = this.connections.session(profileId);
    const plan = await scanRecovery(session.client, session.profile.keyPrefix);
    this.plans.set(profileId, plan);
    return { findings: plan.findings.map(findingView) };
  }

  /** Applies the plan of the last scan (a fresh scan when there was none); each fix re-checks its finding atomically. */
  async recoveryApply(profileId: string): Promise<RecoveryReportView> {
    const session = this.connections.session(profileId);
    const plan = this.plans.get(profileId) ?? (await scanRecovery(session.client, session.profile.keyPrefix));
    this.plans.delete(profileId);
    const r = await applyRecovery(session.client, session.profile.keyPrefix, plan, { by: `operator:${session.profile.name}` });
    return {
      applied: r.fixed,
      skipped: r.skipped,
      failed: r.items.filter((i) => i.outcome === 'failed').map((i) => ({ subject: findingView(i.finding).subject, error: i.detail })),
    };
  }

  // ---------------------------------------------------------------- helpers

  private async profileOf(profileId: string): Promise<Profile> {
    return this.connections.isConnected(profileId) ? this.connections.session(profileId).profile : this.profiles.get(profileId);
  }

  /** Checks everything that can be checked before the job starts, so a bad request is a typed error, not a failed job. */
  private async plan(
    session: Session,
    backupProfileId: string,
    backupId: string,
    selection: RestoreSelectionInput,
    policies: RestorePolicies,
  ): Promise<RestorePlanOptions> {
    selection.patterns?.forEach((p, i) => assertPattern(p, `selection.patterns.${i}`));
    const { manifest } = await openBackup(this.root, backupProfileId, backupId);
    return {
      root: this.root,
      backup: { profileId: backupProfileId, id: backupId },
      target: session.client,
      targetProfile: sourceOf(session.profile),
      select: withBackupScope(await this.keySelection(session, backupProfileId, selection), manifest),
      conflict: policies.conflict,
      ttl: policies.ttl,
      ...(policies.intoPrefix ? { rewrite: policies.intoPrefix } : {}),
      // The audit stream records what operators did, this restore included: never rolled back.
      keep: [Buffer.from(auditKey(session.profile.keyPrefix))],
    };
  }

  /**
   * Components and swarms become patterns and prefixes under the key prefix of the profile the
   * backup was taken of: the selection names keys as they are in the backup, before any rename.
   */
  private async keySelection(session: Session, backupProfileId: string, selection: RestoreSelectionInput): Promise<RestoreSelection> {
    const { components = [], swarmIds = [], ...rest } = selection;
    if (components.length === 0 && swarmIds.length === 0) return rest;
    const prefix = backupProfileId === session.profile.id ? session.profile.keyPrefix : (await this.profileOf(backupProfileId)).keyPrefix;
    swarmIds.forEach((id, i) => {
      if (!isValidName(id))
        throw new SwarmdeckError('VALIDATION', `Malformed swarm id: ${id}`, {
          fields: [{ path: `selection.swarmIds.${i}`, message: 'Malformed swarm id' }],
        });
    });
    const all = componentPatterns(prefix);
    const patterns = [...(rest.patterns ?? []), ...BACKUP_COMPONENTS.filter((c) => components.includes(c)).flatMap((c) => all[c])];
    const prefixes = [...(rest.prefixes ?? []), ...swarmIds.map((id) => swarmKeys(prefix, id).base)];
    return { ...rest, ...(patterns.length ? { patterns } : {}), ...(prefixes.length ? { prefixes } : {}) };
  }

  private engineScope(
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

  private async dbsize(session: Session): Promise<number> {
    const sizes = await Promise.all(nodeHandles(session.client, 'master').map((h) => h.client.dbsize()));
    return sizes.reduce((a, b) => a + b, 0);
  }

  private async freeMemory(session: Session): Promise<number | null> {
    let free = 0;
    for (const h of nodeHandles(session.client, 'master')) {
      const info = parseInfo(String(await h.client.info('memory')));
      const max = Number(info.maxmemory ?? 0);
      if (max === 0) return null;
      free += Math.max(0, max - Number(info.used_memory ?? 0));
    }
    return free;
  }

  /** Whether this connection's user may RESTORE, asked of the server without writing (ACL DRYRUN, Redis 7). */
  private async aclCheck(session: Session): Promise<PreflightCheck> {
    if (session.profile.readOnly)
      return { id: 'acl', status: 'fail', message: `profile "${session.profile.name}" is read-only: a restore is refused` };
    const node = nodeHandles(session.client, 'master')[0];
    if (!node) return { id: 'acl', status: 'warn', message: 'no master to ask' };
    try {
      const user = String(await node.client.call('ACL', 'WHOAMI'));
      const answer = String(await node.client.call('ACL', 'DRYRUN', user, 'RESTORE', 'swarmdeck-preflight', '0', 'x', 'REPLACE'));
      return answer === 'OK'
        ? { id: 'acl', status: 'ok', message: `user ${user} may RESTORE` }
        : { id: 'acl', status: 'fail', message: `user ${user} may not RESTORE: ${answer}` };
    } catch (error) {
      return { id: 'acl', status: 'warn', message: `could not ask the server whether RESTORE is allowed: ${(error as Error).message}` };
    }
  }

  /**
   * Restores every record into a private redis-server (no port, a socket in a 0700 folder, gone
   * with this process): the proof that RESTORE accepts each payload, without touching any
   * server the operator uses.
   */
  private async scratchRestore(
    profileId: string,
    backupId: string,
    ctx: JobContext,
  ): Promise<{ restored: number; failed: number; errors: string[] }> {
    const binary = findOnPath('redis-server');
    if (!binary)
      throw new SwarmdeckError(
        'UNAVAILABLE',
        'A test restore needs redis-server on the PATH (Debian/Ubuntu: "sudo apt-get install redis-server")',
      );
    const scratch = await startPrivateServer(binary, { purpose: 'the test restore', signal: ctx.signal });
    const { client } = scratch;
    const out = { restored: 0, failed: 0, errors: [] as string[] };
    try {
      let batch: { key: Buffer; payload: Buffer }[] = [];
      const flush = async () => {
        const p = client.pipeline();
        for (const r of batch) p.call('RESTORE', r.key, 0, r.payload, 'REPLACE');
        const replies = (await p.exec()) ?? [];
        replies.forEach(([err], i) => {
          if (!err) out.restored += 1;
          else {
            out.failed += 1;
            if (out.errors.length < 10) out.errors.push(`${keyName((batch[i] as { key: Buffer }).key).text}: ${err.message}`);
          }
        });
        batch = [];
        ctx.progress({ done: out.restored + out.failed });
      };
      for await (const r of readRecords(await openBackup(this.root, profileId, backupId))) {
        if (ctx.signal.aborted) throw new SwarmdeckError('CONFLICT', 'The verification was cancelled', { reason: 'cancelled' });
        batch.push({ key: r.key, payload: r.payload });
        if (batch.length >= 1000) await flush();
      }
      if (batch.length > 0) await flush();
      return out;
    } finally {
      await scratch.stop();
    }
  }

  private metaPath(profileId: string, id: string): string {
    return join(backupPaths(this.root, profileId, id).dir, `${id}${META_SUFFIX}`);
  }

  private async readMeta(profileId: string, id: string): Promise<BackupMeta> {
    const path = this.metaPath(profileId, id);
    if (!existsSync(path)) return {};
    try {
      return JSON.parse(await readFile(path, 'utf8')) as BackupMeta;
    } catch {
      throw new SwarmdeckError('CORRUPT_FILE', `${path} is not valid JSON`, { file: path });
    }
  }

  /** Merges into the sidecar file, written whole to a temporary name and renamed into place. */
  private async writeMeta(profileId: string, id: string, patch: BackupMeta): Promise<void> {
    const path = this.metaPath(profileId, id);
    const next = { ...(await this.readMeta(profileId, id)), ...patch };
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(next, null, 2), { mode: 0o600 });
    await rename(tmp, path);
  }

  private async summary(m: Manifest): Promise<BackupSummary> {
    const meta = await this.readMeta(m.source.profileId, m.id);
    return {
      id: m.id,
      profileId: m.source.profileId,
      profileName: m.source.profileName,
      environment: m.source.environment,
      topology: m.source.topology,
      createdAt: m.createdAt,
      durationMs: m.durationMs,
      keys: m.counts.keys,
      sizeBytes: m.file.compressedBytes,
      payloadBytes: m.counts.payloadBytes,
      components: meta.components ?? [],
      scope: m.scope,
      ...(meta.swarmId ? { swarmId: meta.swarmId } : {}),
      origin: meta.origin ?? 'backup',
      rdbVersion: m.rdbVersion,
      redisVersions: m.redisVersions,
      verification: meta.verification ?? { state: 'unverified', problems: [] },
    };
  }
}

function findingView(f: RecoveryFinding): RecoveryFindingView {
  switch (f.kind) {
    case 'expired-lease':
      return {
        kind: f.kind,
        subject: `queue ${f.queue} task ${f.taskId}`,
        detail: f.evidence,
        action: f.attempts >= f.maxAttempts ? 'dead-letter the task' : 'put the task back to waiting',
      };
    case 'orphan-task':
      return { kind: f.kind, subject: `queue ${f.queue} task ${f.taskId}`, detail: f.evidence, action: 'delete the unreachable task hash' };
    case 'idle-swarm':
      return { kind: f.kind, subject: `swarm ${f.swarmId}`, detail: f.evidence, action: 'stop the swarm' };
    case 'missing-swarm':
      return { kind: f.kind, subject: `swarm ${f.swarmId}`, detail: f.evidence, action: `delete its ${f.keys.length} leftover keys` };
    case 'unknown-agent':
      return { kind: f.kind, subject: `swarm ${f.swarmId} agent ${f.agentId}`, detail: f.evidence, action: "delete the agent's hash" };
  }
}

/**
 * Without patterns or prefixes of its own, a restore covers what the backup covered: every
 * record matches that scope anyway, and "only in the target" must mean keys of that scope the
 * backup does not hold, not every other key on the server.
 */
function withBackupScope(selection: RestoreSelection, m: Manifest): RestoreSelection {
  if ((selection.patterns?.length ?? 0) > 0 || (selection.prefixes?.length ?? 0) > 0) return selection;
  if (m.scope.kind === 'patterns') return { ...selection, patterns: m.scope.patterns };
  if (m.scope.kind === 'prefixes')
    return { ...selection, prefixes: m.scope.prefixes.map((p) => (p.encoding === 'hex' ? Buffer.from(p.value, 'hex') : p.value)) };
  return selection;
}

function backupProgress(p: BackupProgress, total: number | undefined, started: number): Partial<JobProgress> {
  return {
    done: p.keys,
    ...(total !== undefined ? { total: Math.max(total, p.keys) } : {}),
    ...pace(p.keys, total, started),
    parts: Object.fromEntries(p.shards.map((s) => [s.address, { done: s.keys }])),
  };
}
