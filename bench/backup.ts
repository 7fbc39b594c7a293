/**
 * Backup and restore throughput against the peers Redis ships, same data, same run:
 * `redis-cli --rdb` (a server-side snapshot streamed to a file) for backup and
 * `redis-cli --pipe` (mass insertion of RESTORE commands built from the same payloads) for
 * restore; standalone and cluster; keys/s, MB/s (DUMP payload bytes) and this process's peak
 * RSS per phase. Prints one JSON line. Env: BENCH_KEYS (default 1,000,000).
 * The bench empties the servers of the test bed it runs against (FLUSHALL), so that the peer
 * snapshot holds exactly the benchmark's data: run it only against a bed of your own.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { createBackup, openBackup, readRecords, restoreBackup } from '../src/main/features/backup';
import { keySlot } from '../src/main/features/backup/format';
import type { RedisClient } from '../src/main/redis/client-options';
import { isCluster, nodeHandles } from '../src/main/redis/nodes';
import { bed } from '../test/support/bed';
import { seedMixed } from './support/mixed-keys';

const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const note = (text: string) => process.stderr.write(`[bench/backup] ${text}\n`);
const work = mkdtempSync(join(tmpdir(), 'swarmdeck-bench-backup-'));
type Topology = 'standalone' | 'cluster';

const connect = (t: Topology): RedisClient =>
  t === 'standalone'
    ? new Redis(bed.standalone.port, '127.0.0.1', { maxRetriesPerRequest: null })
    : new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }], { redisOptions: { maxRetriesPerRequest: null } });

/** The master that owns a key's slot (the standalone server itself when not a cluster). */
function owner(client: RedisClient, key: Buffer): string {
  if (!isCluster(client)) return nodeHandles(client)[0]?.address as string;
  return client.slots[keySlot(key)]?.[0] as string;
}

async function flush(client: RedisClient): Promise<void> {
  await Promise.all(nodeHandles(client, 'master').map((h) => h.client.flushall()));
}

/** Peak RSS of this process while `fn` runs, sampled every 20 ms. */
async function withPeak<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; peakRssMb: number; startRssMb: number }> {
  global.gc?.();
  let peak = process.memoryUsage.rss();
  const startRssMb = Math.round(peak / 1048576);
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const started = performance.now();
  try {
    const value = await fn();
    return {
      value,
      ms: performance.now() - started,
      startRssMb,
      peakRssMb: Math.round(Math.max(peak, process.memoryUsage.rss()) / 1048576),
    };
  } finally {
    clearInterval(timer);
  }
}

const ports = (client: RedisClient) => nodeHandles(client, 'master').map((h) => Number(h.address.split(':')[1]));

/** `redis-cli --rdb` on every master, in parallel, as the peer of a backup. */
async function peerRdb(client: RedisClient, dir: string): Promise<{ ms: number; bytes: number }> {
  // Diskless sync waits 5 s for more replicas by default; the peer should not pay for that.
  await Promise.all(nodeHandles(client, 'master').map((h) => h.client.config('SET', 'repl-diskless-sync-delay', '0')));
  const started = performance.now();
  const files = ports(client).map((port) => join(dir, `peer-${port}.rdb`));
  await Promise.all(
    ports(client).map(async (port, i) => {
      const child = spawn('redis-cli', ['-p', String(port), '--rdb', files[i] as string], { stdio: 'ignore' });
      const [code] = (await once(child, 'exit')) as [number];
      if (code !== 0) throw new Error(`redis-cli --rdb exited ${code}`);
    }),
  );
  return { ms: performance.now() - started, bytes: files.reduce((a, f) => a + statSync(f).size, 0) };
}

