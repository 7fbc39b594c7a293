/**
 * Metrics ingestion from one process with rollups on (the SDK's `Metrics`: three resolutions,
 * exact min/max, histogram) against a bare pipelined HINCRBY loop (one HINCRBY per sample,
 * 1,000 per pipeline) in the same run against the same Redis, and Redis memory per series per
 * day at each resolution, and held at the default retention (MEMORY USAGE of the buckets a simulated 3 h at 10 samples/s wrote).
 * Standalone and cluster. Prints one JSON line. Env: BENCH_SAMPLES (default 500000).
 */
import { Cluster, Redis } from 'ioredis';
import { Metrics } from '../src/main/features/metrics/metrics';
import { metricSeriesKeys } from '../src/main/redis/keyspace';
import type { RedisClient } from '../src/main/redis/client-options';
import { DEFAULT_RETENTION, RESOLUTION_MS, RESOLUTIONS, type Resolution } from '../src/shared/model/metrics';
import { bed } from '../test/support/bed';
import { ManualClock } from '../test/support/clock';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 500_000);
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

/** Bytes one series with one tag set takes per day written, and held at each resolution's retention. */
async function memory(
  client: RedisClient,
  prefix: string,
): Promise<Record<Resolution, { perBucket: number; perDay: number; heldAtRetention: number }>> {
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
  const keys = metricSeriesKeys(prefix, 'mem.series');
  const out = {} as Record<Resolution, { perBucket: number; perDay: number; heldAtRetention: number }>;
  for (const res of RESOLUTIONS) {
    const size = RESOLUTION_MS[res];
    const starts: number[] = [];
    for (let b = start; b + size <= start + span; b += size) starts.push(b);
    const sizes = await Promise.all(starts.map((b) => client.memory('USAGE', keys.bucket(res, '_', b)) as Promise<number | null>));
    const perBucket = sizes.reduce<number>((a, b) => a + (b ?? 0), 0) / starts.length;
    out[res] = {
      perBucket: Math.round(perBucket),
      perDay: Math.round(perBucket * (86_400_000 / size)),
      heldAtRetention: Math.round(perBucket * (DEFAULT_RETENTION[res] / size)),
    };
  }
  return out;
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
  const mem = await memory(client, prefix);
  return {
    samplesPerSec: Math.round(ours),
    bareHincrbyPerSec: Math.round(peer),
    ratio: Number((ours / peer).toFixed(2)),
    bytesPerSeriesPerDay: mem,
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
