/**
 * A restore among other clients: a writer changing keys throughout the restore loses nothing the
 * policy did not say to replace (undo gives every key back the writer's last value, or what it
 * held before); two restores, or a restore and an undo, of one target are never at once (the
 * second is refused naming the first); undo names the keys changed since and leaves them unless
 * told to replace them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createBackup, restoreBackup, undoRestore, type RestoreOptions } from '../../src/main/features/backup';
import { backupPaths } from '../../src/main/features/backup/file-writer';
import { journalPath } from '../../src/main/features/backup/restore-journal';
import { statSync, truncateSync } from 'node:fs';
import type { RedisClient } from '../../src/main/redis/client-options';
import { SwarmdeckError } from '../../src/shared/errors';
import { redisTargets, tempHome } from '../support/bed';
import { prng } from '../support/prng';
import { differences, drop, holdings, seedSource, seedTarget, under, type Held } from './restore-support';

const run = Date.now().toString(36);
const root = tempHome();
const targets = redisTargets({ maxRetriesPerRequest: 1 });
const clients = new Map<string, RedisClient>(targets.map(([kind, connect]) => [kind, connect()]));
const writers = new Map<string, RedisClient>(targets.map(([kind, connect]) => [kind, connect()]));
const KEYS = 600;

afterAll(() => {
  for (const c of [...clients.values(), ...writers.values()]) c.disconnect();
});

async function refusal(p: Promise<unknown>): Promise<SwarmdeckError> {
  const error = await p.then(
    () => new Error('resolved'),
    (e: unknown) => e,
  );
  if (!(error instanceof SwarmdeckError)) throw error;
  return error;
}

for (const [kind] of targets)
  describe(`a restore among other clients on ${kind}`, { shuffle: false }, () => {
    const c = () => clients.get(kind) as RedisClient;
    const profile = { id: `p-conc-${kind}`, name: kind, environment: 'development' as const };
    const src = `rc:${run}:${kind}:src:`;
    let backupId = '';
    let raceRestoreId = '';
    const options = (to: string, extra: Partial<RestoreOptions> = {}): RestoreOptions => ({
      root,
      backup: { profileId: `p-src-${kind}`, id: backupId },
      target: c(),
      targetProfile: profile,
      conflict: 'replace',
      ttl: 'absolute',
      rewrite: { from: src, to },
      batchSize: 10,
      verify: false,
      ...extra,
    });

    it('a writer throughout the restore loses nothing: after undo each key holds its last write, or what it held before', async () => {
      await seedSource(c(), src, KEYS);
      const scope = { kind: 'patterns' as const, patterns: [`${src}*`] };
      backupId = (await createBackup(c(), { ...profile, id: `p-src-${kind}` }, { root, scope })).id;
      const to = `rc:${run}:${kind}:race:`;
      const keys = await seedTarget(c(), to, KEYS);
      const before = await holdings(c(), keys);
      const last = new Map<number, string>();
      const rng = prng(0x5eed);
      let writing = true;
      let writes = 0;
      const writer = (async () => {
        while (writing) {
          const i = Math.floor(rng() * KEYS);
          const value = `writer-${writes}`;
          await (writers.get(kind) as RedisClient).set(keys[i] as Buffer, value);
          last.set(i, value);
          writes += 1;
        }
      })();
      const report = await restoreBackup(options(to));
      writing = false;
      await writer;
      expect(report.status).toBe('completed');
      raceRestoreId = report.snapshotId as string;
      const undo = await undoRestore(root, c(), profile, raceRestoreId);
      const expected: Held[] = await Promise.all(
        keys.map(async (k, i) => {
          const value = last.get(i);
          if (value === undefined) return before[i] ?? null;
          await writers.get(kind)?.set(under(`${to}expect:`, String(i)), value);
          const payload = (await c().dumpBuffer(under(`${to}expect:`, String(i)))) as Buffer;
          await c().unlink(under(`${to}expect:`, String(i)));
          return { payload, expireAt: -1 };
        }),
      );
      expect(differences(keys, expected, await holdings(c(), keys))).toEqual([]);
      console.log(
        `[writer race ${kind}] ${writes} writes to ${last.size} of ${KEYS} keys during a ${report.durationMs} ms restore; undo put back ${undo.restored}, deleted ${undo.deleted}, left ${undo.changed.count} changed since`,
      );
      expect(writes).toBeGreaterThan(KEYS / 10);
      await drop(c(), keys);
    });

    it('two restores of one target, or a restore and an undo, are never at once: the second names the first', async () => {
      let started: () => void = () => undefined;
      const writing = new Promise<void>((resolve) => (started = resolve));
      // One key a batch: the first restore holds the target for long enough to be met.
      const running = restoreBackup(options(`rc:${run}:${kind}:first:`, { batchSize: 1, onProgress: () => started() }));
      await writing;
      const holder = { reason: 'target-busy', holder: { what: `restore of backup ${backupId}`, pid: process.pid } };
      const second = await refusal(restoreBackup(options(`rc:${run}:${kind}:second:`)));
      expect(second.code).toBe('CONFLICT');
      expect(second.details).toMatchObject(holder);
      expect(second.message).toContain(`restore of backup ${backupId}`);
      const undo = await refusal(undoRestore(root, c(), profile, raceRestoreId));
      expect([undo.code, undo.details]).toMatchObject(['CONFLICT', holder]);
      const report = await running;
      expect(report.status).toBe('completed');
      // Free again once it ended: its own undo runs.
      const undone = await undoRestore(root, c(), profile, report.snapshotId as string);
      expect(undone.deleted + undone.restored).toBe(KEYS);
    });

    it('undo names the keys changed since the restore and leaves them, and replaces them when told to', async () => {
      const to = `rc:${run}:${kind}:changed:`;
      const keys = await seedTarget(c(), to, KEYS);
      const before = await holdings(c(), keys);
      const report = await restoreBackup(options(to));
      // k0 was created by the restore, k1 and k2 replaced values, k3 was created; then a writer
      // changes k0–k2, k3's expiry, deletes k4 (it held a value before) and k6 (absent before).
      await c().set(keys[0] as Buffer, 'changed after the restore');
      await c().set(keys[1] as Buffer, 'changed after the restore too');
      await c().append(keys[2] as Buffer, '+appended');
      await c().pexpire(keys[3] as Buffer, 99_999_000);
      await c().unlink(keys[4] as Buffer);
      await c().unlink(keys[6] as Buffer);
      const changed = keys.slice(0, 5);
      const changedNow = await holdings(c(), changed);
      const first = await undoRestore(root, c(), profile, report.snapshotId as string);
      expect(first.changed).toMatchObject({ count: 5, replaced: false });
      const names = (list: Buffer[]) => list.map((k) => k.toString('latin1')).sort();
      expect(names(first.changed.keys)).toEqual(names(changed));
      expect(differences(changed, changedNow, await holdings(c(), changed))).toEqual([]);
      // Every other key, k6 among them, holds what it held before the restore.
      expect(differences(keys.slice(5), before.slice(5), await holdings(c(), keys.slice(5)))).toEqual([]);
      // Again, replacing them: only those five change, and now everything is as before the restore.
      const second = await undoRestore(root, c(), profile, report.snapshotId as string, { replaceChanged: true });
      expect(second).toMatchObject({ restored: 3, deleted: 2, unchanged: KEYS - 5, changed: { count: 5, replaced: true } });
      expect(differences(keys, before, await holdings(c(), keys))).toEqual([]);
      await drop(c(), keys);
    });

    it('undo puts back what a key held before when a renamed prefix wrote it twice (a:x onto a b:x the backup holds too)', async () => {
      const base = `rc:${run}:${kind}:twice:{t}`;
      const [a, b] = [under(base, 'a:x'), under(base, 'b:x')];
      await c().set(a, 'from-a');
      await c().set(b, 'from-b');
      const scope = { kind: 'patterns' as const, patterns: [`${base}*`] };
      const id = (await createBackup(c(), { ...profile, id: `p-src-${kind}` }, { root, scope })).id;
      await c().set(b, 'ORIG');
      const report = await restoreBackup({
        ...options(''),
        backup: { profileId: `p-src-${kind}`, id },
        rewrite: { from: `${base}a:`, to: `${base}b:` },
      });
      expect(report.status).toBe('completed');
      await undoRestore(root, c(), profile, report.snapshotId as string);
      expect([await c().get(b), await c().get(a)]).toEqual(['ORIG', 'from-a']);
      await drop(c(), [a, b]);
    });

    it('refuses to undo from the journal of a finished restore that was cut short since, and changes nothing', async () => {
      const to = `rc:${run}:${kind}:cut:`;
      const keys = await seedTarget(c(), to, KEYS);
      const report = await restoreBackup(options(to));
      expect(report.status).toBe('completed');
      const restoreId = report.snapshotId as string;
      const after = await holdings(c(), keys);
      const path = journalPath(backupPaths(root, profile.id, restoreId).dir, restoreId);
      truncateSync(path, Math.floor(statSync(path).size / 2));
      const refused = await refusal(undoRestore(root, c(), profile, restoreId, { journalWhole: true }));
      expect([refused.code, refused.details?.reason]).toEqual(['CORRUPT_FILE', 'journal-damaged']);
      expect(differences(keys, after, await holdings(c(), keys))).toEqual([]);
      await drop(c(), keys);
    });
  });
