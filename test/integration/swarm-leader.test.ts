import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { LeaderElection } from '../../src/main/features/swarms/leader-election';
import { SwarmMessenger } from '../../src/main/features/swarms/messenger';
import { SwarmRegistry } from '../../src/main/features/swarms/swarm-registry';
import { redisTargets } from '../support/bed';

const targets = redisTargets({ maxRetriesPerRequest: 0 });
const fresh = () => `l-${randomBytes(4).toString('hex')}`;
const next = <T>(e: LeaderElection, event: 'elected' | 'lost') =>
  new Promise<T>((resolve) => e.once(event, (value: unknown) => resolve(value as T)));

describe.each(targets)('leader election and messaging on %s', (_kind, connect) => {
  const client = connect();
  const registry = new SwarmRegistry(client);
  afterAll(() => client.disconnect());

  async function swarm(topology: 'mesh' | 'ring' = 'mesh', agents = ['a', 'b', 'c']): Promise<string> {
    const id = fresh();
    await registry.create({ id, name: id, topology, strategy: 'leader', maxAgents: 10 });
    for (const agent of agents) await registry.register(id, { id: agent });
    return id;
  }

  it('fails over to a new leader with a strictly larger epoch, and the old one knows first', async () => {
    const id = await swarm();
    const ownClient = connect();
    const a = new LeaderElection(new SwarmRegistry(ownClient), id, 'a', { leaseMs: 600 });
    const b = new LeaderElection(registry, id, 'b', { leaseMs: 600 });
    a.on('error', () => undefined);
    const first = await next<number>(a.start(), 'elected');
    b.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(b.epoch).toBeUndefined();
    expect((await registry.leader(id))?.agent).toBe('a');

    // a's connection dies: it cannot renew, so it must report the loss by itself.
    const lost = next<string>(a, 'lost').then((reason) => ({ reason, at: Date.now() }));
    ownClient.disconnect();
    const elected = next<number>(b, 'elected').then((epoch) => ({ epoch, at: Date.now() }));
    const [l, e] = await Promise.all([lost, elected]);
    expect(l.reason).toMatch(/ran out/);
    expect(e.epoch).toBeGreaterThan(first);
    expect(l.at).toBeLessThanOrEqual(e.at);
    await a.stop();

    // An operator steps b down: b hears it at its next renewal, and the next leader's epoch grows again.
    const bLost = next<string>(b, 'lost');
    const c = new LeaderElection(registry, id, 'c', { leaseMs: 600 });
    const cElected = next<number>(c, 'elected');
    expect(await registry.stepDown(id, 'maintenance')).toBe('b');
    c.start();
    expect(await bLost).toMatch(/stepped this leader down|another agent/);
    const winners = await Promise.race([cElected, next<number>(b, 'elected')]);
    expect(winners).toBeGreaterThan(e.epoch);
    await Promise.all([b.stop(), c.stop()]);

    const events = (await registry.events(id, { count: 100 })).reverse().map((x) => `${x.fields.type}:${x.fields.agent ?? ''}`);
    expect(events.filter((t) => t.startsWith('leader.'))).toEqual(
      expect.arrayContaining(['leader.elected:a', 'leader.elected:b', 'leader.stepped-down:b']),
    );
  });

  it('gives the lease up when the leader resigns or is deregistered', async () => {
    const id = await swarm();
    const a = new LeaderElection(registry, id, 'a', { leaseMs: 5000 });
    await next(a.start(), 'elected');
    await a.stop();
    expect(await registry.leader(id)).toBeUndefined();
    const b = new LeaderElection(registry, id, 'b', { leaseMs: 5000 });
    const lost = next<string>(b, 'lost');
    await next(b.start(), 'elected');
    await registry.deregister(id, 'b');
    expect(await registry.leader(id)).toBeUndefined();
    expect(await lost).toBeTruthy();
    await b.stop();
    await expect(registry.stepDown(id, 'none')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sends messages only along topology edges', async () => {
    const id = await swarm('ring', ['r0', 'r1', 'r2', 'r3']);
    const messenger = new SwarmMessenger(registry, id);
    const sent = await messenger.send('r0', 'r1', 'hello', '{"n":1}');
    await messenger.send('r3', 'r0', 'hello');
    await expect(messenger.send('r0', 'r2', 'hello')).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/not connected in this ring swarm/),
    });
    await expect(messenger.send('r0', 'r1', 'bad kind!')).rejects.toMatchObject({ code: 'VALIDATION' });
    expect((await messenger.neighbours('r0')).map((n) => n.id).sort()).toEqual(['r1', 'r3']);
    const messages = await registry.messages(id, undefined, 10);
    expect(messages.map((m) => `${m.from}>${m.to}`)).toEqual(['r0>r1', 'r3>r0']);
    expect(await registry.messages(id, sent, 10)).toHaveLength(1);
    expect(await registry.messageCount(id)).toBe(2);
  });
});
