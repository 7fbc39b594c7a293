import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/shared/contract';
import type {
  BackupRunResult,
  BackupSummary,
  DryRunView,
  PreflightReport,
  RecoveryPlanView,
  RecoveryReportView,
  RestoreRecord,
  RestoreView,
  RetentionPlanView,
  ScheduleStatus,
  UndoView,
  VerifyResult,
} from '../../src/shared/model/backup';
import type { JobView } from '../../src/shared/model/job';
import type { RedisClient } from '../../src/main/redis/client-options';
import { auditKey, queueKeys, restoreLockKey, swarmKeys } from '../../src/main/redis/keyspace';
import { cluster, harness, ok, standalone } from '../support/bed';
import { keysUnder, seedMany } from './backup-seed';

const h = harness();
afterAll(() => h.services.dispose());
const run = Date.now().toString(36);

/** Starts a job through the contract and waits for it; a failed or cancelled job fails the test with its error. */
async function job<R>(call: Promise<Envelope>): Promise<{ result: R; view: JobView }> {
  const started = await ok<JobView>(call);
  const view = await h.services.jobs.settled(started.id);
  if (view.state !== 'done') throw new Error(`job ${view.kind} ${view.state}: ${view.error?.code} ${view.error?.message}`);
  return { result: view.result as R, view };
}

async function refusal(call: Promise<Envelope>): Promise<string> {
  const e = await call;
  return e.ok ? 'accepted' : e.error.code;
}

// Test data under the run's own prefix, not keyspace keys.
const key = (under: string, i: number) => Buffer.concat([Buffer.from(under), Buffer.from(String(i))]);

