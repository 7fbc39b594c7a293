import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Consensus } from '../../src/main/features/swarms/consensus';
import { SwarmRegistry } from '../../src/main/features/swarms/swarm-registry';
import type { ProposalInput, VoteValue } from '../../src/shared/model/swarm';
import { redisTargets } from '../support/bed';
import { ManualClock } from '../support/clock';

const targets = redisTargets();
const fresh = () => `c-${randomBytes(4).toString('hex')}`;

type Strategy = 'quorum' | 'unanimous' | 'weighted' | 'leader';
interface Case {
  name: string;
  strategy: Strategy;
  weights: number[];
  threshold?: number;
  leader?: number;
  /** [voter index, value, status expected right after] */
  votes: [number, VoteValue, string][];
  ratio: number;
  participation: number;
}

const CASES: Case[] = [
  {
    name: 'quorum accepts at more than half',
    strategy: 'quorum',
    weights: [1, 1, 1, 1, 1],
    votes: [
      [0, 'yes', 'open'],
      [1, 'yes', 'open'],
      [2, 'yes', 'accepted'],
    ],
    ratio: 0.6,
    participation: 0.6,
  },
  {
    name: 'quorum rejects a tie',
    strategy: 'quorum',
    weights: [1, 1, 1, 1],
    votes: [
      [0, 'yes', 'open'],
      [1, 'no', 'open'],
      [2, 'yes', 'open'],
      [3, 'no', 'rejected'],
    ],
    ratio: 0.5,
    participation: 1,
  },
  {
    name: 'quorum rejects once a majority is out of reach',
    strategy: 'quorum',
    weights: [1, 1, 1, 1, 1],
    votes: [
      [0, 'no', 'open'],
      [1, 'abstain', 'open'],
      [2, 'no', 'rejected'],
    ],
    ratio: 0,
    participation: 0.6,
  },
  {
    name: 'quorum counts a changed vote once',
    strategy: 'quorum',
    weights: [1, 1, 1, 1, 1],
    votes: [
      [0, 'yes', 'open'],
      [0, 'no', 'open'],
      [1, 'yes', 'open'],
      [2, 'yes', 'open'],
      [0, 'yes', 'accepted'],
    ],
    ratio: 0.6,
    participation: 0.6,
  },
  {
    name: 'unanimous accepts when all say yes',
    strategy: 'unanimous',
    weights: [1, 1, 1],
    votes: [
      [0, 'yes', 'open'],
      [1, 'yes', 'open'],
      [2, 'yes', 'accepted'],
    ],
    ratio: 1,
    participation: 1,
  },
  {
    name: 'unanimous rejects at the first no',
    strategy: 'unanimous',
    weights: [1, 1, 1],
    votes: [
      [0, 'yes', 'open'],
      [1, 'no', 'rejected'],
    ],
    ratio: 1 / 3,
    participation: 2 / 3,
  },
  {
    name: 'unanimous rejects an abstention',
    strategy: 'unanimous',
    weights: [1, 1],
    votes: [[0, 'abstain', 'rejected']],
    ratio: 0,
    participation: 0.5,
  },
  {
    name: 'weighted accepts at the threshold share of weight',
    strategy: 'weighted',
    weights: [3, 1, 1, 1],
    votes: [
      [0, 'yes', 'open'],
      [1, 'yes', 'accepted'],
    ],
    ratio: 4 / 6,
    participation: 0.5,
  },
  {
    name: 'weighted counts a share equal to the threshold as met',
    strategy: 'weighted',
    weights: [1, 1],
    threshold: 0.5,
    votes: [[0, 'yes', 'accepted']],
    ratio: 0.5,
    participation: 0.5,
  },
  {
    name: 'weighted rejects when the rest cannot reach it',
    strategy: 'weighted',
    weights: [1, 1, 1],
    votes: [
      [0, 'no', 'open'],
      [1, 'no', 'rejected'],
    ],
    ratio: 0,
    participation: 2 / 3,
  },
  {
    name: 'leader: only the leader decides',
    strategy: 'leader',
    weights: [1, 1, 1],
    leader: 2,
    votes: [
      [0, 'yes', 'open'],
      [1, 'yes', 'open'],
      [2, 'no', 'rejected'],
    ],
    ratio: 2 / 3,
    participation: 1,
  },
  {
    name: 'leader: an abstaining leader leaves it open',
    strategy: 'leader',
    weights: [1, 1],
    leader: 0,
    votes: [
      [0, 'abstain', 'open'],
      [1, 'yes', 'open'],
      [0, 'yes', 'accepted'],
    ],
    ratio: 1,
    participation: 1,
  },
];

