/**
 * Swarmdeck's task queue against BullMQ, one run, same Redis, same payload, same worker
 * concurrency: enqueue rate (bulk, 100 a batch), end-to-end processed rate (producer and
 * worker running together), pickup latency under that load (enqueue → handler start, mostly
 * the backlog), and idle pickup: one task at a time enqueued while the workers wait, from
 * before the enqueue call to the handler's start. Standalone and cluster. Prints one JSON
 * line. Env: BENCH_JOBS (default 20000), BENCH_CONCURRENCY (50), BENCH_IDLE (200).
 */
import { Queue as BullQueue, Worker as BullWorker } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
import { TaskQueue } from '../src/main/features/queues/task-queue';
import { Worker } from '../src/main/features/queues/worker';
import { percentile } from '../src/main/features/health/latency-window';
import type { RedisClient } from '../src/main/redis/client-options';
import { bed } from '../test/support/bed';

const JOBS = Number(process.env.BENCH_JOBS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const BATCH = 100;
const IDLE = Number(process.env.BENCH_IDLE ?? 200);
const stamp = Date.now().toString(36);
const note = (text: string) => process.stderr.write(`[bench/queue] ${text}\n`);

interface Figures {
  enqueuePerSec: number;
  processedPerSec: number;
  pickupP50Ms: number;
  pickupP99Ms: number;
  idlePickupP50Ms: number;
  idlePickupP99Ms: number;
}

type Topology = 'standalone' | 'cluster';
const connect = (t: Topology): RedisClient =>
  t === 'standalone'
    ? new Redis(bed.standalone.port, '127.0.0.1', { maxRetriesPerRequest: null })
    : new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }], { redisOptions: { maxRetriesPerRequest: null } });

const payload = (i: number) => ({ i, kind: 'bench', at: Date.now(), body: 'x'.repeat(64) });
/** What a handler is given: an idle probe carries no time, the bench notes when its handler starts. */
type Job = ReturnType<typeof payload> & { idle?: boolean };

function summarise(started: number, enqueueMs: number, finished: number, pickups: number[], idle: number[]): Figures {
  const sorted = pickups.sort((a, b) => a - b);
  const idleSorted = idle.sort((a, b) => a - b);
  const r = (v: number) => Math.round(v * 100) / 100;
  return {
    enqueuePerSec: Math.round(JOBS / (enqueueMs / 1000)),
    processedPerSec: Math.round(JOBS / ((finished - started) / 1000)),
    pickupP50Ms: r(percentile(sorted, 50) ?? 0),
    pickupP99Ms: r(percentile(sorted, 99) ?? 0),
    idlePickupP50Ms: r(percentile(idleSorted, 50) ?? 0),
    idlePickupP99Ms: r(percentile(idleSorted, 99) ?? 0),
  };
}

async function enqueueOnly(add: (batch: ReturnType<typeof payload>[]) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < JOBS; i += BATCH) await add(Array.from({ length: Math.min(BATCH, JOBS - i) }, (_, j) => payload(i + j)));
  return performance.now() - started;
}

/**
 * Producer and consumer together: the time from the first enqueue to the last completion.
 * Then, with the workers idle, single tasks one after another: enqueue to handler start.
 */
async function endToEnd(
  add: (batch: Job[]) => Promise<unknown>,
  start: (onJob: (job: Job) => void) => Promise<() => Promise<void>>,
): Promise<{ startedAt: number; finishedAt: number; pickups: number[]; idle: number[] }> {
  const pickups: number[] = [];
  let done = 0;
  let finishedAt = 0;
  let resolveAll: () => void = () => undefined;
  const all = new Promise<void>((r) => (resolveAll = r));
  let idleStarted: (at: number) => void = () => undefined;
  const stop = await start((job) => {
    if (job.idle) return idleStarted(performance.now());
    pickups.push(Date.now() - job.at);
    done += 1;
    if (done === JOBS) {
      finishedAt = performance.now();
      resolveAll();
    }
  });
  const startedAt = performance.now();
  for (let i = 0; i < JOBS; i += BATCH) await add(Array.from({ length: Math.min(BATCH, JOBS - i) }, (_, j) => payload(i + j)));
  await all;
  const idle: number[] = [];
  for (let i = 0; i < IDLE; i += 1) {
    // Long enough for every worker to be back in its blocking wait.
    await new Promise((r) => setTimeout(r, 15));
    const started = new Promise<number>((r) => (idleStarted = r));
    const sent = performance.now();
    await add([{ ...payload(i), idle: true }]);
    idle.push((await started) - sent);
  }
  await stop();
  return { startedAt, finishedAt, pickups, idle };
}