// A scenario: each test uses what the one before it made (a backup, its id, a queue), so its order is kept under --sequence.shuffle.
for (const [kind, profileInput] of [
  ['standalone', standalone],
  ['cluster', cluster],
] as const)
  describe(`backups through the contract on ${kind}`, { shuffle: false }, () => {
    const data = `bsvc:${run}:${kind}:`;
    const count = 60;
    let dev = '';
    let prod = '';
    let ro = '';
    let client: RedisClient;
    let backupId = '';
    let restoreId = '';

    it('backs up a prefix as a job with per-node progress, lists it, and verifies it with a test restore', async () => {
      const save = async (name: string, extra: object) => {
        const p = await h.services.profiles.save({
          ...profileInput(),
          name: `${name}-${kind}`,
          keyPrefix: `bs${run}${name}${kind.slice(0, 2)}`,
          ...extra,
        });
        await h.services.connections.connect(p.id);
        return p.id;
      };
      dev = await save('dev', {});
      prod = await save('prod', { environment: 'production' });
      ro = await save('ro', { readOnly: true });
      client = h.services.connections.session(dev).client;
      await seedMany(client, data, count);
      await client.set(key(data, 1000), 'with-ttl', 'PX', 3_600_000);

      const { result, view } = await job<BackupRunResult>(
        h.dispatch('backup.start', { profileId: dev, scope: { kind: 'prefixes', prefixes: [data] } }),
      );
      backupId = result.backup.id;
      expect(result.backup.keys).toBe(count + 1);
      expect(view.progress.done).toBe(count + 1);
      expect(Object.keys(view.progress.parts ?? {}).length).toBe(kind === 'cluster' ? 3 : 1);

      const list = await ok<BackupSummary[]>(h.dispatch('backup.list', { profileId: dev }));
      expect(list.map((b) => [b.id, b.keys, b.environment, b.verification.state])).toEqual([
        [backupId, count + 1, 'development', 'unverified'],
      ]);
      expect(list[0]?.sizeBytes).toBeGreaterThan(0);

      const verified = await job<VerifyResult>(h.dispatch('backup.verify', { profileId: dev, backupId, testRestore: true }));
      expect(verified.result.ok).toBe(true);
      expect(verified.result.testRestore).toEqual({ restored: count + 1, failed: 0, errors: [] });
      expect((await ok<BackupSummary[]>(h.dispatch('backup.list', { profileId: dev })))[0]?.verification).toMatchObject({
        state: 'verified',
        testRestored: true,
      });
    });

    it('preflights, dry-runs against the target, restores with a verification report, and undo brings back the values before', async () => {
      // The target drifts from the backup: 5 keys gone, 3 changed, 2 that the backup never held.
      for (let i = 0; i < 5; i += 1) await client.del(key(data, i));
      for (let i = 5; i < 8; i += 1) await client.set(key(data, i), `changed-${i}`);
      await client.set(key(data, 2000), 'extra');
      await client.set(key(data, 2001), 'extra');

      const pre = await ok<PreflightReport>(h.dispatch('backup.preflight', { profileId: dev, backupId }));
      expect(pre.ok).toBe(true);
      expect(pre.checks.map((c) => c.id)).toEqual(['integrity', 'reachable', 'rdb-version', 'topology', 'memory', 'acl']);

      const policies = { conflict: 'replace', ttl: 'absolute' } as const;
      const dry = await job<DryRunView>(h.dispatch('backup.dryRun', { profileId: dev, backupId, policies, samples: 3 }));
      expect([
        dry.result.selected,
        dry.result.new.count,
        dry.result.different.count,
        dry.result.identical.count,
        dry.result.onlyInTarget.count,
      ]).toEqual([count + 1, 5, 3, count + 1 - 8, 2]);
      expect(dry.result.new.samples.length).toBe(3);
      expect(dry.result.new.samples[0]?.text.startsWith(data)).toBe(true);

      const restored = await job<RestoreView>(h.dispatch('backup.restore', { profileId: dev, backupId, policies }));
      expect(restored.result).toMatchObject({
        status: 'completed',
        writtenCount: count + 1,
        verification: { checked: count + 1, mismatchedCount: 0 },
      });
      restoreId = restored.result.restoreId as string;
      expect(await client.get(key(data, 0))).toBe('value-0');
      expect(await client.get(key(data, 5))).toBe('value-5');

      const undone = await job<UndoView>(h.dispatch('backup.undo', { profileId: dev, restoreId }));
      // The keys that already held the backup's value hold what they held before: nothing to put back.
      expect(undone.result).toMatchObject({ restoreId, restored: 3, deleted: 5, unchanged: count + 1 - 8, changed: { count: 0 } });
      expect(await client.exists(key(data, 0))).toBe(0);
      expect(await client.get(key(data, 5))).toBe('changed-5');
      expect(await client.get(key(data, 2000))).toBe('extra');
      expect(await client.get(key(data, 10))).toBe('value-10');
      const restores = await ok<RestoreRecord[]>(h.dispatch('backup.restores', { profileId: dev }));
      expect(restores.map((r) => [r.restoreId, r.backupId, r.undone])).toEqual([[restoreId, backupId, true]]);
      expect(await refusal(h.dispatch('backup.undo', { profileId: dev, restoreId }))).toBe('CONFLICT');
    });

    it('dry-runs a selection of one component and one swarm, counting only their keys', async () => {
      const prefix = h.services.connections.session(dev).profile.keyPrefix;
      const q = queueKeys(prefix, 'sel-q');
      const [s1, s2] = [swarmKeys(prefix, 'sel-s1'), swarmKeys(prefix, 'sel-s2')];
      await client.hset(q.meta, 'paused', '0');
      await client.hset(q.task('t1'), 'state', 'waiting');
      await client.zadd(q.wait, 1, 't1');
      await client.hset(s1.swarm, 'status', 'running');
      await client.hset(s1.agent('a1'), 'role', 'worker');
      await client.hset(s2.swarm, 'status', 'running');
      await client.hset(s2.agent('a2'), 'role', 'worker');
      await client.hset(s2.agent('a3'), 'role', 'worker');
      await client.set(key(data, 3000), 'not a component key');
      const { result } = await job<BackupRunResult>(
        h.dispatch('backup.start', { profileId: dev, scope: { kind: 'components', components: ['queues', 'swarms', 'audit'] } }),
      );
      // The audit stream is the third component: it holds this profile's earlier backups and restores.
      expect(result.backup.keys).toBe(3 + 2 + 3 + 1);

      const policies = { conflict: 'skip', ttl: 'absolute' } as const;
      const dry = await job<DryRunView>(
        h.dispatch('backup.dryRun', {
          profileId: dev,
          backupId: result.backup.id,
          selection: { components: ['queues'], swarmIds: ['sel-s1'] },
          policies,
          samples: 10,
        }),
      );
      expect(dry.result.selected).toBe(3 + 2);
      expect(dry.result.identical.samples.map((k) => k.text).sort()).toEqual(
        [q.meta, q.task('t1'), q.wait, s1.agent('a1'), s1.swarm].sort(),
      );
      // A type narrows the union further, as it narrows patterns.
      const hashes = await job<DryRunView>(
        h.dispatch('backup.dryRun', {
          profileId: dev,
          backupId: result.backup.id,
          selection: { components: ['queues'], swarmIds: ['sel-s1'], types: ['hash'] },
          policies,
          samples: 0,
        }),
      );
      expect(hashes.result.selected).toBe(2 + 2);
      expect(
        await refusal(
          h.dispatch('backup.dryRun', { profileId: dev, backupId: result.backup.id, selection: { swarmIds: ['bad{id}'] }, policies }),
        ),
      ).toBe('VALIDATION');
      // One key at a time: on a cluster they live in different slots. The later cases expect only their own backups.
      for (const k of [q.meta, q.task('t1'), q.wait, s1.swarm, s1.agent('a1'), s2.swarm, s2.agent('a2'), s2.agent('a3')])
        await client.del(k);
      await client.del(key(data, 3000));
      await ok(h.dispatch('backup.delete', { profileId: dev, backupId: result.backup.id }));
    });

    it('refuses a restore on production without the typed name and on a read-only profile, before any write', async () => {
      const before = (await keysUnder(client, data)).length;
      const policies = { conflict: 'replace', ttl: 'absolute' } as const;
      expect(await refusal(h.dispatch('backup.restore', { profileId: prod, backupProfileId: dev, backupId, policies }))).toBe(
        'CONFIRMATION_REQUIRED',
      );
      expect(
        await refusal(h.dispatch('backup.restore', { profileId: prod, backupProfileId: dev, backupId, policies, confirm: 'someone-else' })),
      ).toBe('CONFIRMATION_REQUIRED');
      expect(await refusal(h.dispatch('backup.restore', { profileId: ro, backupProfileId: dev, backupId, policies }))).toBe('READ_ONLY');
      expect(await refusal(h.dispatch('backup.undo', { profileId: ro, restoreId }))).toBe('READ_ONLY');
      expect((await keysUnder(client, data)).length).toBe(before);

      // With the name typed, production restores (skip: only the 5 missing keys are written).
      const done = await job<RestoreView>(
        h.dispatch('backup.restore', {
          profileId: prod,
          backupProfileId: dev,
          backupId,
          policies: { conflict: 'skip', ttl: 'remaining' },
          confirm: `prod-${kind}`,
        }),
      );
      expect(done.result).toMatchObject({ status: 'completed', writtenCount: 5, skippedExisting: count + 1 - 5 });
    });

    it('names an unknown backup, a backup of another profile and a malformed pattern with typed errors', async () => {
      const policies = { conflict: 'fail', ttl: 'drop' } as const;
      expect(await refusal(h.dispatch('backup.show', { profileId: dev, backupId: '20200101T000000000Z-aaaaaa' }))).toBe('NOT_FOUND');
      expect(await refusal(h.dispatch('backup.restore', { profileId: dev, backupId: '20200101T000000000Z-aaaaaa', policies }))).toBe(
        'NOT_FOUND',
      );
      // The backup exists, but under dev: looked up under prod it is not there.
      expect(await refusal(h.dispatch('backup.dryRun', { profileId: dev, backupProfileId: prod, backupId, policies }))).toBe('NOT_FOUND');
      expect(await refusal(h.dispatch('backup.show', { profileId: prod, backupId }))).toBe('NOT_FOUND');
      expect(
        await refusal(h.dispatch('backup.dryRun', { profileId: dev, backupId, selection: { patterns: ['bad[pattern'] }, policies })),
      ).toBe('VALIDATION');
      expect(await refusal(h.dispatch('backup.start', { profileId: dev, scope: { kind: 'patterns', patterns: ['x\\'] } }))).toBe(
        'VALIDATION',
      );
      expect(await refusal(h.dispatch('backup.delete', { profileId: dev, backupId: 'not-an-id' }))).toBe('VALIDATION');
    });

    it('writes every backup, restore and undo to the audit stream, and deletes a backup', async () => {
      const audit = await ok<{ fields: Record<string, string> }[]>(h.dispatch('audit.recent', { profileId: dev, count: 20 }));
      const actions = audit.map((e) => `${e.fields.action}:${e.fields.target}`);
      expect(actions).toEqual(
        expect.arrayContaining([`backup.create:${backupId}`, `backup.restore:${backupId}`, `backup.undo:${restoreId}`]),
      );
      const prodAudit = await ok<{ fields: Record<string, string> }[]>(h.dispatch('audit.recent', { profileId: prod, count: 20 }));
      expect(prodAudit.map((e) => e.fields.action)).toContain('backup.restore');

      // A second backup the same day: a one-day policy keeps the newer, prunes the older; on production only with the name typed.
      const second = (
        await job<BackupRunResult>(h.dispatch('backup.start', { profileId: dev, scope: { kind: 'prefixes', prefixes: [data] } }))
      ).result.backup.id;
      const policy = { daily: 1, weekly: 0, monthly: 0, timeZone: 'UTC' };
      const plan = await ok<RetentionPlanView>(h.dispatch('backup.retention.preview', { profileId: dev, policy }));
      expect([plan.keep.map((k) => k.backupId), plan.remove.map((r) => r.backupId)]).toEqual([[second], [backupId]]);
      expect(await ok<{ removed: string[] }>(h.dispatch('backup.retention.apply', { profileId: dev, policy }))).toEqual({
        removed: [backupId],
      });
      expect((await ok<BackupSummary[]>(h.dispatch('backup.list', { profileId: dev }))).map((x) => x.id)).toEqual([second]);
      backupId = second;

      expect(await ok<{ deleted: string }>(h.dispatch('backup.delete', { profileId: dev, backupId }))).toEqual({ deleted: backupId });
      expect(await ok<BackupSummary[]>(h.dispatch('backup.list', { profileId: dev }))).toEqual([]);
      const after = await ok<{ fields: Record<string, string> }[]>(h.dispatch('audit.recent', { profileId: dev, count: 5 }));
      expect(after[0]?.fields).toMatchObject({ action: 'backup.delete', target: backupId });
    });

    it('lists the other backups when one manifest is damaged or belongs to another profile', async () => {
      const listed = async () => (await ok<BackupSummary[]>(h.dispatch('backup.list', { profileId: dev }))).map((b) => b.id);
      await job<BackupRunResult>(h.dispatch('backup.start', { profileId: dev, scope: { kind: 'components', components: ['audit'] } }));
      const before = await listed();
      expect(before.length).toBeGreaterThan(0);
      const dir = join(h.services.backups.root, dev);
      const manifest = JSON.parse(readFileSync(join(dir, `${before[0]}.manifest.json`), 'utf8')) as { source: { profileId: string } };
      writeFileSync(
        join(dir, '20200101T000000000Z-foreig.manifest.json'),
        JSON.stringify({ ...manifest, source: { ...manifest.source, profileId: 'someone-else' } }),
      );
      writeFileSync(join(dir, '20200101T000000000Z-broken.manifest.json'), '{ not json');
      expect(await listed()).toEqual(before);
    });

    it('never rolls the audit stream back: a restore of an older backup only adds to it', async () => {
      const prefix = h.services.connections.session(dev).profile.keyPrefix;
      const { result } = await job<BackupRunResult>(
        h.dispatch('backup.start', { profileId: dev, scope: { kind: 'components', components: ['audit'] } }),
      );
      // Operators act after the backup; a restore of it must not erase what they did.
      await ok(h.dispatch('queues.enqueue', { profileId: dev, queue: 'audited-after', task: { data: 1 } }));
      const before = await client.xlen(auditKey(prefix));
      const restored = await job<RestoreView>(
        h.dispatch('backup.restore', { profileId: dev, backupId: result.backup.id, policies: { conflict: 'replace', ttl: 'absolute' } }),
      );
      expect(restored.result.status).toBe('completed');
      expect(await client.xlen(auditKey(prefix))).toBeGreaterThan(before);
    });

    it('never restores a restore lock copied in a backup: the target stays free for the next restore', async () => {
      const prefix = h.services.connections.session(dev).profile.keyPrefix;
      const lock = restoreLockKey(prefix);
      // A backup taken while a restore (of a host that no longer exists) held the target.
      await client.set(lock, JSON.stringify({ what: 'restore of an old backup', host: 'gone', pid: 1, since: 0 }));
      // The lock key alone: a whole-server restore would rewrite what other files hold on the shared bed.
      const { result } = await job<BackupRunResult>(
        h.dispatch('backup.start', { profileId: dev, scope: { kind: 'prefixes', prefixes: [lock] } }),
      );
      expect(result.backup.keys).toBe(1);
      await client.del(lock);
      const policies = { conflict: 'replace', ttl: 'drop' } as const;
      const first = await job<RestoreView>(h.dispatch('backup.restore', { profileId: dev, backupId: result.backup.id, policies }));
      expect(first.result.status).toBe('completed');
      expect(await client.exists(lock)).toBe(0);
      const second = await job<RestoreView>(h.dispatch('backup.restore', { profileId: dev, backupId: result.backup.id, policies }));
      expect(second.result.status).toBe('completed');
    });

    it('scans for work left behind and applies the plan it showed: guarded, audited', async () => {
      const prefix = h.services.connections.session(dev).profile.keyPrefix;
      // A task hash in none of its queue's state sets: no worker or listing can ever reach it.
      const orphan = queueKeys(prefix, 'recq').task('t-orphan');
      await client.hset(orphan, 'data', '{}');
      const plan = await ok<RecoveryPlanView>(h.dispatch('backup.recovery.scan', { profileId: dev }));
      expect(plan.findings.map((f) => [f.kind, f.subject])).toEqual([['orphan-task', 'queue recq task t-orphan']]);
      expect(await refusal(h.dispatch('backup.recovery.apply', { profileId: ro }))).toBe('READ_ONLY');
      expect(await ok<RecoveryReportView>(h.dispatch('backup.recovery.apply', { profileId: dev }))).toEqual({
        applied: 1,
        skipped: 0,
        failed: [],
      });
      expect(await client.exists(orphan)).toBe(0);
      const audit = await ok<{ fields: Record<string, string> }[]>(h.dispatch('audit.recent', { profileId: dev, count: 1 }));
      expect(audit[0]?.fields).toMatchObject({ action: 'recovery.apply', affected: '1' });
    });

    it('keeps a schedule per profile and refuses a malformed one', async () => {
      const status = await ok<ScheduleStatus>(
        h.dispatch('backup.schedule.set', { profileId: dev, schedule: { kind: 'cron', expression: '0 3 * * *', timeZone: 'UTC' } }),
      );
      expect(status).toMatchObject({ schedule: { kind: 'cron', expression: '0 3 * * *' }, lastRun: null, missed: 0, running: false });
      expect(await ok<{ schedule: unknown }>(h.dispatch('backup.schedule.get', { profileId: dev }))).toEqual({
        schedule: { kind: 'cron', expression: '0 3 * * *', timeZone: 'UTC' },
      });
      expect(
        await refusal(h.dispatch('backup.schedule.set', { profileId: dev, schedule: { kind: 'cron', expression: 'every tuesday' } })),
      ).toBe('VALIDATION');
      // A seconds field would back up every second: at most once a minute, like the interval's floor.
      expect(
        await refusal(h.dispatch('backup.schedule.set', { profileId: dev, schedule: { kind: 'cron', expression: '* * * * * *' } })),
      ).toBe('VALIDATION');
      await ok(h.dispatch('backup.schedule.set', { profileId: dev, schedule: null }));
      expect(await ok<{ schedule: unknown }>(h.dispatch('backup.schedule.get', { profileId: dev }))).toEqual({ schedule: null });
    });
  });
