import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeasedTask } from '../../src/main/features/queues/leases';
import { TaskQueue } from '../../src/main/features/queues/task-queue';
import { Worker } from '../../src/main/features/queues/worker';
import { LeaderElection } from '../../src/main/features/swarms/leader-election';
import { SwarmRegistry } from '../../src/main/features/swarms/swarm-registry';
import { redisTargets } from '../support/bed';
import { ProxiedTarget } from '../support/tcp-proxy';

// Replies to the "late" client are held this long: several leases, so a reply is certainly
// stale when it lands, whatever the machine's load.
const LATE_MS = 3000;
const LEASE_MS = 600;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fresh = (p: string) => `${p}-${randomBytes(4).toString('hex')}`;

/** One candidate's (or worker's) belief that it holds the lease, from `elected` to `lost`. */
interface Belief {
  who: string;
  epoch: number;
  from: number;
  to: number;
}

/** Beliefs from a log of events stamped with performance.now() in this one process. */
function beliefs(log: { who: string; event: 'elected' | 'lost'; epoch?: number; at: number }[], end: number): Belief[] {
  const open = new Map<string, { epoch: number; from: number }>();
  const out: Belief[] = [];
  for (const e of log) {
    const current = open.get(e.who);
    if (e.event === 'elected') {
      expect(current, `${e.who} was elected twice without losing in between`).toBeUndefined();
      open.set(e.who, { epoch: e.epoch ?? 0, from: e.at });
    } else if (current) {
      out.push({ who: e.who, ...current, to: e.at });
      open.delete(e.who);
    }
  }
  for (const [who, b] of open) out.push({ who, ...b, to: end });
  return out;
}

/** Correctness, not timing: no two holders' beliefs share an instant. */
function expectNoOverlap(all: Belief[]): void {
  for (const x of all) {
    for (const y of all) {
      if (x === y || x.who === y.who) continue;
      const overlap = x.from < y.to && y.from < x.to;
      expect(overlap, `${x.who} (epoch ${x.epoch}) and ${y.who} (epoch ${y.epoch}) both believed they held the lease`).toBe(false);
    }
  }
}

