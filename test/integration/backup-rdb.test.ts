import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { createBackup, dryRunRestore, readWrittenLog, restoreBackup, samePayloadContent } from '../../src/main/features/backup';
import { exportRdb, importRdb } from '../../src/main/features/backup/rdb';
import { Crc64 } from '../../src/main/redis/rdb/crc64';
import type { RedisClient } from '../../src/main/redis/client-options';
import { SwarmdeckError } from '../../src/shared/errors';
import { redisTargets, tempHome } from '../support/bed';
import { keysUnder, seedAllTypes } from './backup-seed';

const run = Date.now().toString(36);
const root = tempHome();
const work = mkdtempSync(join(tmpdir(), 'sd-rdb-'));
const targets = redisTargets({ maxRetriesPerRequest: 1 });
const clients = new Map<string, RedisClient>(targets.map(([kind, connect]) => [kind, connect()]));
const client = (kind: string) => clients.get(kind) as RedisClient;

afterAll(() => {
  for (const c of clients.values()) c.disconnect();
  rmSync(work, { recursive: true, force: true });
});

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (error) {
    return error instanceof SwarmdeckError
      ? `${error.code}:${String(error.details?.reason ?? '')}: ${error.message}`
      : `untyped:${(error as Error).message}`;
  }
}

/** A fresh redis-server on a unix socket (no port to collide on), empty or loading `rdbFile`. */
async function serverFrom(rdbFile?: string): Promise<{ client: Redis; socket: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'sd-load-'));
  if (rdbFile) copyFileSync(rdbFile, join(dir, 'dump.rdb'));
  const socket = join(dir, 's.sock');
  const child = spawn(
    'redis-server',
    ['--port', '0', '--unixsocket', socket, '--dir', dir, '--dbfilename', 'dump.rdb', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const exited = new Promise((r) => child.once('exit', r));
  let c: Redis | undefined;
  for (let i = 0; i < 200 && !c; i += 1) {
    const probe = new Redis({ path: socket, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      c = probe;
    } catch {
      probe.disconnect();
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  if (!c) throw new Error('the fresh redis-server never answered');
  const loaded = c;
  return {
    client: loaded,
    socket,
    stop: async () => {
      loaded.disconnect();
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function allKeys(c: Redis): Promise<Buffer[]> {
  const out: Buffer[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await c.scanBuffer(cursor, 'COUNT', 1000);
    cursor = next.toString();
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}

describe('CRC64 (Jones)', () => {
  it('matches the reference check value and the trailer Redis writes on DUMP', async () => {
    expect(new Crc64().update(Buffer.from('123456789')).digestLE().readBigUInt64LE(0).toString(16)).toBe('e9c6d914c4b8d9ca');
    const c = client('standalone');
    const key = `rdb:${run}:crc`;
    await c.rpush(key, 'a', Buffer.from([0, 255, 1]), 'x'.repeat(300));
    const payload = (await c.dumpBuffer(key)) as Buffer;
    expect(
      new Crc64()
        .update(payload.subarray(0, payload.length - 8))
        .digestLE()
        .equals(payload.subarray(payload.length - 8)),
    ).toBe(true);
  });
});

describe.each(['standalone', 'cluster'])('exportRdb from a %s backup', (kind) => {
  it('writes a file redis-check-rdb accepts and a fresh server loads with exactly the backed-up keys', async () => {
    const prefix = `rdb:${run}:${kind}:`;
    const seeded = await seedAllTypes(client(kind), prefix);
    const backup = await createBackup(
      client(kind),
      { id: `rdb-${kind}`, name: kind, environment: 'development' },
      { root, scope: { kind: 'prefixes', prefixes: [prefix] } },
    );
    const out = join(work, `${kind}.rdb`);
    const progress: number[] = [];
    const result = await exportRdb(backup.dataPath, out, { onProgress: (p) => progress.push(p.keys) });
    expect(result.keys).toBe(seeded.length);
    expect(result.bytes).toBe(statSync(out).size);
    expect(progress.at(-1)).toBe(seeded.length);

    const check = spawnSync('redis-check-rdb', [out], { encoding: 'utf8' });
    expect(check.stdout).toContain('RDB looks OK');
    expect(check.status).toBe(0);

    const fresh = await serverFrom(out);
    try {
      const loaded = await allKeys(fresh.client);
      expect(loaded.map((k) => k.toString('hex')).sort()).toEqual(seeded.map((k) => k.toString('hex')).sort());
      const mismatched: string[] = [];
      for (const key of seeded) {
        const a = (await client(kind).dumpBuffer(key)) as Buffer;
        const b = (await fresh.client.dumpBuffer(key)) as Buffer;
        const ea = Number(await client(kind).call('PEXPIRETIME', key));
        const eb = Number(await fresh.client.call('PEXPIRETIME', key));
        if (!samePayloadContent(a, b) || ea !== eb) mismatched.push(`${key.toString('hex')} expiry ${ea}/${eb}`);
      }
      expect(mismatched).toEqual([]);
      expect(Number(await fresh.client.call('PEXPIRETIME', Buffer.from(`${prefix}ttl:abs`)))).toBeGreaterThan(0);
    } finally {
      await fresh.stop();
    }
  });
});

describe('exportRdb from a damaged backup', () => {
  it('fails with the reason and leaves neither the output nor a partial file', async () => {
    const prefix = `rdb:${run}:damaged:`;
    await client('standalone').set(`${prefix}a`, 'x'.repeat(100_000));
    const backup = await createBackup(
      client('standalone'),
      { id: 'rdb-damaged', name: 'damaged', environment: 'development' },
      { root, scope: { kind: 'prefixes', prefixes: [prefix] } },
    );
    truncateSync(backup.dataPath, Math.floor(statSync(backup.dataPath).size / 2));
    const dir = mkdtempSync(join(tmpdir(), 'sd-rdb-out-'));
    expect(await reason(exportRdb(backup.manifestPath, join(dir, 'out.rdb')))).toMatch(/^CORRUPT_FILE:truncated: /);
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
});

// A scenario: each test uses what the one before it made (a backup, its id, a queue), so its order is kept under --sequence.shuffle.
describe('importRdb', { shuffle: false }, () => {
  const prefix = `rdbin:${run}:`;
  let dumped = '';

  it('takes in a redis-cli --rdb file and its backup restores one prefix, dry run first', async () => {
    const c = client('standalone');
    // The snapshot comes from a server of its own: the shared bed holds other tests' databases.
    const source = await serverFrom();
    const seeded = await seedAllTypes(source.client, prefix);
    await source.client.set(`rdbin-other:${run}`, 'not selected');
    dumped = join(work, 'bed dump.rdb');
    const cli = spawnSync('redis-cli', ['-s', source.socket, '--rdb', dumped], { encoding: 'utf8' });
    onTestFinished(() => source.stop());
    expect(cli.status).toBe(0);

    const progress: number[] = [];
    const imported = await importRdb(dumped, root, { onProgress: (p) => progress.push(p.keys) });
    expect(imported.manifest.source.profileId).toBe('bed-dump');
    expect(imported.manifest.counts.keys).toBeGreaterThanOrEqual(seeded.length + 1);
    expect(progress.length).toBeGreaterThan(0);

    const to = `rdbout:${run}:`;
    const options = {
      root,
      backup: { profileId: 'bed-dump', id: imported.id },
      target: c,
      targetProfile: { id: 'target', name: 'target', environment: 'development' as const },
      select: { prefixes: [prefix] },
      conflict: 'fail' as const,
      ttl: 'absolute' as const,
      rewrite: { from: prefix, to },
    };
    const dry = await dryRunRestore(options);
    expect(dry.selected).toBe(seeded.length);
    expect(dry.new.count).toBe(seeded.length);
    expect(await keysUnder(c, to)).toEqual([]);

    const report = await restoreBackup(options);
    expect(report.status).toBe('completed');
    const written: Buffer[] = [];
    for await (const k of readWrittenLog(report.writtenLog)) written.push(k);
    expect(written.length).toBe(seeded.length);
    const mismatched: string[] = [];
    for (const key of seeded) {
      const copy = Buffer.concat([Buffer.from(to), key.subarray(prefix.length)]);
      const same = samePayloadContent(
        (await source.client.dumpBuffer(key)) as Buffer,
        ((await c.dumpBuffer(copy)) ?? Buffer.alloc(0)) as Buffer,
      );
      if (!same || Number(await source.client.call('PEXPIRETIME', key)) !== Number(await c.call('PEXPIRETIME', copy)))
        mismatched.push(key.toString('hex'));
    }
    expect(mismatched).toEqual([]);
    expect((await keysUnder(c, to)).length).toBe(seeded.length);
  });

  it('refuses a file whose RDB version is newer than the local redis-server reads, with the reason', async () => {
    const bumped = join(work, 'bumped.rdb');
    copyFileSync(dumped, bumped);
    const fd = openSync(bumped, 'r+');
    writeSync(fd, Buffer.from('REDIS0099'), 0, 9, 0);
    closeSync(fd);
    const r = await reason(importRdb(bumped, root));
    expect(r).toMatch(/^VALIDATION:rdb-version: .*RDB version 99, newer than the local redis-server/);
  });

  it('refuses a truncated file', async () => {
    const cut = join(work, 'cut.rdb');
    copyFileSync(dumped, cut);
    truncateSync(cut, Math.floor(readFileSync(cut).length / 2));
    expect(await reason(importRdb(cut, root))).toMatch(/^CORRUPT_FILE:corrupt: .*could not be loaded by redis-server/);
  });

  it('refuses a file that is not RDB at all', async () => {
    const junk = join(work, 'junk.rdb');
    copyFileSync(join(import.meta.dirname, 'backup-seed.ts'), junk);
    expect(await reason(importRdb(junk, root))).toMatch(/^CORRUPT_FILE:not-rdb: /);
  });
});
