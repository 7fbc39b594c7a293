/**
 * Swarmdeck messaging against bare ioredis publish/subscribe, one run, the same standalone
 * Redis: end-to-end pub/sub latency (publish → handler) with messages paced at BENCH_RATE per
 * second (default 5,000), and request/response round trips one after another. Both sides run
 * in alternating blocks so the load of other processes on this shared machine falls on both
 * alike. The bare side does what an application would do by hand: JSON bodies, one reply
 * channel, a map of pending ids; Swarmdeck adds envelopes, validation and timers.
 * Prints one JSON line. Env: BENCH_MESSAGES (default 10,000), BENCH_RPC (default 2,000), BENCH_RATE.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Messaging } from '../src/main/features/messaging/messaging';
import { percentile } from '../src/main/features/health/latency-window';
import { bed } from '../test/support/bed';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const RPCS = Number(process.env.BENCH_RPC ?? 2000);
const RATE = Number(process.env.BENCH_RATE ?? 5000);
const BLOCK = 1000;
const TICK_MS = 10;
const prefix = `bench-msg-${Date.now().toString(36)}`;
const note = (text: string) => process.stderr.write(`[bench/messaging] ${text}\n`);

interface Side {
  /** Publishes one message carrying its send time; the receiver records the latency. */
  send(sentAt: number): Promise<unknown>;
  latencies: number[];
}

interface Figures {
  p50Ms: number;
  p99Ms: number;
}

function figures(latencies: number[]): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { p50Ms: round(percentile(sorted, 50) ?? 0), p99Ms: round(percentile(sorted, 99) ?? 0) };
}

const open = (): Redis => new Redis(bed.standalone.port, '127.0.0.1');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends `count` messages paced at RATE/s (a burst every 10 ms) and waits for all to arrive. */
async function paced(side: Side, count: number): Promise<void> {
  const perTick = Math.max(1, Math.round((RATE * TICK_MS) / 1000));
  const target = side.latencies.length + count;
  const started = performance.now();
  for (let sent = 0; sent < count;) {
    const burst = Math.min(perTick, count - sent);
    for (let i = 0; i < burst; i += 1) void side.send(performance.now());
    sent += burst;
    const due = started + (sent / RATE) * 1000;
    await pause(Math.max(0, due - performance.now()));
  }
  const deadline = performance.now() + 10_000;
  while (side.latencies.length < target && performance.now() < deadline) await pause(5);
  if (side.latencies.length < target) throw new Error(`${target - side.latencies.length} messages never arrived`);
}

async function main(): Promise<void> {
  const clients: Redis[] = [];
  const client = (): Redis => {
    const c = open();
    clients.push(c);
    return c;
  };

  // Swarmdeck pub/sub.
  const sdPub = new Messaging(client(), { prefix, publisher: 'bench' });
  const sdSub = new Messaging(client(), { prefix });
  const sd: Side = { latencies: [], send: (t) => sdPub.publish('bench', 'tick', { t }) };
  await sdSub.subscribe<{ t: number }>('bench', (e) => sd.latencies.push(performance.now() - e.payload.t));

  // Bare ioredis pub/sub, on channels of the same namespace.
  const rawChannel = sdPub.channel('raw');
  const rawRpcChannel = sdPub.channel('raw.rpc');
  const rawPub = client();
  const rawSub = client();
  const raw: Side = { latencies: [], send: (t) => rawPub.publish(rawChannel, JSON.stringify({ t })) };
  rawSub.on('message', (_channel: string, text: string) => raw.latencies.push(performance.now() - (JSON.parse(text) as { t: number }).t));
  await rawSub.subscribe(rawChannel);

  await paced(sd, 500);
  await paced(raw, 500);
  sd.latencies.length = 0;
  raw.latencies.length = 0;
  for (let done = 0; done < MESSAGES; done += BLOCK) {
    await paced(sd, Math.min(BLOCK, MESSAGES - done));
    await paced(raw, Math.min(BLOCK, MESSAGES - done));
  }
  note(`pub/sub: ${sd.latencies.length} + ${raw.latencies.length} messages at ${RATE}/s`);

  // Swarmdeck request/response.
  const sdServer = new Messaging(client(), { prefix });
  await sdServer.serve<{ n: number }>('bench.rpc', (r) => ({ n: r.payload.n + 1 }));
  const sdCaller = new Messaging(client(), { prefix });
  const sdRpc = async (n: number): Promise<void> => {
    const reply = await sdCaller.request<{ n: number }>('bench.rpc', 'inc', { n }, { timeoutMs: 5000 });
    if (reply.payload.n !== n + 1) throw new Error('wrong reply');
  };

  // Bare ioredis request/response: one reply channel, a map of pending ids, a timer each.
  const rawServerSub = client();
  const rawServerPub = client();
  await rawServerSub.subscribe(rawRpcChannel);
  rawServerSub.on('message', (_c: string, text: string) => {
    const req = JSON.parse(text) as { id: string; replyTo: string; n: number };
    void rawServerPub.publish(req.replyTo, JSON.stringify({ id: req.id, n: req.n + 1 }));
  });
  const rawCallerSub = client();
  const rawCallerPub = client();
  const replyTo = sdPub.channel(`raw.reply.${randomUUID()}`);
  const pending = new Map<string, (n: number) => void>();
  await rawCallerSub.subscribe(replyTo);
  rawCallerSub.on('message', (_c: string, text: string) => {
    const r = JSON.parse(text) as { id: string; n: number };
    pending.get(r.id)?.(r.n);
    pending.delete(r.id);
  });
  const rawRpc = async (n: number): Promise<void> => {
    const id = randomUUID();
    const got = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timeout')), 5000);
      pending.set(id, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
      void rawCallerPub.publish(rawRpcChannel, JSON.stringify({ id, replyTo, n }));
    });
    if (got !== n + 1) throw new Error('wrong reply');
  };

  const rpc = { sd: [] as number[], raw: [] as number[] };
  const timed = async (call: (n: number) => Promise<void>, into: number[], n: number): Promise<void> => {
    const started = performance.now();
    await call(n);
    into.push(performance.now() - started);
  };
  for (let i = 0; i < 200; i += 1) {
    await sdRpc(i);
    await rawRpc(i);
  }
  for (let done = 0; done < RPCS; done += 100) {
    for (let i = 0; i < 100; i += 1) await timed(sdRpc, rpc.sd, done + i);
    for (let i = 0; i < 100; i += 1) await timed(rawRpc, rpc.raw, done + i);
  }
  note(`rpc: ${rpc.sd.length} + ${rpc.raw.length} round trips`);

  const pubsub = { swarmdeck: figures(sd.latencies), raw: figures(raw.latencies) };
  const rt = { swarmdeck: figures(rpc.sd), raw: figures(rpc.raw) };
  const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'messaging',
      target: 'standalone',
      pubsub: {
        ratePerSec: RATE,
        messages: sd.latencies.length,
        ...pubsub,
        p50Ratio: ratio(pubsub.swarmdeck.p50Ms, pubsub.raw.p50Ms),
        p99Ratio: ratio(pubsub.swarmdeck.p99Ms, pubsub.raw.p99Ms),
      },
      rpc: {
        roundTrips: rpc.sd.length,
        ...rt,
        p50Ratio: ratio(rt.swarmdeck.p50Ms, rt.raw.p50Ms),
        p99Ratio: ratio(rt.swarmdeck.p99Ms, rt.raw.p99Ms),
      },
    })}\n`,
  );
  for (const m of [sdPub, sdSub, sdServer, sdCaller]) await m.close();
  for (const c of clients) c.disconnect();
}

await main();