describe.each(redisTargets())('leases under late replies on %s', (kind, connect) => {
  const client = connect();
  const registry = new SwarmRegistry(client);
  let proxied: ProxiedTarget;
  beforeAll(async () => {
    proxied = await ProxiedTarget.start(kind);
  });
  afterAll(async () => {
    client.disconnect();
    await proxied.close();
  });

  async function swarm(): Promise<string> {
    const id = fresh('late');
    await registry.create({ id, name: id, topology: 'mesh', strategy: 'leader', maxAgents: 10 });
    for (const agent of ['a', 'b']) await registry.register(id, { id: agent });
    return id;
  }

  function candidates(id: string, lateClient: ReturnType<typeof connect>) {
    const log: { who: string; event: 'elected' | 'lost'; epoch?: number; at: number }[] = [];
    const make = (who: string, r: SwarmRegistry): LeaderElection => {
      const e = new LeaderElection(r, id, who, { leaseMs: LEASE_MS });
      e.on('elected', (epoch) => log.push({ who, event: 'elected', epoch, at: performance.now() }));
      e.on('lost', () => log.push({ who, event: 'lost', at: performance.now() }));
      e.on('error', () => undefined);
      return e;
    };
    return { log, a: make('a', new SwarmRegistry(lateClient)), b: make('b', registry) };
  }

  /**
   * Every reply sent to `late` so far has been handled once this resolves: a read in the swarm's
   * slot travels the same connection as the scripts, and the proxy never lets it overtake them.
   * Called once b leads, so a's last reply reached the proxy long before (a's lease had to run
   * out in Redis first) and lifting the delay cannot spare it.
   */
  async function drain(late: ReturnType<typeof connect>, id: string): Promise<void> {
    proxied.delay(0);
    await late.exists(registry.keys(id).swarm);
    await new Promise((r) => setImmediate(r));
  }

  const until = (e: LeaderElection, event: 'elected' | 'lost') => new Promise<void>((resolve) => e.once(event, () => resolve()));

  it('a leader whose renewal comes back after its lease may have run out reports the loss and is not elected by that reply', async () => {
    const id = await swarm();
    const late = proxied.connect();
    const { log, a, b } = candidates(id, late);
    try {
      await until(a.start(), 'elected');
      const first = a.epoch as number;
      b.start();
      proxied.delay(LATE_MS);
      await until(b, 'elected');
      const second = b.epoch as number;
      expect(second).toBeGreaterThan(first);
      await drain(late, id);

      expect(log.filter((e) => e.who === 'a').map((e) => `${e.event}${e.epoch ?? ''}`)).toEqual([`elected${first}`, 'lost']);
      expect(a.epoch).toBeUndefined();
      expectNoOverlap(beliefs(log, performance.now()));

      // The next attempt is a fresh candidacy: when b resigns, a wins a new, larger epoch.
      const again = until(a, 'elected');
      await b.stop();
      await again;
      expect(a.epoch).toBeGreaterThan(second);
      expectNoOverlap(beliefs(log, performance.now()));
    } finally {
      proxied.delay(0);
      await Promise.all([a.stop(), b.stop()]);
      late.disconnect();
    }
  });

  it('a candidate whose win comes back after the lease may have run out never believes it', async () => {
    const id = await swarm();
    const late = proxied.connect();
    await late.exists(registry.keys(id).swarm); // connected (and, on a cluster, slots known) before the delay
    const { log, a, b } = candidates(id, late);
    try {
      proxied.delay(LATE_MS);
      a.start();
      // Redis hands a the lease at once; only the reply is late.
      while ((await registry.leader(id))?.agent !== 'a') await sleep(20);
      const granted = (await registry.leader(id))?.epoch as number;
      await until(b.start(), 'elected');
      expect(b.epoch).toBeGreaterThan(granted);
      await drain(late, id);

      expect(log.filter((e) => e.who === 'a')).toEqual([]);
      expect(a.epoch).toBeUndefined();
      expectNoOverlap(beliefs(log, performance.now()));
    } finally {
      proxied.delay(0);
      await Promise.all([a.stop(), b.stop()]);
      late.disconnect();
    }
  });

  /**
   * Worker a runs the task through the proxies until its signal aborts; worker b, on a direct
   * connection, runs it once it is handed out again. Their beliefs go to one log.
   */
  async function workers() {
    const name = fresh('q-late');
    const queue = new TaskQueue(client, name);
    await queue.enqueue({ id: 't', data: null, maxAttempts: 5 });
    const late = proxied.connect();
    const log: { who: string; event: 'elected' | 'lost'; epoch?: number; at: number }[] = [];
    const lostByA: string[] = [];
    const completed: string[] = [];
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((r) => (finish = r));
    let started: (signal: AbortSignal) => void = () => undefined;
    const aStarted = new Promise<AbortSignal>((r) => (started = r));
    const a = new Worker(
      new TaskQueue(late, name),
      late,
      async (_task, { signal }) => {
        log.push({ who: 'a', event: 'elected', at: performance.now() });
        signal.addEventListener('abort', () => log.push({ who: 'a', event: 'lost', at: performance.now() }));
        started(signal);
        // Works until it is told its lease is gone (or the test ends).
        await Promise.race([finished, new Promise((r) => signal.addEventListener('abort', r))]);
      },
      { leaseMs: LEASE_MS, idleMs: 200, holder: 'a' },
    );
    // Per lease (id and token): a may be handed 't' again while b waits, and lose that lease
    // too when the late reply comes; one lease reported lost twice would be a bug.
    a.on('lease-lost', (task: LeasedTask) => lostByA.push(`${task.id}:${task.token}`));
    a.on('completed', (task: LeasedTask) => completed.push(`a:${task.id}`));
    a.on('error', () => undefined);
    const b = new Worker(
      queue,
      client,
      async () => {
        log.push({ who: 'b', event: 'elected', at: performance.now() });
        await sleep(10);
        log.push({ who: 'b', event: 'lost', at: performance.now() });
      },
      { leaseMs: LEASE_MS, idleMs: 100, holder: 'b' },
    );
    b.on('completed', (task: LeasedTask) => completed.push(`b:${task.id}`));
    b.on('error', () => undefined);
    /** b takes over once Redis hands the task out again; resolves when b completed it. */
    const takeOver = async (): Promise<void> => {
      const done = new Promise<void>((resolve) => b.once('completed', () => resolve()));
      b.start();
      await done;
    };
    const close = async (): Promise<void> => {
      finish();
      proxied.delay(0);
      proxied.restore();
      await Promise.all([a.close(), b.close()]);
      late.disconnect();
    };
    /** Each lease a lost, reported once: the task ids, one per lease. */
    const lostLeases = (): string[] => {
      expect(new Set(lostByA).size, `a lease reported lost twice: ${lostByA.join(', ')}`).toBe(lostByA.length);
      return lostByA.map((lease) => lease.split(':')[0] as string);
    };
    return { queue, late, log, lostLeases, completed, a, aStarted, takeOver, close };
  }

  it('a worker whose lease extension comes back late aborts its handler and reports the lease lost before another worker runs the task', async () => {
    const w = await workers();
    try {
      w.a.start();
      const signal = await w.aStarted;
      const delayedFrom = Date.now();
      proxied.delay(LATE_MS);
      // Wait until Redis has applied an extension sent after the delay began: its reply is late.
      for (;;) {
        const score = await client.zscore(w.queue.keys.active, 't');
        if (score !== null && Number(score) > delayedFrom + LEASE_MS) break;
        await sleep(20);
      }
      // Every reply sent to a so far is handled once a read in the queue's slot, behind them on
      // the same connection, returns. The delay stays on: that extension's reply may not have
      // reached the proxy yet.
      await w.late.exists(w.queue.keys.meta);
      await new Promise((r) => setImmediate(r));
      expect(signal.aborted, 'a kept working after an extension came back too late').toBe(true);
      expect(w.lostLeases()).toEqual(['t']);

      // The lease, no longer extended, runs out in Redis and b runs the task once.
      await w.takeOver();
      expect(w.completed).toEqual(['b:t']);
      expect(new Set(w.lostLeases())).toEqual(new Set(['t']));
      expectNoOverlap(beliefs(w.log, performance.now()));
      const detail = await w.queue.task('t');
      expect(detail.state).toBe('completed');
      expect(detail.history.map((h) => `${h.holder}:${h.error}`)).toEqual(['a:lease expired']);
    } finally {
      await w.close();
    }
  });

  it('a worker cut off from Redis aborts its handler when its lease may have run out, before another worker runs the task', async () => {
    const w = await workers();
    try {
      w.a.start();
      await w.aStarted;
      proxied.cut();
      await w.takeOver();
      expectNoOverlap(beliefs(w.log, performance.now()));
      expect(new Set(w.lostLeases())).toEqual(new Set(['t']));
      expect(w.completed).toEqual(['b:t']);
    } finally {
      await w.close();
    }
  });
});
