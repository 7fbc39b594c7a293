import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TaskQueue, listQueues } from '../../src/main/features/queues/task-queue';
import { PermanentTaskError, Worker } from '../../src/main/features/queues/worker';
import type { RedisClient } from '../../src/main/redis/client-options';
import { nodeHandles } from '../../src/main/redis/nodes';
import { bed, ROOT } from '../support/bed';
import { ManualClock } from '../support/clock';
import { until } from '../support/harness';
import { sleep } from '../support/sleep';

/** Connections named `name` blocked in a command (BRPOP…) on any master: a worker is idle once it counts here. */
async function blockedClients(client: RedisClient, name: string): Promise<number> {
  const lists = await Promise.all(nodeHandles(client, 'master').map(async (n) => String(await n.client.call('CLIENT', 'LIST'))));
  return lists.flatMap((list) => list.split('\n')).filter((line) => line.includes(` name=${name} `) && /\bflags=\S*b/.test(line)).length;
}

const targets: [string, () => RedisClient, number][] = [
  ['standalone', () => new Redis(bed.standalone.port, '127.0.0.1'), bed.standalone.port],
  ['cluster', () => new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }]), bed.cluster.ports[0] as number],
];

const fresh = () => `q-${randomBytes(4).toString('hex')}`;
const holder = { leaseMs: 30_000, holder: 'test' };

