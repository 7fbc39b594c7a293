import { copyFileSync, existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createBackup,
  dryRunRestore,
  readWrittenLog,
  restoreBackup,
  samePayloadContent,
  undoRestore,
  verifyBackup,
  type RestoreOptions,
  type RestoreReport,
} from '../../src/main/features/backup';
import type { RedisClient } from '../../src/main/redis/client-options';
import { SwarmdeckError } from '../../src/shared/errors';
import { redisTargets, tempHome } from '../support/bed';
import { dropMany, keysUnder, seedAllTypes, seedMany } from './backup-seed';

const run = Date.now().toString(36);
const root = tempHome();
const targets = redisTargets({ maxRetriesPerRequest: 1 });
const clients = new Map<string, RedisClient>(targets.map(([kind, connect]) => [kind, connect()]));
const client = (kind: string) => clients.get(kind) as RedisClient;
const profile = (kind: string) => ({ id: `p-${kind}`, name: kind, environment: 'development' as const });

afterAll(() => {
  for (const c of clients.values()) c.disconnect();
});

async function dumpAndExpiry(c: RedisClient, key: Buffer): Promise<{ payload: Buffer | null; expireAt: number }> {
  return { payload: await c.dumpBuffer(key), expireAt: Number(await c.call('PEXPIRETIME', key)) };
}

/** Every original key under `from` equals its copy under `to` in `dst`: value (bytes or content) and expiry. */
async function expectSameKeys(src: RedisClient, dst: RedisClient, from: string, to: string, keys: Buffer[]) {
  const mismatched: string[] = [];
  for (const key of keys) {
    const copy = Buffer.concat([Buffer.from(to), key.subarray(from.length)]);
    const a = await dumpAndExpiry(src, key);
    const b = await dumpAndExpiry(dst, copy);
    const same = a.payload !== null && b.payload !== null && samePayloadContent(a.payload, b.payload);
    if (!same || a.expireAt !== b.expireAt) mismatched.push(`${key.toString('hex')} value=${same} expiry=${a.expireAt}/${b.expireAt}`);
  }
  expect(mismatched).toEqual([]);
  expect((await keysUnder(dst, to)).length).toBe(keys.length);
}

async function writtenKeys(report: RestoreReport): Promise<string[]> {
  const out: string[] = [];
  for await (const key of readWrittenLog(report.writtenLog)) out.push(key.toString('latin1'));
  return out;
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (error) {
    return error instanceof SwarmdeckError ? `${error.code}:${String(error.details?.reason ?? '')}` : `untyped:${(error as Error).message}`;
  }
}

const base = (kind: string, id: string, backupKind: string): RestoreOptions => ({
  root,
  backup: { profileId: profile(backupKind).id, id },
  target: client(kind),
  targetProfile: profile(kind),
  conflict: 'fail',
  ttl: 'absolute',
});

