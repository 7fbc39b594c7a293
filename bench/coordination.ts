/**
 * Swarmdeck's fenced locks against node-redlock (5.0.0-beta.2), one run, the same standalone
 * Redis: acquire+release pairs one after another by one client on one resource (uncontended:
 * throughput, p50/p99 of a pair), then 16 clients on one resource, each taking it, releasing it
 * and going again (contended: throughput of pairs, p50/p99 from the first attempt to the release).
 * Both retry the same way under contention (5 ms base, jittered). Prints one JSON line.
 * Env: BENCH_PAIRS (default 5000), BENCH_CONTENDED (default 2000 pairs in all).
 */
import { Redis } from 'ioredis';
import Redlock from 'redlock';
import { FencedLocks } from '../src/main/features/locks/fenced-locks';
import { percentile } from '../src/main/features/health/latency-window';
import { bed } from '../test/support/bed';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 5000);
const CONTENDED = Number(process.env.BENCH_CONTENDED ?? 2000);
const CLIENTS = 16;
const TTL = 10_000;
const stamp = Date.now().toString(36);
const note = (text: string) => process.stderr.write(`[bench/coordination] ${text}\n`);

interface Figures {
  pairsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

type Pair = (client: number) => Promise<void>;

function figures(latencies: number[], elapsedMs: number): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    pairsPerSec: Math.round((latencies.length / elapsedMs) * 1000),
    p50Ms: round(percentile(sorted, 50) ?? 0),
    p99Ms: round(percentile(sorted, 99) ?? 0),
  };
}

/**
 * Both sides in alternating blocks of 100 pairs, so the load other processes put on this shared
 * machine falls on both alike; each side's throughput is its pairs over its own time.
 */
async function uncontended(a: Pair, b: Pair): Promise<[Figures, Figures]> {
  // Warm-up: script loading and connection setup are not what is measured.
  for (let i = 0; i < 200; i += 1) {
    await a(0);
    await b(0);
  }
  const sides = [
    { pair: a, latencies: [] as number[], elapsed: 0 },
    { pair: b, latencies: [] as number[], elapsed: 0 },
  ];
  for (let done = 0; done < PAIRS; done += 100) {
    for (const side of sides) {
      const started = performance.now();
      for (let i = 0; i < 100; i += 1) {
        const t = performance.now();
        await side.pair(0);
        side.latencies.push(performance.now() - t);
      }
      side.elapsed += performance.now() - started;
    }
  }
  return [figures(sides[0]!.latencies, sides[0]!.elapsed), figures(sides[1]!.latencies, sides[1]!.elapsed)];
}

async function contended(pair: Pair): Promise<Figures> {
  const latencies: number[] = [];
  let left = CONTENDED;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      while (left > 0) {
        left -= 1;
        const t = performance.now();
        await pair(c);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return figures(latencies, performance.now() - started);
}

async function main(): Promise<void> {
  const clients = Array.from({ length: CLIENTS }, () => new Redis(bed.standalone.port, '127.0.0.1'));
  const ours = clients.map((c) => new FencedLocks(c, `bench${stamp}`));
  // Redlock with one instance per client (one Redis server, so a quorum of one), retrying like ours.
  const theirs = clients.map(
    (c) => new Redlock([c], { retryCount: 100_000, retryDelay: 5, retryJitter: 5, automaticExtensionThreshold: 500 }),
  );
  try {
    const sd =
      (resource: string): Pair =>
      async (c) => {
        const lock = await (ours[c] as FencedLocks).acquire(resource, { ttlMs: TTL, waitMs: 60_000 });
        if (!lock) throw new Error('not acquired');
        await lock.release();
      };
    const rl =
      (resource: string): Pair =>
      async (c) => {
        const lock = await (theirs[c] as Redlock).acquire([`bench-redlock:${stamp}:${resource}`], TTL);
        await lock.release();
      };
    note(`uncontended: ${PAIRS} pairs each`);
    const [swarmdeckUncontended, redlockUncontended] = await uncontended(sd('solo'), rl('solo'));
    note(`contended: ${CLIENTS} clients, ${CONTENDED} pairs each side`);
    const swarmdeckContended = await contended(sd('hot'));
    const redlockContended = await contended(rl('hot'));
    const ratio = (a: Figures, b: Figures) => Math.round((a.pairsPerSec / b.pairsPerSec) * 100) / 100;
    process.stdout.write(
      `${JSON.stringify({
        bench: 'coordination',
        redis: 'standalone',
        uncontended: {
          swarmdeck: swarmdeckUncontended,
          redlock: redlockUncontended,
          throughputRatio: ratio(swarmdeckUncontended, redlockUncontended),
        },
        contended: {
          clients: CLIENTS,
          swarmdeck: swarmdeckContended,
          redlock: redlockContended,
          throughputRatio: ratio(swarmdeckContended, redlockContended),
        },
      })}\n`,
    );
  } finally {
    for (const c of clients) c.disconnect();
  }
}

await main();
