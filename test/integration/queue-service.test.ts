import { afterAll, describe, expect, it } from 'vitest';
import { TaskQueue } from '../../src/main/features/queues/task-queue';
import type { QueueSummary, TaskDetail } from '../../src/shared/model/task';
import { harness, ok, standalone } from '../support/bed';

const h = harness();
afterAll(() => h.services.dispose());

const connected = (name: string, overrides: Parameters<typeof standalone>[0] = {}): Promise<string> =>
  h.connected({ ...standalone(), name, ...overrides });

// A scenario: each test uses what the one before it made (a backup, its id, a queue), so its order is kept under --sequence.shuffle.
describe('queues through the contract', { shuffle: false }, () => {
  const queue = `svc-${Date.now().toString(36)}`;

  it('enqueues, summarises and lists, and names an unknown queue', async () => {
    const dev = await connected('queues-dev');
    await ok(h.dispatch('queues.enqueue', { profileId: dev, queue, task: { data: { a: 1 }, priority: 'high' } }));
    const summary = await ok<QueueSummary>(h.dispatch('queues.summary', { profileId: dev, queue, minutes: 5 }));
    expect(summary.counts.waiting).toBe(1);
    expect(summary.minutes).toHaveLength(5);
    expect(summary.minutes.at(-1)?.enqueued).toBe(1);
    const list = await ok<QueueSummary[]>(h.dispatch('queues.list', { profileId: dev }));
    expect(list.map((q) => q.name)).toContain(queue);
    const unknown = await h.dispatch('queues.summary', { profileId: dev, queue: 'no-such-queue' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const bad = await h.dispatch('queues.enqueue', { profileId: dev, queue, task: { data: 1, delayMs: -1 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('asks for the queue name before destructive actions on production, and audits what it does', async () => {
    const prod = await connected('queues-prod', { environment: 'production' });
    const refused = await h.dispatch('queues.action', { profileId: prod, queue, action: 'purge', state: 'waiting' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    expect((await ok<QueueSummary>(h.dispatch('queues.summary', { profileId: prod, queue }))).counts.waiting).toBe(1);
    const done = await ok<{ affected: number }>(
      h.dispatch('queues.action', { profileId: prod, queue, action: 'purge', state: 'waiting', confirm: queue }),
    );
    expect(done.affected).toBe(1);
    const audit = await ok<{ fields: Record<string, string> }[]>(h.dispatch('audit.recent', { profileId: prod, count: 5 }));
    expect(audit[0]?.fields).toMatchObject({ action: 'queue.purge', target: queue, profile: 'queues-prod', affected: '1' });
    const events = await ok<{ fields: Record<string, string> }[]>(h.dispatch('queues.events', { profileId: prod, queue, count: 10 }));
    expect(events.map((e) => e.fields.type)).toEqual(['purged', 'waiting']);
  });

  it('refuses every queue change on a read-only profile', async () => {
    const ro = await connected('queues-ro', { readOnly: true });
    const enqueue = await h.dispatch('queues.enqueue', { profileId: ro, queue, task: { data: 1 } });
    expect(enqueue).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } });
    const pause = await h.dispatch('queues.action', { profileId: ro, queue, action: 'pause' });
    expect(pause).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } });
    expect((await ok<QueueSummary>(h.dispatch('queues.summary', { profileId: ro, queue }))).counts).toMatchObject({
      waiting: 0,
      paused: false,
    });
  });

  it('lists finished and dead tasks newest first, as the pager ("← Newer / Older →") reads them', async () => {
    const dev = await connected('queues-order');
    const name = `order-${Date.now().toString(36)}`;
    let now = 1_800_000_000_000;
    const session = h.services.connections.session(dev);
    const q = new TaskQueue(session.client, name, { prefix: session.profile.keyPrefix, clock: { now: () => now } });
    const ids = await q.enqueueMany([1, 2, 3, 4].map((n) => ({ data: { n }, maxAttempts: 1 })));
    for (const id of ids) {
      now += 1000;
      const { tasks } = await q.take({ count: 1, leaseMs: 60_000, holder: 'w' });
      const held = tasks[0];
      if (!held) throw new Error(`nothing to take for ${id}`);
      if (Number((held.data as { n: number }).n) % 2 === 0) await q.fail(held.id, held.token, { message: 'no', retryable: false });
      else await q.complete(held.id, held.token);
    }
    const finished = await ok<TaskDetail[]>(
      h.dispatch('queues.tasks', { profileId: dev, queue: name, state: 'finished', offset: 0, limit: 10 }),
    );
    expect(finished.map((t) => (t.data as { n: number }).n)).toEqual([3, 1]);
    const dead = await ok<TaskDetail[]>(h.dispatch('queues.tasks', { profileId: dev, queue: name, state: 'dead', offset: 0, limit: 1 }));
    expect(dead.map((t) => (t.data as { n: number }).n)).toEqual([4]);
    const older = await ok<TaskDetail[]>(h.dispatch('queues.tasks', { profileId: dev, queue: name, state: 'dead', offset: 1, limit: 1 }));
    expect(older.map((t) => (t.data as { n: number }).n)).toEqual([2]);
  });
});