describe.each(targets)('consensus on %s', (_kind, connect) => {
  const client = connect();
  const clock = new ManualClock();
  const registry = new SwarmRegistry(client, 'sd', { clock });
  const consensus = new Consensus(registry);
  afterAll(() => client.disconnect());

  async function swarmWith(strategy: Strategy, weights: number[]): Promise<string> {
    const id = fresh();
    await registry.create({ id, name: id, topology: 'mesh', strategy, maxAgents: 100 });
    for (const [i, weight] of weights.entries()) await registry.register(id, { id: `v${i}`, weight, ttlMs: 60_000 });
    await registry.heartbeatMany(
      id,
      weights.map((_, i) => ({ agentId: `v${i}` })),
    );
    return id;
  }

  it.each(CASES)('$name', async (c) => {
    const id = await swarmWith(c.strategy, c.weights);
    if (c.leader !== undefined) await registry.run('sdSwarmLead', id, `v${c.leader}`, 60_000, '');
    const proposal: ProposalInput = { title: c.name, ttlMs: 60_000, ...(c.threshold ? { threshold: c.threshold } : {}) };
    const pid = await consensus.propose(id, proposal);
    for (const [voter, value, expected] of c.votes) {
      expect(await consensus.vote(id, pid, { voter: `v${voter}`, value })).toBe(expected);
    }
    const view = await consensus.proposal(id, pid);
    expect(view.status).toBe(c.votes.at(-1)?.[2]);
    expect(view.ratio).toBeCloseTo(c.ratio, 6);
    expect(view.participation).toBeCloseTo(c.participation, 6);
    if (view.status !== 'open') expect(view.durationMs).toBeGreaterThanOrEqual(0);
    if (c.strategy === 'leader' && view.status !== 'open') expect(view.decidedBy).toBe(`v${c.leader}`);
  });

  it('records a changed vote as a change, and refuses votes once closed, leaving tallies alone', async () => {
    const id = await swarmWith('quorum', [1, 1, 1]);
    const pid = await consensus.propose(id, { title: 'change', ttlMs: 60_000 });
    await consensus.vote(id, pid, { voter: 'v0', value: 'no', reason: 'first thought' });
    await consensus.vote(id, pid, { voter: 'v0', value: 'yes', confidence: 0.7, reason: 'second thought' });
    expect(await consensus.vote(id, pid, { voter: 'v1', value: 'yes' })).toBe('accepted');
    const before = await consensus.proposal(id, pid);
    expect(before.votes.find((v) => v.voter === 'v0')).toMatchObject({
      value: 'yes',
      confidence: 0.7,
      reason: 'second thought',
      changes: 1,
    });
    await expect(consensus.vote(id, pid, { voter: 'v2', value: 'no' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/accepted; votes are closed/),
    });
    await expect(consensus.vote(id, pid, { voter: 'v0', value: 'no' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await consensus.proposal(id, pid)).toEqual(before);
  });

  it('expires a proposal past its deadline instead of leaving it silently open', async () => {
    const id = await swarmWith('quorum', [1, 1, 1]);
    const late = await consensus.propose(id, { title: 'late', ttlMs: 1000 });
    const idle = await consensus.propose(id, { title: 'nobody votes', ttlMs: 1000 });
    await consensus.vote(id, late, { voter: 'v0', value: 'yes' });
    clock.advance(1100);
    // Read before any script ran: already shown expired.
    expect((await consensus.proposal(id, idle)).status).toBe('expired');
    await expect(consensus.vote(id, late, { voter: 'v1', value: 'yes' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/expired/),
    });
    const view = await consensus.proposal(id, late);
    expect(view).toMatchObject({ status: 'expired', participation: 1 / 3 });
    expect(view.votes.map((v) => v.voter)).toEqual(['v0']);
    expect(view.durationMs).toBeGreaterThanOrEqual(1000);
    expect(await consensus.expireDue(id)).toBe(1);
    expect(await consensus.open(id)).toEqual([]);
    const types = (await registry.events(id, { count: 50 })).map((e) => e.fields.type);
    expect(types.filter((t) => t === 'proposal.expired')).toHaveLength(2);
  });

  it('counts 50 concurrent voters exactly', async () => {
    const weights = Array.from({ length: 50 }, () => 1);
    const id = await swarmWith('unanimous', weights);
    const pid = await consensus.propose(id, { title: 'fifty', ttlMs: 60_000 });
    const voters = Array.from({ length: 5 }, () => new SwarmRegistry(connect(), 'sd', { clock }));
    const results = await Promise.all(
      weights.map((_, i) => new Consensus(voters[i % 5] as SwarmRegistry).vote(id, pid, { voter: `v${i}`, value: 'yes' })),
    );
    for (const r of voters) r.redis.disconnect();
    expect(results.filter((s) => s === 'accepted')).toHaveLength(1);
    expect(results.filter((s) => s === 'open')).toHaveLength(49);
    const view = await consensus.proposal(id, pid);
    expect(view).toMatchObject({ status: 'accepted', yesWeight: 50, ratio: 1, participation: 1 });
    expect(view.votes).toHaveLength(50);
  });

  it('refuses bad proposals and votes with typed errors', async () => {
    const id = await swarmWith('quorum', [1, 1]);
    await expect(consensus.propose('no-such-swarm', { title: 't', ttlMs: 5000 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(consensus.propose(id, { title: '', ttlMs: 5000 })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(consensus.propose(id, { title: 't', ttlMs: 10 })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(consensus.propose(id, { title: 't', ttlMs: 5000, voters: ['ghost'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const pid = await consensus.propose(id, { title: 't', ttlMs: 5000, voters: ['v0'] });
    await expect(consensus.vote(id, pid, { voter: 'v1', value: 'yes' })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/not an eligible voter/),
    });
    await expect(consensus.vote(id, pid, { voter: 'v0', value: 'maybe' as VoteValue })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(consensus.vote(id, 'p-999', { voter: 'v0', value: 'yes' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(consensus.vote(id, 'nonsense', { voter: 'v0', value: 'yes' })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect((await consensus.proposal(id, pid)).votes).toEqual([]);
    await registry.setStatus(id, 'paused');
    await expect(consensus.propose(id, { title: 't', ttlMs: 5000 })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
