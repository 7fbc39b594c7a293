/**
 * Memory analysis throughput against redis-cli's own scanners on the same data in the same
 * run: Swarmdeck's analysis (SCAN + TYPE/PTTL/MEMORY USAGE + the type's size command, unthrottled
 * budget) vs `redis-cli --bigkeys` and `--memkeys`, in keys/s, and the commands per second
 * each imposes on the server (INFO total_commands_processed over the run). Prints one JSON line.
 * Env: BENCH_KEYS (default 1,000,000). It empties the bed's standalone server (FLUSHALL): run
 * it only against a bed of your own.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { DiagnosisReport } from '../src/shared/model/diagnostics';
import { createServices } from '../src/main/services';
import { bed, standalone } from '../test/support/bed';

const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const redis = new Redis(bed.standalone.port, '127.0.0.1');

async function commandsProcessed(): Promise<number> {
  return Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))?.[1] ?? 0);
}

async function measure(run: () => Promise<void>, keys = KEYS): Promise<{ seconds: number; keysPerSec: number; serverOpsPerSec: number }> {
  const before = await commandsProcessed();
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const ops = (await commandsProcessed()) - before - 1;
  return { seconds: Math.round(seconds * 100) / 100, keysPerSec: Math.round(keys / seconds), serverOpsPerSec: Math.round(ops / seconds) };
}

async function fill(): Promise<void> {
  await redis.flushall();
  for (let start = 0; start < KEYS; start += 10_000) {
    const pipe = redis.pipeline();
    for (let i = start; i < Math.min(KEYS, start + 10_000); i++) {
      // Mostly small strings, as a coordination keyspace is, with every type present.
      switch (i % 20) {
        case 0:
          pipe.hset(`bench:h:${i}`, 'a', String(i), 'b', 'x'.repeat(i % 97));
          break;
        case 1:
          pipe.rpush(`bench:l:${i}`, 'a', 'b', String(i));
          break;
        case 2:
          pipe.sadd(`bench:s:${i}`, 'a', String(i));
          break;
        case 3:
          pipe.zadd(`bench:z:${i}`, i, 'a');
          break;
        default:
          pipe.set(`bench:k:${i % 50}:${i}`, 'v'.repeat(i % 61), 'EX', 3600 + (i % 1000));
      }
    }
    await pipe.exec();
  }
}

await fill();
const services = createServices({ home: mkdtempSync(join(tmpdir(), 'sd-bench-')), env: {}, healthIntervalMs: 3_600_000 });
const profile = await services.profiles.save({ ...standalone(), name: 'bench' });
await services.connections.connect(profile.id);
let report: DiagnosisReport | undefined;
const swarmdeck = await measure(async () => {
  const job = await services.diagnostics.run(profile.id, 'memory', { opsPerSecond: 1_000_000 });
  report = (await services.jobs.settled(job.id)).result as DiagnosisReport;
});
const cli = (mode: string) =>
  measure(
    async () => void execFileSync('redis-cli', ['-p', String(bed.standalone.port), mode], { stdio: 'ignore', maxBuffer: 64 * 1024 * 1024 }),
  );
const bigkeys = await cli('--bigkeys');
const memkeys = await cli('--memkeys');
// The default budget on a slice of the data, to show the throttle holds.
const budgeted = await measure(async () => {
  const job = await services.diagnostics.run(profile.id, 'memory', { maxKeys: 20_000 });
  await services.jobs.settled(job.id);
}, 20_000);
console.log(
  JSON.stringify({
    bench: 'diagnostics.memory',
    keys: KEYS,
    scanned: report?.memory?.keysScanned,
    swarmdeck,
    redisCliBigkeys: bigkeys,
    redisCliMemkeys: memkeys,
    ratioVsBigkeys: Math.round((swarmdeck.keysPerSec / bigkeys.keysPerSec) * 100) / 100,
    ratioVsMemkeys: Math.round((swarmdeck.keysPerSec / memkeys.keysPerSec) * 100) / 100,
    defaultBudget: { opsPerSecondBudget: 50_000, keys: 20_000, ...budgeted },
  }),
);
await services.dispose();
await redis.flushall();
redis.disconnect();
