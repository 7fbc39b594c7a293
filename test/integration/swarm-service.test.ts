import { randomBytes } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { SwarmRegistry } from '../../src/main/features/swarms/swarm-registry';
import type { RedisClient } from '../../src/main/redis/client-options';
import { claudeFlowNoviceKeys as cfn } from '../../src/main/redis/keyspace';
import type { SwarmDetail, SwarmList } from '../../src/shared/model/swarm';
import type { StreamEntry } from '../../src/shared/model/task';
import { bed, cluster, harness, ok, standalone } from '../support/bed';

const h = harness();
afterAll(() => h.services.dispose());
const fresh = () => `svc-${randomBytes(4).toString('hex')}`;

async function connected(name: string, overrides: Parameters<typeof standalone>[0] = {}, base = standalone()): Promise<string> {
  const profile = await h.services.profiles.save({ ...base, name, ...overrides });
  await h.services.connections.connect(profile.id);
  return profile.id;
}

async function seedSwarm(client: RedisClient): Promise<string> {
  const registry = new SwarmRegistry(client);
  const id = fresh();
  await registry.create({ id, name: 'service swarm', topology: 'star', strategy: 'quorum', maxAgents: 10 });
  for (const agent of ['hub', 'w1', 'w2']) await registry.register(id, { id: agent, role: agent === 'hub' ? 'coordinator' : 'worker' });
  await registry.heartbeatMany(id, [{ agentId: 'hub' }, { agentId: 'w1', load: 0.5 }, { agentId: 'w2' }]);
  await registry.run('sdSwarmLead', id, 'hub', 60_000, '');
  return id;
}

