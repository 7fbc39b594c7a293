import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { SwarmRegistry } from '../../src/main/features/swarms/swarm-registry';
import { redisTargets } from '../support/bed';
import { ManualClock } from '../support/clock';

const targets = redisTargets();
const fresh = () => `s-${randomBytes(4).toString('hex')}`;
const swarm = (id: string, maxAgents = 10) => ({
  id,
  name: `swarm ${id}`,
  topology: 'mesh' as const,
  strategy: 'quorum' as const,
  maxAgents,
});

describe.each(targets)('swarm registry on %s', (_kind, connect) => {
  const client = connect();
  const registry = new SwarmRegistry(client);
  afterAll(() => client.disconnect());

  it('runs a swarm through its lifecycle and refuses impossible transitions', async () => {
    const id = fresh();
    await registry.create(swarm(id));
    expect((await registry.list(0, 50))[0]).toBe(id);
    await registry.setStatus(id, 'paused');
    await registry.setStatus(id, 'running');
    await registry.setStatus(id, 'stopped');
    await expect(registry.setStatus(id, 'running')).rejects.toMatchObject({ code: 'CONFLICT' });
    await registry.setStatus(id, 'archived');
    expect((await registry.view(id)).status).toBe('archived');
    await expect(registry.register(id, { id: 'late' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('derives liveness from heartbeats and raises findings', async () => {
    const id = fresh();
    // Heartbeat deadlines are read against this clock: it moves instead of the test sleeping.
    const clock = new ManualClock();
    const timed = new SwarmRegistry(client, 'sd', { clock });
    await timed.create(swarm(id));
    await timed.register(id, { id: 'steady', ttlMs: 600 });
    await timed.register(id, { id: 'silent', ttlMs: 600 });
    await timed.register(id, { id: 'crasher', ttlMs: 600 });
    await timed.heartbeatMany(id, [
      { agentId: 'steady', status: 'busy', task: 't-1' },
      { agentId: 'crasher', status: 'busy' },
    ]);
    let view = await timed.view(id);
    expect(view.agents.find((a) => a.id === 'steady')).toMatchObject({ live: true, reported: 'busy', task: 't-1' });
    expect(view.findings.map((f) => `${f.kind}:${f.agent ?? ''}`).sort()).toEqual([
      'busy-without-task:crasher',
      'never-heartbeated:silent',
    ]);

    // The crasher stops; its hash still says busy, the evidence says offline.
    for (let i = 0; i < 4; i += 1) {
      clock.advance(250);
      await timed.heartbeat(id, { agentId: 'steady' });
    }
    view = await timed.view(id);
    expect(view.agents.find((a) => a.id === 'crasher')).toMatchObject({ live: false, reported: 'busy' });
    expect(view.liveAgents).toBe(1);
    expect(view.findings.map((f) => f.kind)).toContain('offline');

    clock.advance(700);
    view = await timed.view(id);
    expect(view.findings.map((f) => f.kind)).toContain('no-live-agents');
  });

  it('counts the same findings in the list as on the swarm\'s page, "busy without a task" included', async () => {
    const id = fresh();
    const clock = new ManualClock();
    const timed = new SwarmRegistry(client, 'sd', { clock });
    await timed.create(swarm(id));
    for (const agent of ['steady', 'idler', 'crasher', 'silent']) await timed.register(id, { id: agent, ttlMs: 600 });
    await timed.heartbeatMany(id, [
      { agentId: 'steady', status: 'busy', task: 't-1' },
      { agentId: 'idler', status: 'busy' },
      { agentId: 'crasher', status: 'busy' },
    ]);
    clock.advance(300);
    await timed.heartbeatMany(id, [{ agentId: 'steady' }, { agentId: 'idler' }]);
    clock.advance(400);
    const view = await timed.view(id);
    expect(view.findings.map((f) => `${f.kind}:${f.agent ?? ''}`).sort()).toEqual([
      'busy-without-task:idler',
      'never-heartbeated:silent',
      'offline:crasher',
    ]);
    const [row] = await timed.summariesOf([id]);
    expect(row?.findings).toBe(view.findings.length);
  });

  it('refuses bad input with typed errors and leaves state unchanged', async () => {
    const id = fresh();
    await registry.create(swarm(id, 2));
    await expect(registry.create(swarm(id))).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(registry.create({ ...swarm(fresh()), topology: 'blob' as never })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(registry.register('no-such-swarm', { id: 'a' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await registry.register(id, { id: 'a' });
    await expect(registry.register(id, { id: 'a' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await registry.register(id, { id: 'b' });
    await expect(registry.register(id, { id: 'c' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/full/) });
    await expect(registry.heartbeat(id, { agentId: 'ghost' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(registry.register(id, { id: 'bad id!' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await registry.deregister(id, 'a');
    await expect(registry.deregister(id, 'a')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await registry.view(id)).agents.map((a) => a.id)).toEqual(['b']);
    await expect(registry.view('no-such-swarm')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
