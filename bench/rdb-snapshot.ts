/**
 * Reading every master's snapshot through Swarmdeck's replica-style reader (redis/replication:
 * handshake, framing, the RDB parsed into records) against `redis-cli --rdb` of the same
 * servers in the same run, which only writes the bytes to a file. Standalone and cluster
 * (all masters in parallel, both sides); keys/s, the ratio, and this process's peak RSS while
 * reading. Both sides get a diskless transfer with repl-diskless-sync-delay 0, so neither
 * waits for other replicas. Prints one JSON line. Env: BENCH_KEYS (default 1,000,000).
 * The bench empties the servers of the bed it runs against: run it only on a bed of your own.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import type { RedisClient } from '../src/main/redis/client-options';
import { isCluster, nodeHandles } from '../src/main/redis/nodes';
import { masterEndpoints, readSnapshots } from '../src/main/redis/replication';
import { bed } from '../test/support/bed';
import { seedMixed } from './support/mixed-keys';

const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const note = (text: string) => process.stderr.write(`[bench/rdb-snapshot] ${text}\n`);
const work = mkdtempSync(join(tmpdir(), 'swarmdeck-bench-rdb-'));

const connect = (t: 'standalone' | 'cluster'): RedisClient =>
  t === 'standalone'
    ? new Redis(bed.standalone.port, '127.0.0.1', { maxRetriesPerRequest: null })
    : new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }], { redisOptions: { maxRetriesPerRequest: null } });

async function peer(client: RedisClient): Promise<number> {
  const started = performance.now();
  await Promise.all(
    nodeHandles(client, 'master').map(async (h) => {
      const port = h.address.split(':')[1] as string;
      const child = spawn('redis-cli', ['-p', port, '--rdb', join(work, `peer-${port}.rdb`)], { stdio: 'ignore' });
      const [code] = (await once(child, 'exit')) as [number];
      if (code !== 0) throw new Error(`redis-cli --rdb exited ${code}`);
    }),
  );
  return performance.now() - started;
}

async function ours(client: RedisClient): Promise<{ ms: number; keys: number; valueBytes: number; peakRssMb: number }> {
  global.gc?.();
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const started = performance.now();
  try {
    const perMaster = await readSnapshots(masterEndpoints(client), async (snapshot) => {
      let keys = 0;
      let valueBytes = 0;
      for await (const batch of snapshot.records)
        for (const r of batch)
          if (r.kind === 'key') {
            keys += 1;
            valueBytes += r.value.length;
          }
      return { keys, valueBytes };
    });
    return {
      ms: performance.now() - started,
      keys: perMaster.reduce((n, m) => n + m.keys, 0),
      valueBytes: perMaster.reduce((n, m) => n + m.valueBytes, 0),
      peakRssMb: Math.round(Math.max(peak, process.memoryUsage.rss()) / 1048576),
    };
  } finally {
    clearInterval(timer);
  }
}

const rows: Record<string, unknown>[] = [];
try {
  for (const topology of ['standalone', 'cluster'] as const) {
    const client = connect(topology);
    try {
      if (isCluster(client)) await new Promise((resolve) => client.once('ready', resolve));
      const masters = nodeHandles(client, 'master');
      await Promise.all(masters.map((h) => h.client.flushall()));
      const delays = await Promise.all(
        masters.map(async (h) => ((await h.client.config('GET', 'repl-diskless-sync-delay')) as string[])[1] as string),
      );
      await Promise.all(masters.map((h) => h.client.config('SET', 'repl-diskless-sync-delay', '0')));
      note(`${topology}: seeding ${KEYS} keys`);
      await seedMixed(client, KEYS);
      const dbsize = (await Promise.all(masters.map((h) => h.client.dbsize()))).reduce((a, b) => a + b, 0);
      const peerMs = await peer(client);
      const mine = await ours(client);
      if (mine.keys !== dbsize) throw new Error(`${topology}: read ${mine.keys} keys of ${dbsize}`);
      const row = {
        topology,
        keys: dbsize,
        peerKeysPerSec: Math.round(dbsize / (peerMs / 1000)),
        keysPerSec: Math.round(dbsize / (mine.ms / 1000)),
        ratio: +(peerMs / mine.ms).toFixed(2),
        valueMB: +(mine.valueBytes / 1048576).toFixed(1),
        peakRssMb: mine.peakRssMb,
      };
      note(JSON.stringify(row));
      rows.push(row);
      await Promise.all(masters.map((h, i) => h.client.config('SET', 'repl-diskless-sync-delay', delays[i] as string)));
      await Promise.all(masters.map((h) => h.client.flushall()));
    } finally {
      client.disconnect();
    }
  }
  console.log(JSON.stringify({ bench: 'rdb-snapshot', rows }));
} finally {
  rmSync(work, { recursive: true, force: true });
}