/** RESP files of RESTORE commands (one per owning master) from the backup's payloads. */
async function writePipeFiles(client: RedisClient, root: string, profileId: string, id: string, dir: string): Promise<Map<number, string>> {
  const streams = new Map<string, ReturnType<typeof createWriteStream>>();
  const paths = new Map<number, string>();
  for (const h of nodeHandles(client, 'master')) {
    const port = Number(h.address.split(':')[1]);
    const path = join(dir, `pipe-${port}.resp`);
    paths.set(port, path);
    streams.set(h.address, createWriteStream(path));
  }
  const bulk = (b: Buffer) => [Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n')];
  for await (const r of readRecords(await openBackup(root, profileId, id))) {
    const args =
      r.expireAt === -1
        ? [Buffer.from('RESTORE'), r.key, Buffer.from('0'), r.payload]
        : [Buffer.from('RESTORE'), r.key, Buffer.from(String(r.expireAt)), r.payload, Buffer.from('ABSTTL')];
    const s = streams.get(owner(client, r.key));
    if (!s) throw new Error('no owner for a key');
    if (!s.write(Buffer.concat([Buffer.from(`*${args.length}\r\n`), ...args.flatMap(bulk)]))) await once(s, 'drain');
  }
  await Promise.all([...streams.values()].map((s) => new Promise((r) => s.end(r))));
  return paths;
}

async function peerPipe(files: Map<number, string>): Promise<number> {
  const started = performance.now();
  await Promise.all(
    [...files].map(async ([port, file]) => {
      const child = spawn('sh', ['-c', `redis-cli -p ${port} --pipe < '${file}'`], { stdio: 'ignore' });
      const [code] = (await once(child, 'exit')) as [number];
      if (code !== 0) throw new Error(`redis-cli --pipe exited ${code}`);
    }),
  );
  return performance.now() - started;
}

const r1 = (v: number) => Math.round(v * 10) / 10;

async function runTopology(t: Topology) {
  const client = connect(t);
  await client.ping();
  const root = join(work, t);
  const profile = { id: `bench-${t}`, name: t, environment: 'development' as const };
  note(`${t}: seeding ${KEYS} keys`);
  await flush(client);
  await seedMixed(client, KEYS);
  note(`${t}: backup`);
  const backup = await withPeak(() => createBackup(client, profile, { root }));
  const m = backup.value.manifest;
  const payloadMb = m.counts.payloadBytes / 1048576;
  note(`${t}: redis-cli --rdb`);
  const rdb = await peerRdb(client, root);
  const pipeFiles = await writePipeFiles(client, root, profile.id, backup.value.id, root);
  note(`${t}: restore`);
  await flush(client);
  const restore = await withPeak(() =>
    restoreBackup({
      root,
      backup: { profileId: profile.id, id: backup.value.id },
      target: client,
      targetProfile: profile,
      conflict: 'replace',
      ttl: 'absolute',
      verify: false,
    }),
  );
  if (restore.value.status !== 'completed' || restore.value.writtenCount !== m.counts.keys)
    throw new Error(`restore ${restore.value.status}: ${restore.value.writtenCount}/${m.counts.keys}`);
  note(`${t}: redis-cli --pipe`);
  await flush(client);
  const pipeMs = await peerPipe(pipeFiles);
  const dbsize = (await Promise.all(nodeHandles(client, 'master').map((h) => h.client.dbsize()))).reduce((a, b) => a + b, 0);
  if (dbsize !== m.counts.keys) throw new Error(`redis-cli --pipe left ${dbsize} keys, expected ${m.counts.keys}`);
  await flush(client);
  client.disconnect();
  const s = (ms: number) => ms / 1000;
  return {
    keys: m.counts.keys,
    payloadMb: r1(payloadMb),
    fileMb: r1(m.file.compressedBytes / 1048576),
    backup: {
      keysPerSec: Math.round(m.counts.keys / s(backup.ms)),
      mbPerSec: r1(payloadMb / s(backup.ms)),
      ms: Math.round(backup.ms),
      peakRssMb: backup.peakRssMb,
      rssAtStartMb: backup.startRssMb,
    },
    redisCliRdb: { keysPerSec: Math.round(m.counts.keys / s(rdb.ms)), ms: Math.round(rdb.ms), fileMb: r1(rdb.bytes / 1048576) },
    restore: {
      keysPerSec: Math.round(m.counts.keys / s(restore.ms)),
      mbPerSec: r1(payloadMb / s(restore.ms)),
      ms: Math.round(restore.ms),
      peakRssMb: restore.peakRssMb,
      rssAtStartMb: restore.startRssMb,
      includesSafetySnapshot: true,
    },
    redisCliPipe: { keysPerSec: Math.round(m.counts.keys / s(pipeMs)), ms: Math.round(pipeMs) },
    backupVsRdb: r1(rdb.ms / backup.ms),
    restoreVsPipe: r1(pipeMs / restore.ms),
  };
}

const results: Record<string, Awaited<ReturnType<typeof runTopology>>> = {};
try {
  for (const t of ['standalone', 'cluster'] as const) results[t] = await runTopology(t);
} finally {
  rmSync(work, { recursive: true, force: true });
}
writeFileSync(
  1,
  JSON.stringify({ bench: 'backup', keys: KEYS, peakRssMbProcess: Math.round(process.resourceUsage().maxRSS / 1024), ...results }) + '\n',
);
process.exit(0);