describe('swarms through the contract', () => {
  const direct = new Redis(bed.standalone.port, '127.0.0.1');
  afterAll(() => direct.disconnect());

  it('lists and shows a swarm with edges, leader and findings, and names an unknown one', async () => {
    const dev = await connected('swarms-dev');
    const id = await seedSwarm(direct);
    const list = await ok<SwarmList>(h.dispatch('swarms.list', { profileId: dev }));
    expect(list.swarms.find((s) => s.id === id)).toMatchObject({
      source: 'swarmdeck',
      agents: 3,
      liveAgents: 3,
      leader: 'hub',
      findings: 0,
      topology: 'star',
    });
    const detail = await ok<SwarmDetail>(h.dispatch('swarms.show', { profileId: dev, swarmId: id }));
    expect(detail.edges.map((e) => `${e.from}-${e.to}`)).toEqual(['hub-w1', 'hub-w2']);
    expect(detail.leader).toMatchObject({ agent: 'hub', epoch: 1 });
    expect(detail.agents.find((a) => a.id === 'w1')?.load).toBe(0.5);
    expect(await h.dispatch('swarms.show', { profileId: dev, swarmId: 'no-such-swarm' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await h.dispatch('swarms.events', { profileId: dev, swarmId: id, after: 'nonsense', count: 5 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
  });

  it('backfills the event stream and then tails it without gaps', async () => {
    const dev = await connected('swarms-tail');
    const id = await seedSwarm(direct);
    const newest = await ok<StreamEntry[]>(h.dispatch('swarms.events', { profileId: dev, swarmId: id, count: 2 }));
    const older = await ok<StreamEntry[]>(
      h.dispatch('swarms.events', { profileId: dev, swarmId: id, before: newest.at(-1)?.id, count: 100 }),
    );
    expect([...newest, ...older].map((e) => e.fields.type)).toEqual([
      'leader.elected',
      'agent.registered',
      'agent.registered',
      'agent.registered',
      'swarm.created',
    ]);
    await new SwarmRegistry(direct).setStatus(id, 'paused');
    const tail = await ok<StreamEntry[]>(h.dispatch('swarms.events', { profileId: dev, swarmId: id, after: newest[0]?.id, count: 100 }));
    expect(tail.map((e) => e.fields.type)).toEqual(['swarm.paused']);
  });

  it('confirms on production, refuses on read-only, and audits every action', async () => {
    const id = await seedSwarm(direct);
    const prod = await connected('swarms-prod', { environment: 'production' });
    expect(await h.dispatch('swarms.action', { profileId: prod, swarmId: id, action: 'pause' })).toMatchObject({
      ok: false,
      error: { code: 'CONFIRMATION_REQUIRED' },
    });
    expect((await ok<SwarmDetail>(h.dispatch('swarms.show', { profileId: prod, swarmId: id }))).status).toBe('running');
    await ok(h.dispatch('swarms.action', { profileId: prod, swarmId: id, action: 'stepDown', confirm: id }));
    await ok(h.dispatch('swarms.action', { profileId: prod, swarmId: id, action: 'removeAgent', agentId: 'w2', confirm: id }));
    const { proposal } = await ok<{ proposal: string }>(
      h.dispatch('swarms.propose', { profileId: prod, swarmId: id, proposal: { title: 'Scale out', ttlMs: 60_000 }, confirm: id }),
    );
    await ok(h.dispatch('swarms.action', { profileId: prod, swarmId: id, action: 'pause', confirm: id }));
    const detail = await ok<SwarmDetail>(h.dispatch('swarms.show', { profileId: prod, swarmId: id }));
    expect(detail.status).toBe('paused');
    expect(detail.leader).toBeUndefined();
    expect(detail.agents.map((a) => a.id)).toEqual(['hub', 'w1']);
    expect(detail.proposals[0]).toMatchObject({ id: proposal, title: 'Scale out', proposer: 'operator (swarms-prod)', eligible: 2 });
    const audit = await ok<StreamEntry[]>(h.dispatch('audit.recent', { profileId: prod, count: 4 }));
    expect(audit.map((e) => `${e.fields.action}:${e.fields.target}`)).toEqual([
      `swarm.pause:${id}`,
      `swarm.propose:${id}`,
      `swarm.removeAgent:${id}`,
      `swarm.stepDown:${id}`,
    ]);
    expect(await h.dispatch('swarms.action', { profileId: prod, swarmId: id, action: 'removeAgent', confirm: id })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });

    const reader = await connected('swarms-reader', { readOnly: true });
    expect(await h.dispatch('swarms.action', { profileId: reader, swarmId: id, action: 'resume' })).toMatchObject({
      ok: false,
      error: { code: 'READ_ONLY' },
    });
    expect((await ok<SwarmDetail>(h.dispatch('swarms.show', { profileId: reader, swarmId: id }))).status).toBe('paused');
  });
});

/** Writes a registry the way claude-flow-novice's SwarmRegistry and SwarmMessenger do. */
async function writeClaudeFlowNovice(client: RedisClient, id: string, now: number): Promise<void> {
  const swarm = {
    id,
    objective: 'Build the REST API',
    strategy: 'development',
    mode: 'mesh',
    maxAgents: 10,
    status: 'initializing',
    createdAt: now - 60_000,
    lastActivity: now - 60_000,
    lastHeartbeat: now - 60_000,
    agents: [],
    tasks: [],
    topology: 'mesh',
    metadata: { creator: 'system', phase: 'unknown', priority: 'normal', tags: [] },
    metrics: { tasksCompleted: 0, tasksFailed: 0, agentsSpawned: 0, messagesSent: 0, errors: 0 },
  };
  await client.setex(cfn.swarm(id), 86_400, JSON.stringify(swarm));
  await client.zadd(cfn.index, now - 60_000, id);
  await client.sadd(cfn.status('initializing'), id);
  // updateSwarm: status change moves it between status sets and rewrites the JSON.
  const active = {
    ...swarm,
    status: 'active',
    lastActivity: now - 1000,
    lastHeartbeat: now - 1000,
    agents: [
      { id: 'coder-1', type: 'coder', status: 'busy', currentTask: 'api-routes', lastHeartbeat: now - 2000 },
      { id: 'tester-1', type: 'tester', status: 'idle', lastHeartbeat: now - 3000 },
      { id: 'reviewer-1', type: 'reviewer', status: 'idle', lastHeartbeat: now - 900_000 },
    ],
  };
  await client.setex(cfn.swarm(id), 86_400, JSON.stringify(active));
  await client.srem(cfn.status('initializing'), id);
  await client.sadd(cfn.status('active'), id);
  const envelope = {
    id: `msg_${now}`,
    swarmId: id,
    timestamp: now - 500,
    messageType: 'agent',
    target: id,
    targetAgent: 'tester-1',
    payload: { type: 'review_request', from: 'coder-1' },
    metadata: { sender: id, sentAt: now - 500, version: '1.0.0' },
  };
  await client.lpush(cfn.history(cfn.agentsChannel(id)), JSON.stringify(envelope));
  await client.ltrim(cfn.history(cfn.agentsChannel(id)), 0, 999);
  await client.expire(cfn.history(cfn.agentsChannel(id)), 3600);
}

const cfnTargets: [string, () => RedisClient, () => ReturnType<typeof standalone>][] = [
  [
    'standalone',
    () => new Redis(bed.standalone.port, '127.0.0.1', { db: 3 }),
    () => standalone({ topology: { kind: 'standalone', host: '127.0.0.1', port: bed.standalone.port, db: 3 } }),
  ],
  ['cluster', () => new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }]), () => cluster()],
];

describe.each(cfnTargets)('a claude-flow-novice registry on %s', (kind, connect, profile) => {
  const client = connect();
  const id = `swarm_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const keys = [cfn.index, cfn.swarm(id), cfn.status('active'), cfn.status('initializing'), cfn.history(cfn.agentsChannel(id))];
  afterAll(async () => {
    await client.zrem(cfn.index, id);
    await client.srem(cfn.status('active'), id);
    await client.del(cfn.swarm(id), ...(kind === 'standalone' ? [cfn.history(cfn.agentsChannel(id))] : []));
    if (kind === 'cluster') await client.del(cfn.history(cfn.agentsChannel(id)));
    client.disconnect();
  });
  const snapshot = async () =>
    Promise.all(keys.map(async (k) => `${k}=${(await client.type(k)) === 'none' ? 'none' : String(await client.dump(k))}`));

  it('is detected on connect, listed read-only beside our swarms, and never written', async () => {
    await writeClaudeFlowNovice(client, id, Date.now());
    const before = await snapshot();
    const profileId = await connected(`cfn-${kind}`, {}, profile());
    const list = await ok<SwarmList>(h.dispatch('swarms.list', { profileId }));
    expect(list.claudeFlowNovice).toBe(true);
    expect(list.swarms.find((s) => s.id === id)).toMatchObject({
      source: 'claude-flow-novice',
      name: 'Build the REST API',
      status: 'running',
      topology: 'mesh',
      agents: 3,
      liveAgents: 2,
      findings: 1,
    });
    const detail = await ok<SwarmDetail>(h.dispatch('swarms.show', { profileId, swarmId: id, source: 'claude-flow-novice' }));
    expect(detail.sourceFields).toMatchObject({ status: 'active', strategy: 'development', mode: 'mesh' });
    expect(detail.agents.find((a) => a.id === 'coder-1')).toMatchObject({
      live: true,
      reported: 'busy',
      task: 'api-routes',
      type: 'coder',
    });
    expect(detail.findings.map((f) => `${f.kind}:${f.agent ?? ''}`)).toEqual(['offline:reviewer-1']);
    expect(detail.edges).toHaveLength(3);
    expect(detail.messages).toBe(1);
    const messages = await ok<{ from: string; to: string; kind: string }[]>(
      h.dispatch('swarms.messages', { profileId, swarmId: id, source: 'claude-flow-novice', count: 10 }),
    );
    expect(messages).toEqual([expect.objectContaining({ from: 'coder-1', to: 'tester-1', kind: 'review_request' })]);
    expect(await h.dispatch('swarms.action', { profileId, swarmId: id, source: 'claude-flow-novice', action: 'pause' })).toMatchObject({
      ok: false,
      error: { code: 'READ_ONLY' },
    });
    expect(
      await h.dispatch('swarms.propose', { profileId, swarmId: id, source: 'claude-flow-novice', proposal: { title: 'x', ttlMs: 5000 } }),
    ).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } });
    expect(await snapshot()).toEqual(before);
  });
});