describe.each(targets)('task queue on %s', (kind, connect, port) => {
  const client = connect();
  afterAll(() => client.disconnect());

  it('hands out by priority, first-in first-out within one, critical first', async () => {
    const q = new TaskQueue(client, fresh());
    await q.enqueueMany([
      { id: 'n1', data: 1 },
      { id: 'b1', data: 2, priority: 'background' },
      { id: 'c1', data: 3, priority: 'critical' },
      { id: 'n2', data: 4, priority: 'normal' },
      { id: 'h1', data: 5, priority: 'high' },
      { id: 'c2', data: 6, priority: 'critical' },
      { id: 'x', data: 7, priority: 300 },
      { id: 'l1', data: 8, priority: 'low' },
    ]);
    const { tasks } = await q.take({ count: 10, ...holder });
    expect(tasks.map((t) => t.id)).toEqual(['c1', 'c2', 'h1', 'x', 'n1', 'n2', 'l1', 'b1']);
    expect(tasks[0]).toMatchObject({ data: 3, attempt: 1, maxAttempts: 3 });
    expect((await q.counts()).active).toBe(8);
    expect(await listQueues(client)).toContain(q.name);
  });

  it('holds delayed tasks until due, and promotes on demand', async () => {
    const clock = new ManualClock();
    const q = new TaskQueue(client, fresh(), { clock });
    await q.enqueue({ id: 'later', data: null, delayMs: 300 });
    await q.enqueue({ id: 'much-later', data: null, delayMs: 3_600_000 });
    const early = await q.take({ count: 5, ...holder });
    expect(early.tasks).toEqual([]);
    expect(early.nextDueAt).toBeGreaterThan(clock.now());
    clock.advance(350);
    expect((await q.take({ count: 5, ...holder })).tasks.map((t) => t.id)).toEqual(['later']);
    await q.promote('much-later');
    expect((await q.take({ count: 5, ...holder })).tasks.map((t) => t.id)).toEqual(['much-later']);
    await expect(q.promote('much-later')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('retries with exponential backoff and jitter, then dead-letters with every attempt', async () => {
    const clock = new ManualClock();
    const q = new TaskQueue(client, fresh(), { clock });
    await q.enqueue({ id: 't', data: 'x', maxAttempts: 3, backoffMs: 100, backoffMaxMs: 150 });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      let task;
      for (let i = 0; i < 100 && !task; i += 1) {
        task = (await q.take({ count: 1, ...holder })).tasks[0];
        if (!task) clock.advance(20);
      }
      expect(task?.attempt).toBe(attempt);
      const outcome = await q.fail('t', task?.token ?? '', { message: `boom ${attempt}`, stack: 'Error: boom\n    at here' }, 'test');
      delays.push(outcome.delayMs);
      expect(outcome.state).toBe(attempt < 3 ? 'delayed' : 'dead');
    }
    // Equal jitter: attempt 1 in [50, 100], attempt 2 capped at 150 → [75, 150].
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeGreaterThanOrEqual(75);
    expect(delays[1]).toBeLessThanOrEqual(150);
    const dead = await q.task('t');
    expect(dead).toMatchObject({ state: 'dead', attempts: 3, error: 'boom 3' });
    expect(dead.history.map((h) => h.error)).toEqual(['boom 1', 'boom 2', 'boom 3']);
    expect(dead.history[0]?.stack).toContain('at here');
    expect((await q.counts()).dead).toBe(1);

    await q.retry('t');
    expect((await q.task('t')).state).toBe('waiting');
    await expect(q.retry('t')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('dead-letters at once on a permanent error, and retries all dead letters', async () => {
    const q = new TaskQueue(client, fresh());
    await q.enqueueMany([
      { id: 'a', data: 1 },
      { id: 'b', data: 2 },
    ]);
    for (const t of (await q.take({ count: 2, ...holder })).tasks) await q.fail(t.id, t.token, { message: 'bad input', retryable: false });
    expect((await q.task('a')).error).toBe('bad input (not retryable)');
    expect(await q.retryAllDead()).toBe(2);
    expect(await q.counts()).toMatchObject({ dead: 0, waiting: 2 });
  });

  it('refuses a stale holder and never completes a task twice when two workers race', async () => {
    const clock = new ManualClock();
    const q = new TaskQueue(client, fresh(), { clock });
    await q.enqueue({ id: 'contested', data: null });
    const first = (await q.take({ count: 1, leaseMs: 100, holder: 'slow' })).tasks[0];
    clock.advance(150);
    const second = (await q.take({ count: 1, leaseMs: 5000, holder: 'fast' })).tasks[0];
    expect(second).toMatchObject({ id: 'contested', attempt: 2 });
    await expect(q.complete('contested', first?.token ?? '', 'late')).rejects.toMatchObject({ code: 'LEASE_LOST' });
    await expect(q.extend([{ id: 'contested', token: first?.token ?? '' }], 1000)).resolves.toEqual(['contested']);
    await q.complete('contested', second?.token ?? '', 'done');
    await expect(q.complete('contested', second?.token ?? '', 'again')).rejects.toMatchObject({ code: 'LEASE_LOST' });
    const task = await q.task('contested');
    expect(task).toMatchObject({ state: 'completed', result: 'done' });
    expect(task.history).toEqual([expect.objectContaining({ attempt: 1, error: 'lease expired', holder: 'slow' })]);
    expect((await q.counts()).lifetime.completed).toBe(1);
  });

  it('redelivers the task of a worker process killed mid-task, and completes it once', async () => {
    const q = new TaskQueue(client, fresh());
    await q.enqueue({ id: 'survivor', data: { n: 1 } });
    // One process (not the tsx wrapper), so SIGKILL really kills the worker.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'test/support/queue-worker.ts'), kind, String(port), q.name, '500'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('took survivor') && resolve()));
    child.kill('SIGKILL');
    expect((await q.task('survivor')).state).toBe('active');
    const completions: string[] = [];
    const worker = new Worker(
      q,
      client,
      async (task) => {
        completions.push(task.id);
        return 'ok';
      },
      { leaseMs: 1000, idleMs: 100 },
    ).start();
    await expect.poll(async () => (await q.task('survivor')).state, { timeout: 10_000 }).toBe('completed');
    await worker.close();
    expect(completions).toEqual(['survivor']);
    expect((await q.task('survivor')).attempts).toBe(2);
  });

  it('keeps finished tasks within the retention bound', async () => {
    const q = new TaskQueue(client, fresh(), { keepFinished: 5 });
    await q.enqueueMany(Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, data: i })));
    for (const t of (await q.take({ count: 20, ...holder })).tasks) await q.complete(t.id, t.token);
    expect((await q.counts()).finished).toBe(5);
    await expect(q.task('r0')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await q.task('r19')).state).toBe('completed');
  });

  it('wakes every blocked worker a burst needs, and none once the burst is taken', async () => {
    const q = new TaskQueue(client, fresh());
    // Named, so only these three are counted: another test's worker may block or wake meanwhile.
    const name = `waiter-${randomBytes(4).toString('hex')}`;
    const waiters = [0, 1, 2].map((): RedisClient =>
      client instanceof Cluster
        ? client.duplicate([], { redisOptions: { ...client.options.redisOptions, connectionName: name } })
        : client.duplicate({ connectionName: name }),
    );
    try {
      // Three idle workers, three tasks: each must be woken, none left to the idle timeout.
      const woken = waiters.map((w) => q.waitForWork(w, 10_000));
      await until('the three workers to block', async () => ((await blockedClients(client, name)) === 3 ? true : undefined));
      await q.enqueueMany([{ data: 1 }, { data: 2 }, { data: 3 }]);
      expect(await Promise.all(woken)).toEqual([true, true, true]);
      // A burst that arrives while the workers are busy, taken by them without ever blocking:
      // a worker that goes idle afterwards must not wake for tasks that are gone.
      await q.enqueueMany(Array.from({ length: 300 }, (_, i) => ({ data: i })));
      for (let i = 0; i < 4; i += 1) await q.take({ count: 100, ...holder });
      expect((await q.counts()).waiting).toBe(0);
      let spurious = 0;
      while (spurious < 20 && (await q.waitForWork(waiters[0] as RedisClient, 50))) spurious += 1;
      expect(spurious).toBe(0);
    } finally {
      for (const w of waiters) w.disconnect();
    }
  });

  it('hands out nothing while paused', async () => {
    const q = new TaskQueue(client, fresh());
    await q.enqueue({ id: 'p', data: null });
    await q.pause();
    expect((await q.take({ count: 1, ...holder })).tasks).toEqual([]);
    expect((await q.counts()).paused).toBe(true);
    await q.resume();
    expect((await q.take({ count: 1, ...holder })).tasks.map((t) => t.id)).toEqual(['p']);
  });

  it('routes tasks by capability', async () => {
    const q = new TaskQueue(client, fresh());
    await q.enqueueMany([
      { id: 'gpu', data: null, requires: ['gpu'] },
      { id: 'any', data: null },
      { id: 'gpu-py', data: null, requires: ['python', 'gpu'] },
    ]);
    expect((await q.take({ count: 5, ...holder })).tasks.map((t) => t.id)).toEqual(['any']);
    expect((await q.take({ count: 5, ...holder, capabilities: ['gpu'] })).tasks.map((t) => t.id)).toEqual(['gpu']);
    expect((await q.take({ count: 5, ...holder, capabilities: ['gpu', 'python', 'rust'] })).tasks.map((t) => t.id)).toEqual(['gpu-py']);
  });

  it('cancels unfinished tasks and purges a state', async () => {
    const q = new TaskQueue(client, fresh());
    await q.enqueueMany([
      { id: 'a', data: 1 },
      { id: 'b', data: 2, delayMs: 60_000 },
      { id: 'c', data: 3 },
    ]);
    await q.cancel('b');
    expect((await q.task('b')).state).toBe('cancelled');
    await expect(q.cancel('b')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(q.cancel('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await q.purge('waiting')).toBe(2);
    expect(await q.counts()).toMatchObject({ waiting: 0, delayed: 0, finished: 1 });
  });

  it('refuses bad input with typed errors and enqueues nothing', async () => {
    const q = new TaskQueue(client, fresh(), { maxPayloadBytes: 1024 });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const bad = [
      { data: 'x'.repeat(2000) },
      { data: 1, delayMs: -5 },
      { data: 1, priority: 'urgent' },
      { data: 1, priority: 5000 },
      { data: circular },
      { data: 1, id: 'has space' },
      { data: 1, requires: ['bad cap'] },
      { data: 1, unknown: true },
    ];
    for (const input of bad) await expect(q.enqueue(input as never)).rejects.toMatchObject({ code: 'VALIDATION' });
    // A batch with one bad task sends nothing.
    await expect(q.enqueueMany([{ data: 1 }, { data: 1, delayMs: -1 }])).rejects.toMatchObject({ code: 'VALIDATION' });
    await q.enqueue({ id: 'dup', data: 1 });
    await expect(q.enqueue({ id: 'dup', data: 2 })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await q.counts()).lifetime.enqueued).toBe(1);
    expect(() => new TaskQueue(client, 'bad{name}')).toThrow();
    await expect(q.task('missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('never runs more handlers at once than its concurrency, while tasks trickle in', async () => {
    const q = new TaskQueue(client, fresh());
    let running = 0;
    let most = 0;
    let done = 0;
    const worker = new Worker(
      q,
      client,
      async (task) => {
        running += 1;
        most = Math.max(most, running);
        await sleep((task.data as number) % 4);
        running -= 1;
        done += 1;
      },
      { concurrency: 3, idleMs: 200 },
    ).start();
    try {
      // Bursts that land while completions of the last ones are on their way, and while idle.
      for (let burst = 0; burst < 30; burst += 1) {
        await q.enqueueMany(Array.from({ length: 1 + (burst % 7) }, (_, i) => ({ data: burst + i })));
        await sleep(burst % 3);
      }
      await expect.poll(() => done, { timeout: 20_000 }).toBe(Array.from({ length: 30 }, (_, b) => 1 + (b % 7)).reduce((a, b) => a + b, 0));
    } finally {
      await worker.close();
    }
    expect(most).toBeLessThanOrEqual(3);
  });

  it('runs many tasks through several workers exactly once, extending leases of slow ones', async () => {
    const q = new TaskQueue(client, fresh());
    await q.enqueueMany(Array.from({ length: 200 }, (_, i) => ({ id: `w${i}`, data: i })));
    await q.enqueue({ id: 'slow', data: 'slow', priority: 'critical' });
    const seen = new Map<string, number>();
    const handler = async (task: { id: string }) => {
      seen.set(task.id, (seen.get(task.id) ?? 0) + 1);
      // Longer than the lease: only extension keeps it from being redelivered.
      if (task.id === 'slow') await sleep(900);
      if (task.id === 'w7') throw new PermanentTaskError('w7 is poison');
      return task.id;
    };
    const workers = [1, 2].map((n) =>
      new Worker(q, client, handler, { concurrency: 4, leaseMs: 300, idleMs: 100, holder: `w-${n}` }).start(),
    );
    await expect.poll(async () => (await q.counts()).lifetime.completed, { timeout: 20_000 }).toBe(200);
    await Promise.all(workers.map((w) => w.close()));
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(seen.size).toBe(201);
    expect(await q.counts()).toMatchObject({ dead: 1, active: 0, waiting: 0 });
    expect((await q.task('slow')).attempts).toBe(1);
  });
});

describe('destroying a queue', () => {
  it('removes its tasks, its keys and its name, and refuses while tasks are leased', async () => {
    const client = new Redis(bed.standalone.port, '127.0.0.1');
    const q = new TaskQueue(client, fresh());
    await q.enqueueMany([
      { id: 'a', data: 1 },
      { id: 'b', data: 2 },
    ]);
    const { tasks } = await q.take({ count: 1, ...holder });
    await expect(q.destroy()).rejects.toMatchObject({ code: 'CONFLICT' });
    await q.complete(tasks[0]?.id ?? '', tasks[0]?.token ?? '');
    await q.destroy();
    expect(await listQueues(client)).not.toContain(q.name);
    expect(await client.keys(q.keys.pattern)).toEqual([]);
    client.disconnect();
  });
});