// A scenario: each test uses what the one before it made (a backup, its id, a queue), so its order is kept under --sequence.shuffle.
for (const kind of targets.map(([k]) => k))
  describe(`backup engine on ${kind}`, { shuffle: false }, () => {
    const src = `bk:${run}:${kind}:`;
    let keys: Buffer[] = [];
    let backupId = '';

    it('backs up every type, binary key, TTL, empty and 5 MB value, a 50,000-field hash and a stream with groups', async () => {
      keys = await seedAllTypes(client(kind), src);
      const result = await createBackup(client(kind), profile(kind), { root, scope: { kind: 'prefixes', prefixes: [src] } });
      backupId = result.id;
      const m = result.manifest;
      expect(m.counts.keys).toBe(keys.length);
      expect(m.counts.byType.stream?.keys).toBe(1);
      expect(m.counts.byType.hash?.keys).toBe(2);
      expect(m.rdbVersion).toBe(10);
      expect(m.topology.nodes.filter((n) => n.role !== 'replica').length).toBe(kind === 'cluster' ? 3 : 1);
      expect(existsSync(result.manifestPath)).toBe(true);
      expect(readdirSync(join(root, profile(kind).id)).filter((n) => n.endsWith('.partial'))).toEqual([]);
      const report = await verifyBackup(root, profile(kind).id, backupId, client(kind));
      expect(report).toMatchObject({
        ok: true,
        structure: { records: keys.length, ok: true },
        rdb: { payloadVersion: 10, targetVersion: 10, compatible: true },
      });
    });

    it('restores into another prefix with the same payloads and absolute expiries, and verifies them', async () => {
      const to = `rs:${run}:${kind}:`;
      const report = await restoreBackup({ ...base(kind, backupId, kind), rewrite: { from: src, to } });
      expect(report.status).toBe('completed');
      expect(report.writtenCount).toBe(keys.length);
      expect((await writtenKeys(report)).length).toBe(keys.length);
      expect(report.verification).toEqual({ checked: keys.length, mismatched: [], leftOut: 0 });
      await expectSameKeys(client(kind), client(kind), src, to, keys);
    });

    it('dry run counts new, identical, different and only-in-target keys without writing', async () => {
      const to = `dry:${run}:${kind}:`;
      await restoreBackup({
        ...base(kind, backupId, kind),
        rewrite: { from: src, to },
        select: { prefixes: [`${src}set`, `${src}hash`, `${src}string`] },
      });
      await client(kind).set(`${to}string`, 'changed');
      await client(kind).del(`${to}set:small`);
      await client(kind).set(`${to}set:extra`, 'only here');
      const report = await dryRunRestore({
        ...base(kind, backupId, kind),
        rewrite: { from: src, to },
        select: { prefixes: [`${src}set`, `${src}hash`, `${src}string`] },
      });
      // set:small, set:int, set:big, hash:small, hash:50k, string: the big set and hash compare by content.
      expect({
        selected: report.selected,
        new: report.new.count,
        identical: report.identical.count,
        different: report.different.count,
        only: report.onlyInTarget.count,
      }).toEqual({ selected: 6, new: 1, identical: 4, different: 1, only: 1 });
      expect(report.different.samples.map(String)).toEqual([`${to}string`]);
      expect(await client(kind).exists(`${to}set:small`)).toBe(0);
    });

    it('conflict policy fail refuses before writing anything', async () => {
      const to = `cf:${run}:${kind}:`;
      await client(kind).set(`${to}list`, 'occupied');
      expect(await code(restoreBackup({ ...base(kind, backupId, kind), rewrite: { from: src, to } }))).toBe('CONFLICT:');
      expect((await keysUnder(client(kind), to)).map(String)).toEqual([`${to}list`]);
    });

    it('refuses a corrupted and a truncated file and writes nothing', async () => {
      const dir = join(root, profile(kind).id);
      const data = join(dir, `${backupId}.sdbk`);
      const manifest = JSON.parse(readFileSync(join(dir, `${backupId}.manifest.json`), 'utf8')) as { id: string };
      const cases: [string, (path: string) => void][] = [
        [
          'flip',
          (p) => {
            const b = readFileSync(p);
            const at = Math.floor(b.length / 2);
            b[at] = (b[at] as number) ^ 0xff;
            writeFileSync(p, b);
          },
        ],
        ['truncate', (p) => truncateSync(p, Math.floor(readFileSync(p).length * 0.9))],
      ];
      for (const [name, damage] of cases) {
        const copyId = backupId.replace(/-[a-z0-9]{6}$/, name === 'flip' ? '-flip00' : '-trunc0');
        copyFileSync(data, join(dir, `${copyId}.sdbk`));
        damage(join(dir, `${copyId}.sdbk`));
        writeFileSync(
          join(dir, `${copyId}.manifest.json`),
          readFileSync(join(dir, `${backupId}.manifest.json`), 'utf8').replace(manifest.id, copyId),
        );
        const to = `bad:${name}:${run}:${kind}:`;
        const outcome = await code(restoreBackup({ ...base(kind, copyId, kind), conflict: 'replace', rewrite: { from: src, to } }));
        expect(outcome).toMatch(/^CORRUPT_FILE:(corrupt|truncated|checksum)$/);
        expect(await keysUnder(client(kind), to)).toEqual([]);
        const report = await verifyBackup(root, profile(kind).id, copyId);
        expect(report.ok).toBe(false);
        expect(report.error?.code).toBe('CORRUPT_FILE');
      }
    });

    it('refuses bad input with typed errors', async () => {
      expect(await code(restoreBackup({ ...base(kind, '20260101T000000000Z-nothin', kind) }))).toBe('NOT_FOUND:');
      expect(await code(restoreBackup({ ...base(kind, '../../etc/passwd', kind) }))).toBe('VALIDATION:');
      expect(await code(restoreBackup({ ...base(kind, backupId, kind), backup: { profileId: 'p-other', id: backupId } }))).toBe(
        'NOT_FOUND:',
      );
      expect(await code(restoreBackup({ ...base(kind, backupId, kind), select: { patterns: ['bk:[abc'] } }))).toBe('VALIDATION:');
      expect(await code(createBackup(client(kind), profile(kind), { root, scope: { kind: 'patterns', patterns: ['x\\'] } }))).toBe(
        'VALIDATION:',
      );
    });

    it('undo puts back overwritten values byte for byte and deletes created keys', async () => {
      const to = `undo:${run}:${kind}:`;
      await client(kind).set(`${to}string`, Buffer.from([0xde, 0xad, 0xbe, 0xef]), 'PX', 700_000);
      await client(kind).rpush(`${to}list`, 'previous');
      const before = {
        string: await dumpAndExpiry(client(kind), Buffer.from(`${to}string`)),
        list: await dumpAndExpiry(client(kind), Buffer.from(`${to}list`)),
      };
      const report = await restoreBackup({ ...base(kind, backupId, kind), conflict: 'replace', rewrite: { from: src, to } });
      expect(report.writtenCount).toBe(keys.length);
      expect((await writtenKeys(report)).length).toBe(keys.length);
      expect((await client(kind).lrange(`${to}list`, 0, -1))[0]).toBe('a');
      const undo = await undoRestore(root, client(kind), profile(kind), report.snapshotId as string);
      expect(undo).toMatchObject({ restored: 2, deleted: keys.length - 2, unchanged: 0, changed: { count: 0 }, tornJournal: false });
      expect(await dumpAndExpiry(client(kind), Buffer.from(`${to}string`))).toEqual(before.string);
      expect(await dumpAndExpiry(client(kind), Buffer.from(`${to}list`))).toEqual(before.list);
      expect((await keysUnder(client(kind), to)).length).toBe(2);
      expect(await code(undoRestore(root, client(kind), { ...profile(kind), id: 'p-elsewhere' }, report.snapshotId as string))).toBe(
        'NOT_FOUND:',
      );
    });

    it('undo after a cancelled restore deletes only keys the restore wrote, not one created since', async () => {
      const to = `uc:${run}:${kind}:`;
      const abort = new AbortController();
      const report = await restoreBackup({
        ...base(kind, backupId, kind),
        conflict: 'skip',
        rewrite: { from: src, to },
        batchSize: 2,
        signal: abort.signal,
        onProgress: () => abort.abort(),
      });
      expect(report.status).toBe('cancelled');
      const written = await writtenKeys(report);
      const untouched = keys
        .map((k) => Buffer.concat([Buffer.from(to), k.subarray(src.length)]))
        .find((k) => !written.includes(k.toString('latin1'))) as Buffer;
      await client(kind).set(untouched, 'created by someone else');
      const undo = await undoRestore(root, client(kind), profile(kind), report.snapshotId as string);
      expect(undo.deleted).toBe(written.length);
      expect((await keysUnder(client(kind), to)).map((k) => k.toString('latin1'))).toEqual([untouched.toString('latin1')]);
    });

    it('cancelled mid-restore, the report names exactly the keys written', async () => {
      const many = `many:${run}:${kind}:`;
      await seedMany(client(kind), many, 30_000);
      const backup = await createBackup(client(kind), profile(kind), { root, scope: { kind: 'patterns', patterns: [`${many}*`] } });
      expect(backup.manifest.counts.keys).toBe(30_000);
      const to = `cancel:${run}:${kind}:`;
      const abort = new AbortController();
      let events = 0;
      const report = await restoreBackup({
        ...base(kind, backup.id, kind),
        rewrite: { from: many, to },
        batchSize: 500,
        signal: abort.signal,
        onProgress: (p) => {
          events += 1;
          expect(p.total.planned).toBe(30_000);
          if (p.total.keys >= 3000) abort.abort();
        },
      });
      expect(report.status).toBe('cancelled');
      expect(events).toBeGreaterThan(0);
      const onServer = (await keysUnder(client(kind), to)).map((k) => k.toString('latin1')).sort();
      const written = (await writtenKeys(report)).sort();
      expect(report.writtenCount).toBe(written.length);
      expect(written.length).toBeGreaterThanOrEqual(3000);
      expect(written.length).toBeLessThan(30_000);
      expect(written).toEqual(onServer);
      // Later tests scan the same servers: leave them as small as they were.
      await dropMany(client(kind), many, 30_000);
      for (const key of onServer) await client(kind).unlink(Buffer.from(key, 'latin1'));
    });
  });

