import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/shared/contract';
import type { BackupRunResult, PreflightReport } from '../../src/shared/model/backup';
import type { JobView } from '../../src/shared/model/job';
import { createBackup, openBackup, restoreBackup, verifyBackup } from '../../src/main/features/backup';
import { verifyWritten } from '../../src/main/features/backup/restore-verification';
import { Metrics } from '../../src/main/features/metrics/metrics';
import type { RedisClient } from '../../src/main/redis/client-options';
import { metricsPattern } from '../../src/main/redis/keyspace';
import { harness, ok, redisTargets, standalone, tempHome } from '../support/bed';
import { dropMany, seedMany } from './backup-seed';

const run = Date.now().toString(36);
const root = tempHome();
const targets = redisTargets({ maxRetriesPerRequest: 1 });
const clients = new Map<string, RedisClient>(targets.map(([kind, connect]) => [kind, connect()]));
const client = (kind: string) => clients.get(kind) as RedisClient;
const h = harness();

afterAll(async () => {
  for (const c of clients.values()) c.disconnect();
  await h.services.dispose();
});

const source = (kind: string) => ({ id: `verify-${kind}`, name: `verify ${kind}`, environment: 'development' as const });

/** A manifest rewritten by `edit`, as an operator or a script might have changed it. */
function editManifest(path: string, edit: (m: { counts: { keys: number; byType: Record<string, { keys: number }> } }) => void): void {
  const m = JSON.parse(readFileSync(path, 'utf8')) as Parameters<typeof edit>[0];
  edit(m);
  writeFileSync(path, JSON.stringify(m, null, 2));
}

for (const [kind] of targets)
  describe(`verification names the real problem on ${kind}`, () => {
    it('calls counts edited in the manifest a manifest mismatch, and a changed byte a checksum failure', async () => {
      const data = `bver:${run}:${kind}:`;
      await seedMany(client(kind), data, 20);
      const made = await createBackup(client(kind), source(kind), { root, scope: { kind: 'patterns', patterns: [`${data}*`] } });
      await dropMany(client(kind), data, 20);
      editManifest(made.manifestPath, (m) => {
        m.counts.keys += 1;
        (m.counts.byType.string as { keys: number }).keys += 1;
      });
      const edited = await verifyBackup(root, source(kind).id, made.id);
      expect(edited).toMatchObject({
        ok: false,
        checksum: { ok: true, actual: made.manifest.file.sha256 },
        structure: { records: 20, ok: true },
        manifest: {
          ok: false,
          problems: [
            'the manifest does not match the file: it holds 20 records, the manifest says 21',
            expect.stringMatching(/^type string: file has 20 keys\/\d+ bytes, manifest 21\//),
          ],
        },
      });
      expect(edited.error).toBeUndefined();

      const bytes = readFileSync(made.dataPath);
      bytes[bytes.length - 12] = (bytes[bytes.length - 12] as number) ^ 0xff;
      writeFileSync(made.dataPath, bytes);
      const damaged = await verifyBackup(root, source(kind).id, made.id);
      expect(damaged.ok).toBe(false);
      expect(damaged.checksum.ok).toBe(false);
      expect(damaged.checksum.actual).toMatch(/^[0-9a-f]{64}$/);
      expect(damaged.checksum.actual).not.toBe(made.manifest.file.sha256);
    });

    it("leaves the target's own metric series out of a restore's verification, and still checks every other key", async () => {
      const prefix = `bvm${run}${kind.slice(0, 2)}`;
      const plain = `bver:${run}:${kind}:plain`;
      const metrics = new Metrics(client(kind), { prefix, flushIntervalMs: 60_000 });
      metrics.record('test.load', 1, { node: 'a' });
      await metrics.flush();
      await client(kind).set(plain, 'before');
      const made = await createBackup(client(kind), source(kind), {
        root,
        scope: { kind: 'patterns', patterns: [metricsPattern(prefix), plain] },
      });
      const metricKeys = made.manifest.counts.keys - 1;
      expect(metricKeys).toBeGreaterThanOrEqual(3);
      const plan = {
        root,
        backup: { profileId: source(kind).id, id: made.id },
        target: client(kind),
        targetProfile: source(kind),
        conflict: 'replace',
        ttl: 'absolute',
        keyPrefix: prefix,
      } as const;
      expect((await restoreBackup({ ...plan, verify: false })).status).toBe('completed');
      // What a connected host does every 250 ms: its samples land in the restored buckets of this minute and hour.
      metrics.record('test.load', 5, { node: 'a' });
      await metrics.flush();
      await client(kind).set(plain, 'changed since');
      const report = await verifyWritten(await openBackup(root, source(kind).id, made.id), plan, true, new Set());
      expect(report).toEqual({ checked: 1, mismatched: [Buffer.from(plain)], leftOut: metricKeys });
      await metrics.close();
      await client(kind).del(plain);
    });
  });

describe('preflight checks the backup itself', () => {
  async function job<R>(call: Promise<Envelope>): Promise<R> {
    const view = await h.services.jobs.settled((await ok<JobView>(call)).id);
    if (view.state !== 'done') throw new Error(`job ${view.kind} ${view.state}: ${view.error?.message}`);
    return view.result as R;
  }

  it('fails on a damaged data file before it says ok, naming the checksum', async () => {
    const p = await h.services.profiles.save({ ...standalone(), name: `preflight-${run}`, keyPrefix: `bpf${run}` });
    await h.services.connections.connect(p.id);
    const data = `bpf:${run}:`;
    const target = h.services.connections.session(p.id).client;
    await seedMany(target, data, 10);
    const scope = { kind: 'patterns', patterns: [`${data}*`] };
    const { backup } = await job<BackupRunResult>(h.dispatch('backup.start', { profileId: p.id, scope }));
    await dropMany(target, data, 10);
    const before = await ok<PreflightReport>(h.dispatch('backup.preflight', { profileId: p.id, backupId: backup.id }));
    expect([before.ok, before.checks[0]]).toEqual([
      true,
      { id: 'integrity', status: 'ok', message: '10 records read through, SHA-256 as the manifest says' },
    ]);

    const dataFile = join(h.services.backups.root, p.id, `${backup.id}.sdbk`);
    const bytes = readFileSync(dataFile);
    bytes[bytes.length - 12] = (bytes[bytes.length - 12] as number) ^ 0xff;
    writeFileSync(dataFile, bytes);
    const after = await ok<PreflightReport>(h.dispatch('backup.preflight', { profileId: p.id, backupId: backup.id }));
    expect(after.ok).toBe(false);
    expect(after.checks[0]).toMatchObject({ id: 'integrity', status: 'fail', message: expect.stringMatching(/unusable/) });
  });
});
