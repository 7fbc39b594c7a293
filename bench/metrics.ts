/**
 * Metrics ingestion from one process with rollups on (the SDK's `Metrics`: three resolutions,
 * exact min/max, histogram) against a bare pipelined HINCRBY loop (one HINCRBY per sample,
 * 1,000 per pipeline) in the same run against the same Redis; then the keys and bytes a simulated
 * 3 h of one series at 10 samples/s leaves, and queries of it per resolution (see
 * `footprintAndQueries`: it reads any bucket layout, so the same file measures an older tree).
 * Standalone and cluster. Prints one JSON line. Env: BENCH_SAMPLES (default 500000), BENCH_QUERY_ROUNDS (20).
 */
import { Cluster, Redis } from 'ioredis';
import { Metrics } from '../src/main/features/metrics/metrics';
import { readRange } from '../src/main/features/metrics/query';
import { metricSeriesKeys, metricsPattern } from '../src/main/redis/keyspace';
import { nodeHandles } from '../src/main/redis/nodes';
import type { RedisClient } from '../src/main/redis/client-options';
import { RESOLUTIONS, type Resolution } from '../src/shared/model/metrics';
import { bed } from '../test/support/bed';
import { ManualClock } from '../test/support/clock';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 500_000);
const QUERY_ROUNDS = Number(process.env.BENCH_QUERY_ROUNDS ?? 20);
const stamp = Date.now().toString(36);
const note = (text: string) => process.stderr.write(`[bench/metrics] ${text}\n`);
const value = (i: number) => Math.round(Math.exp(3 + ((i * 7919) % 1000) / 250));

/** Samples/s through the recorder: 4 series × 4 tag sets, timed until the last flush is written. */
async function ingest(client: RedisClient, prefix: string): Promise<number> {
  const metrics = new Metrics(client, { prefix });
  const tags = ['a', 'b', 'c', 'd'].map((host) => ({ host }));
  const started = performance.now();
  for (let i = 0; i < SAMPLES; i++) {
    metrics.record(`bench.s${i & 3}`, value(i), tags[(i >> 2) & 3]);
    // Yield now and then, as a real agent does between its work, so background flushes run.
    if ((i & 4095) === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await metrics.close();
  return SAMPLES / ((performance.now() - started) / 1000);
}

/** The peer: one HINCRBY per sample, pipelined by 1,000, keys of one slot per pipeline. */
async function bare(client: RedisClient, prefix: string): Promise<number> {
  const key = `${metricSeriesKeys(prefix, 'bare').tags}`;
  const started = performance.now();
  for (let i = 0; i < SAMPLES; i += 1000) {
    const pipeline = client.pipeline();
    for (let j = i; j < Math.min(SAMPLES, i + 1000); j++) pipeline.hincrby(key, `h${value(j) & 255}`, 1);
    await pipeline.exec();
  }
  return SAMPLES / ((performance.now() - started) / 1000);
}

/**
 * What a simulated 3 h of one series at 10 samples/s leaves on the target, whatever the layout
 * (a key per bucket before, a ring per resolution now): the keys SCAN finds and their bytes by
 * MEMORY USAGE (every field, SAMPLES 0); then queries of it per resolution, timed.
 */
async function footprintAndQueries(client: RedisClient, prefix: string) {
  const start = Math.floor((Date.now() - 4 * 3_600_000) / 3_600_000) * 3_600_000;
  const clock = new ManualClock(start);
  const metrics = new Metrics(client, { prefix, clock });
  const span = 3 * 3_600_000;
  for (let t = 0, i = 0; t < span; t += 100, i++) {
    metrics.record('mem.series', value(i));
    clock.advance(100);
    if ((i & 4095) === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await metrics.close();
  const keys: string[] = [];
  for (const node of nodeHandles(client, 'master')) {
    let cursor = '0';
    do {
      const [next, batch] = await node.client.scan(cursor, 'MATCH', metricsPattern(prefix), 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
  }
  const sizes = await Promise.all(keys.map((key) => client.memory('USAGE', key, 'SAMPLES', 0) as Promise<number | null>));
  const queries = {} as Record<Resolution, { buckets: number; queriesPerSec: number }>;
  for (const res of RESOLUTIONS) {
    // The newest 3 h at 1 h and 1 min; the newest hour at 1 s (a chart's widest 1 s view is 3 h).
    const from = res === '1s' ? start + span - 3_600_000 : start;
    const q = { series: 'mem.series', resolution: res, from, to: start + span };
    let buckets = 0;
    const began = performance.now();
    for (let i = 0; i < QUERY_ROUNDS; i++) buckets = (await readRange(client, prefix, q)).size;
    queries[res] = { buckets, queriesPerSec: Math.round(QUERY_ROUNDS / ((performance.now() - began) / 1000)) };
  }
  return { keysAfter3h: keys.length, bytesAfter3h: sizes.reduce<number>((a, b) => a + (b ?? 0), 0), queries };
}

async function run(kind: string, client: RedisClient) {
  const prefix = `bench-m-${kind}-${stamp}`;
  // Alternate so drift on a shared machine hits both alike; keep each one's best.
  let ours = 0;
  let peer = 0;
  for (let round = 0; round < 2; round++) {
    peer = Math.max(peer, await bare(client, `${prefix}-r${round}`));
    ours = Math.max(ours, await ingest(client, `${prefix}-r${round}`));
    note(`${kind} round ${round}: ours ${Math.round(ours)}/s, bare HINCRBY ${Math.round(peer)}/s`);
  }
  return {
    samplesPerSec: Math.round(ours),
    bareHincrbyPerSec: Math.round(peer),
    ratio: Number((ours / peer).toFixed(2)),
    ...(await footprintAndQueries(client, `${prefix}-fp`)),
  };
}

const standalone = new Redis(bed.standalone.port, '127.0.0.1');
const cluster = new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }]);
try {
  const result = {
    bench: 'metrics',
    samples: SAMPLES,
    standalone: await run('standalone', standalone),
    cluster: await run('cluster', cluster),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  standalone.disconnect();
  cluster.disconnect();
}
