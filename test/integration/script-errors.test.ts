import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { TaskQueue } from '../../src/main/features/queues/task-queue';
import { Consensus } from '../../src/main/features/swarms/consensus';
import { SwarmRegistry } from '../../src/main/features/swarms/swarm-registry';
import { redisTargets } from '../support/bed';

const targets = redisTargets();
const fresh = (what: string) => `${what}-${randomBytes(4).toString('hex')}`;

describe.each(targets)('script errors on %s', (_kind, connect) => {
  const client = connect();
  afterAll(() => client.quit());

  it('keep the whole sentence when an id happens to be a word like "agent"', async () => {
    const registry = new SwarmRegistry(client);
    const id = fresh('err');
    await registry.create({ id, name: id, topology: 'mesh', strategy: 'quorum', maxAgents: 5 });
    for (const agent of ['v1', 'agent']) await registry.register(id, { id: agent });
    const pid = await new Consensus(registry).propose(id, { title: 'only v1 votes', ttlMs: 60_000, voters: ['v1'] });
    await expect(new Consensus(registry).vote(id, pid, { voter: 'agent', value: 'yes' })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: `agent is not an eligible voter of proposal ${pid}`,
    });
    await expect(registry.register(id, { id: 'agent' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `Agent agent is already registered in swarm ${id}`,
    });
  });

  it('name the swarm, not the script, when the swarm or agent is missing', async () => {
    const registry = new SwarmRegistry(client);
    const missing = fresh('gone');
    await expect(registry.register(missing, { id: 'a1' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `Swarm ${missing} does not exist`,
    });
    const id = fresh('err');
    await registry.create({ id, name: id, topology: 'mesh', strategy: 'leader', maxAgents: 5 });
    await expect(registry.run('sdSwarmLead', id, 'ghost', 3000, '')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `Agent ghost is not registered in swarm ${id}`,
    });
    await expect(registry.stepDown(id, 'test')).rejects.toMatchObject({ code: 'NOT_FOUND', message: `Swarm ${id} has no leader` });
  });

  it('give each queue script failure its code', async () => {
    const q = new TaskQueue(client, fresh('err'));
    await q.enqueue({ id: 'task', data: 1 });
    await expect(q.enqueue({ id: 'task', data: 2 })).rejects.toMatchObject({ code: 'CONFLICT', message: 'Task task already exists' });
    await expect(q.promote('task')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'Task task is waiting, only delayed tasks can be promoted',
    });
    await expect(q.retry('swarm')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Task swarm does not exist' });
    await expect(q.release('task', 'not-the-token')).rejects.toMatchObject({ code: 'LEASE_LOST' });
    await q.destroy();
  });
});