describe('across topologies', () => {
  it('cluster → standalone and back keep payloads and expiries', async () => {
    const c = client('cluster');
    const s = client('standalone');
    const src = `x:${run}:`;
    const keys = await seedAllTypes(c, src);
    const b1 = await createBackup(c, profile('cluster'), { root, scope: { kind: 'prefixes', prefixes: [src] } });
    const mid = `xs:${run}:`;
    const r1 = await restoreBackup({ ...base('standalone', b1.id, 'cluster'), rewrite: { from: src, to: mid } });
    expect(r1.verification?.mismatched).toEqual([]);
    await expectSameKeys(c, s, src, mid, keys);
    const b2 = await createBackup(s, profile('standalone'), { root, scope: { kind: 'prefixes', prefixes: [mid] } });
    const back = `xc:${run}:`;
    const r2 = await restoreBackup({ ...base('cluster', b2.id, 'standalone'), rewrite: { from: mid, to: back } });
    expect(r2.verification?.mismatched).toEqual([]);
    await expectSameKeys(c, c, src, back, keys);
  }, 60_000);

  it('ttl remaining and drop', async () => {
    const s = client('standalone');
    const src = `ttl:${run}:`;
    await s.set(`${src}a`, '1', 'PX', 500_000);
    await s.set(`${src}gone`, '1', 'PX', 1000);
    const b = await createBackup(s, profile('standalone'), { root, scope: { kind: 'prefixes', prefixes: [src] } });
    await new Promise((r) => setTimeout(r, 1200));
    const abs = await restoreBackup({ ...base('standalone', b.id, 'standalone'), rewrite: { from: src, to: `ttla:${run}:` } });
    expect(abs.skippedExpired).toBe(1);
    expect(await writtenKeys(abs)).toEqual([`ttla:${run}:a`]);
    const rem = await restoreBackup({
      ...base('standalone', b.id, 'standalone'),
      ttl: 'remaining',
      rewrite: { from: src, to: `ttlr:${run}:` },
    });
    expect(rem.writtenCount).toBe(2);
    expect(Number(await s.pttl(`ttlr:${run}:a`))).toBeGreaterThan(400_000);
    const drop = await restoreBackup({
      ...base('standalone', b.id, 'standalone'),
      ttl: 'drop',
      rewrite: { from: src, to: `ttld:${run}:` },
    });
    expect(drop.writtenCount).toBe(2);
    expect(await s.pttl(`ttld:${run}:a`)).toBe(-1);
  });
});