async function swarmdeck(t: Topology, run: number): Promise<Figures> {
  note(`swarmdeck ${t} run ${run}`);
  const client = connect(t);
  const fill = new TaskQueue(client, `bench-fill-${stamp}-${run}`, { keepFinished: 1000 });
  const enqueueMs = await enqueueOnly((batch) => fill.enqueueMany(batch.map((data) => ({ data }))));
  note(`  enqueued in ${Math.round(enqueueMs)} ms`);
  await fill.destroy();
  const q = new TaskQueue(client, `bench-e2e-${stamp}-${run}`, { keepFinished: 1000 });
  const e2e = await endToEnd(
    (batch) => q.enqueueMany(batch.map((data) => ({ data }))),
    async (onJob) => {
      const worker = new Worker(
        q,
        client,
        async (task) => {
          onJob(task.data as Job);
        },
        { concurrency: CONCURRENCY, leaseMs: 30_000 },
      ).start();
      return () => worker.close();
    },
  );
  await q.destroy();
  client.disconnect();
  return summarise(e2e.startedAt, enqueueMs, e2e.finishedAt, e2e.pickups, e2e.idle);
}

async function bullmq(t: Topology, run: number): Promise<Figures> {
  note(`bullmq ${t} run ${run}`);
  const connection = connect(t);
  // BullMQ keeps a queue in one slot only when its prefix is a hash tag.
  const prefix = t === 'cluster' ? '{bull}' : 'bull';
  const opts = { removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } };
  const fill = new BullQueue(`bench-fill-${stamp}-${run}`, { connection, prefix });
  const enqueueMs = await enqueueOnly((batch) => fill.addBulk(batch.map((data) => ({ name: 'job', data, opts }))));
  await fill.obliterate({ force: true });
  await fill.close();
  const q = new BullQueue(`bench-e2e-${stamp}-${run}`, { connection, prefix });
  const e2e = await endToEnd(
    (batch) => q.addBulk(batch.map((data) => ({ name: 'job', data, opts }))),
    async (onJob) => {
      const worker = new BullWorker(
        `bench-e2e-${stamp}-${run}`,
        async (job) => {
          onJob(job.data as Job);
        },
        { connection: connect(t), prefix, concurrency: CONCURRENCY },
      );
      await worker.waitUntilReady();
      return () => worker.close();
    },
  );
  await q.obliterate({ force: true });
  await q.close();
  connection.disconnect();
  return summarise(e2e.startedAt, enqueueMs, e2e.finishedAt, e2e.pickups, e2e.idle);
}

const results: Record<
  string,
  { swarmdeck: Figures; bullmq: Figures; processedRatio: number; enqueueRatio: number; idlePickupP50Ratio: number }
> = {};
for (const t of ['standalone', 'cluster'] as const) {
  // BullMQ first, then ours, then the comparison; warm-up runs are discarded.
  await bullmq(t, 0).catch(() => undefined);
  await swarmdeck(t, 0);
  const b = await bullmq(t, 1);
  const s = await swarmdeck(t, 1);
  results[t] = {
    swarmdeck: s,
    bullmq: b,
    processedRatio: Math.round((s.processedPerSec / b.processedPerSec) * 100) / 100,
    enqueueRatio: Math.round((s.enqueuePerSec / b.enqueuePerSec) * 100) / 100,
    idlePickupP50Ratio: Math.round((s.idlePickupP50Ms / b.idlePickupP50Ms) * 100) / 100,
  };
}
console.log(JSON.stringify({ bench: 'queue', jobs: JOBS, concurrency: CONCURRENCY, batch: BATCH, run: stamp, ...results }));
process.exit(0);
