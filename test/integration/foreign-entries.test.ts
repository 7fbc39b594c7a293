import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { SwarmRegistry } from '../../src/main/features/swarms/swarm-registry';
import { queueRegistryKey, queueKeys, swarmKeys, swarmRegistryKey } from '../../src/main/redis/keyspace';
import { bed, harness, standalone } from '../support/bed';

/** One entry another program wrote wrongly must not take a whole list down, nor pass as INTERNAL. */
describe('lists survive foreign entries', () => {
  const h = harness();
  const direct = new Redis(bed.standalone.port, '127.0.0.1');
  afterAll(async () => {
    direct.disconnect();
    await h.services.dispose();
  });

  it('lists the other swarms and queues when one entry has a wrong type or an impossible name', async () => {
    const prefix = `foreign${Date.now()}`;
    const profile = await h.api.call('profiles.save', { profile: standalone({ name: prefix, keyPrefix: prefix }) });
    await h.api.call('connections.connect', { profileId: profile.id });
    await h.api.call('queues.enqueue', { profileId: profile.id, queue: 'good', task: { data: 1 } });
    await new SwarmRegistry(direct, prefix).create({ id: 'fine', name: 'Fine', topology: 'mesh', strategy: 'quorum', maxAgents: 5 });

    // A swarm whose hash is a string, and a queue name no queue can have.
    await direct.set(swarmKeys(prefix, 'broken').swarm, 'not a hash');
    await direct.zadd(swarmRegistryKey(prefix), Date.now(), 'broken');
    await direct.sadd(queueRegistryKey(prefix), 'bad name with spaces');

    const swarms = await h.api.call('swarms.list', { profileId: profile.id });
    expect(swarms.swarms.map((s) => s.id)).toEqual(['fine']);
    const queues = await h.api.call('queues.list', { profileId: profile.id });
    expect(queues.map((q) => q.name)).toEqual(['good']);
    expect(await direct.exists(queueKeys(prefix, 'good').wait)).toBe(1);
  });
});
