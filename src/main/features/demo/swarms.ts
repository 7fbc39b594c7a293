import { STRATEGIES, TOPOLOGIES } from '../../../shared/model/swarm';
import { LeaderElection } from '../swarms/leader-election';
import type { SwarmMessenger } from '../swarms/messenger';
import { DemoSwarm } from './agents';
import type { DemoContext } from './context';
import { beating, crashDue, reportedBeat } from './misbehaviour';
import { pick } from './random';
import { KINDS } from './work';

const CAPABILITIES = ['code', 'review', 'test', 'research', 'plan', 'gpu'] as const;
const NAMES: Record<(typeof TOPOLOGIES)[number], string> = {
  mesh: 'Research mesh',
  hierarchical: 'Build hierarchy',
  ring: 'Review ring',
  star: 'Support star',
};
const AGENT_TTL_MS = 4000;

/** Creates swarm number `n` (topology and strategy in turn), registers its agents and starts three candidates' elections. */
export async function createSwarm(ctx: DemoContext, n: number, agents: number): Promise<DemoSwarm> {
  const topology = TOPOLOGIES[n % TOPOLOGIES.length] as (typeof TOPOLOGIES)[number];
  const strategy = STRATEGIES[n % STRATEGIES.length] as (typeof STRATEGIES)[number];
  const swarm = new DemoSwarm(`demo-${topology}-${ctx.run}-${n + 1}`, topology, strategy, agents);
  await ctx.registry.create({
    id: swarm.id,
    name: `${NAMES[topology]} ${n + 1}`,
    objective: `Demo ${topology} swarm deciding by ${strategy}`,
    topology,
    strategy,
    maxAgents: Math.max(agents, 10),
  });
  for (const [i, a] of swarm.agents.entries()) {
    await ctx.registry.register(swarm.id, {
      id: a.id,
      role: a.role,
      type: a.role === 'worker' ? (a.id.split('-')[0] as string) : a.role,
      capabilities: [CAPABILITIES[i % CAPABILITIES.length] as string, CAPABILITIES[(i + 2) % CAPABILITIES.length] as string],
      resources: { cpu: 1 + (i % 4), memoryMb: 512 * (1 + (i % 3)) },
      weight: a.weight,
      ttlMs: AGENT_TTL_MS,
    });
  }
  for (const candidate of swarm.agents.slice(0, 3)) {
    const election = new LeaderElection(ctx.registry, swarm.id, candidate.id, { leaseMs: 3000 });
    election.on('elected', (epoch) => {
      ctx.report.elections += 1;
      ctx.log(`${swarm.id}: ${candidate.id} leads (epoch ${epoch})`);
    });
    election.on('lost', (reason) => ctx.log(`${swarm.id}: ${candidate.id} lost the lead: ${reason}`));
    election.on('error', () => undefined);
    swarm.elections.push(election.start());
  }
  return swarm;
}

/** Follows the status the operator sets, lets crashers crash and sends the heartbeats of the agents still beating. */
export async function heartbeatRound(ctx: DemoContext, swarm: DemoSwarm): Promise<void> {
  swarm.status = (await ctx.client.hget(ctx.registry.keys(swarm.id).swarm, 'status')) ?? 'archived';
  if (swarm.status === 'stopped' || swarm.status === 'archived') return;
  const elapsed = Date.now() - ctx.started;
  await crashDue(ctx, swarm, elapsed);
  await ctx.registry.heartbeatMany(swarm.id, swarm.agents.filter((a) => beating(a, elapsed)).map(reportedBeat));
  ctx.report.heartbeatRounds += 1;
}

/** About a tenth of the agents each send one message along an edge of the topology. */
export async function talkRound(ctx: DemoContext, swarm: DemoSwarm, messenger: SwarmMessenger): Promise<void> {
  if (swarm.status !== 'running') return;
  const elapsed = Date.now() - ctx.started;
  const talkers = Math.max(1, Math.round(swarm.agents.length / 10));
  for (let i = 0; i < talkers; i += 1) {
    const from = pick(swarm.agents);
    if (!beating(from, elapsed)) continue;
    // The registry's edges, not the planned ones: a ring follows registration order, which
    // concurrent registrations decide, so only the registry knows who is next to whom.
    const neighbours = await messenger.neighbours(from.id);
    if (neighbours.length === 0) continue;
    await messenger.send(from.id, pick(neighbours).id, pick(KINDS), JSON.stringify({ note: 'demo' }));
    ctx.report.messages += 1;
  }
}
