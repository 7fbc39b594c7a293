import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { SwarmdeckError } from '../../../shared/errors';
import { STRATEGIES, TOPOLOGIES, type VoteValue } from '../../../shared/model/swarm';
import { TaskQueue } from '../queues/task-queue';
import { PermanentTaskError, Worker } from '../queues/worker';
import { Consensus } from '../swarms/consensus';
import { LeaderElection } from '../swarms/leader-election';
import { SwarmMessenger } from '../swarms/messenger';
import { SwarmRegistry } from '../swarms/swarm-registry';
import { adjacency, topologyEdges, type Member } from '../swarms/topology';
import type { RedisClient } from '../../redis/client-options';

export interface DemoOptions {
  swarms: number;
  agents: number;
  /** Runs until the signal aborts when not given. */
  durationMs?: number;
  prefix?: string;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface DemoReport {
  swarms: string[];
  agents: number;
  messages: number;
  heartbeatRounds: number;
  tasksCompleted: number;
  tasksFailed: number;
  elections: number;
  crashes: number;
  proposals: Record<'accepted' | 'rejected' | 'expired', number>;
}

/**
 * How an agent behaves. The misbehaving ones give the console something true to show:
 * a crasher stops heartbeating for good while its hash still says busy, a flapper goes
 * silent past its TTL and comes back, a late voter answers after the deadline, a confused
 * agent reports busy without holding a task.
 */
type Behaviour = 'steady' | 'crasher' | 'flapper' | 'late-voter' | 'confused';

const TYPES = ['researcher', 'coder', 'reviewer', 'tester', 'planner'] as const;
const CAPABILITIES = ['code', 'review', 'test', 'research', 'plan', 'gpu'] as const;
const KINDS = ['plan', 'result', 'review', 'question', 'status'] as const;
const TITLES = ['Adopt the new retrieval plan', 'Split the backlog by capability', 'Raise the review bar', 'Retry failed builds overnight', 'Switch to the larger model for planning'];
const NAMES: Record<(typeof TOPOLOGIES)[number], string> = { mesh: 'Research mesh', hierarchical: 'Build hierarchy', ring: 'Review ring', star: 'Support star' };
const AGENT_TTL_MS = 4000;
const QUEUE = 'demo-work';

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const between = (lo: number, hi: number): number => lo + Math.random() * (hi - lo);

interface DemoAgent extends Member {
  weight: number;
  behaviour: Behaviour;
  crashed: boolean;
  status: 'idle' | 'busy' | 'error';
  task?: string;
  load: number;
}

class DemoSwarm {
  readonly agents: DemoAgent[];
  readonly links: Map<string, Map<string, string>>;
  readonly elections: LeaderElection[] = [];
  private readonly voted = new Set<string>();
  status = 'running';

  constructor(
    readonly id: string,
    readonly topology: (typeof TOPOLOGIES)[number],
    readonly strategy: (typeof STRATEGIES)[number],
    size: number,
  ) {
    const leads = topology === 'hierarchical' ? Math.max(1, Math.round(size / 12)) : 0;
    this.agents = Array.from({ length: size }, (_, i) => {
      const role = i === 0 && topology !== 'mesh' && topology !== 'ring' ? 'coordinator' : leads > 0 && i <= leads ? 'lead' : 'worker';
      const type = role === 'worker' ? TYPES[i % TYPES.length] : role;
      // Misbehaviour only among workers, so the graph's spine stays readable.
      const behaviour: Behaviour = role !== 'worker' || i < 3 ? 'steady' : i % 10 === 7 ? 'crasher' : i % 10 === 4 ? 'flapper' : i % 10 === 9 ? 'late-voter' : i % 20 === 11 ? 'confused' : 'steady';
      return { id: `${type}-${i}`, role, weight: 1 + (i % 3), behaviour, crashed: false, status: 'idle' as const, load: 0 };
    });
    this.links = adjacency(topologyEdges(topology, this.agents));
  }

  /** Whether the agent sends a heartbeat right now. */
  beating(a: DemoAgent, elapsedMs: number): boolean {
    if (a.crashed) return false;
    // Flappers go quiet for 7 s (past their 4 s TTL) out of every 14.
    if (a.behaviour === 'flapper') return Math.floor(elapsedMs / 7000) % 2 === 0;
    return true;
  }

  firstVote(proposal: string): boolean {
    if (this.voted.has(proposal)) return false;
    this.voted.add(proposal);
    return true;
  }
}

/**
 * Real agents through the SDK: they register, heartbeat, talk along their topology's edges,
 * elect leaders, vote on proposals (the console's too) and take work from a task queue.
 */
export async function runDemo(client: RedisClient, options: DemoOptions): Promise<DemoReport> {
  if (!Number.isInteger(options.swarms) || options.swarms < 1 || options.swarms > 100) throw new SwarmdeckError('VALIDATION', '--swarms is a whole number from 1 to 100');
  if (!Number.isInteger(options.agents) || options.agents < 2 || options.agents > 1000) throw new SwarmdeckError('VALIDATION', '--agents is a whole number from 2 to 1000');
  const log = options.log ?? (() => undefined);
  const prefix = options.prefix ?? 'sd';
  const registry = new SwarmRegistry(client, prefix);
  const consensus = new Consensus(registry);
  const queue = new TaskQueue(client, QUEUE, { prefix });
  const report: DemoReport = { swarms: [], agents: 0, messages: 0, heartbeatRounds: 0, tasksCompleted: 0, tasksFailed: 0, elections: 0, crashes: 0, proposals: { accepted: 0, rejected: 0, expired: 0 } };
  const run = Date.now().toString(36).slice(-4);
  const swarms: DemoSwarm[] = [];
  const started = Date.now();

  for (let n = 0; n < options.swarms; n += 1) {
    const topology = TOPOLOGIES[n % TOPOLOGIES.length] as (typeof TOPOLOGIES)[number];
    const strategy = STRATEGIES[n % STRATEGIES.length] as (typeof STRATEGIES)[number];
    const swarm = new DemoSwarm(`demo-${topology}-${run}-${n + 1}`, topology, strategy, options.agents);
    await registry.create({ id: swarm.id, name: `${NAMES[topology]} ${n + 1}`, objective: `Demo ${topology} swarm deciding by ${strategy}`, topology, strategy, maxAgents: Math.max(options.agents, 10) });
    for (const [i, a] of swarm.agents.entries()) {
      await registry.register(swarm.id, {
        id: a.id, role: a.role, type: a.role === 'worker' ? (a.id.split('-')[0] as string) : a.role,
        capabilities: [CAPABILITIES[i % CAPABILITIES.length] as string, CAPABILITIES[(i + 2) % CAPABILITIES.length] as string],
        resources: { cpu: 1 + (i % 4), memoryMb: 512 * (1 + (i % 3)) }, weight: a.weight, ttlMs: AGENT_TTL_MS,
      });
    }
    for (const candidate of swarm.agents.slice(0, 3)) {
      const election = new LeaderElection(registry, swarm.id, candidate.id, { leaseMs: 3000 });
      election.on('elected', (epoch) => {
        report.elections += 1;
        log(`${swarm.id}: ${candidate.id} leads (epoch ${epoch})`);
      });
      election.on('lost', (reason) => log(`${swarm.id}: ${candidate.id} lost the lead: ${reason}`));
      election.on('error', () => undefined);
      swarm.elections.push(election.start());
    }
    swarms.push(swarm);
    report.swarms.push(swarm.id);
    report.agents += swarm.agents.length;
    log(`${swarm.id}: ${swarm.agents.length} agents, ${topology}, ${strategy} consensus`);
  }

  const stop = new AbortController();
  // Every loop of every swarm sleeps on this signal at once.
  setMaxListeners(0, stop.signal);
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort);
  const until = options.durationMs === undefined ? undefined : setTimeout(onAbort, options.durationMs);
  const loops: Promise<void>[] = [];
  const every = (ms: number, work: () => Promise<void>): void => {
    loops.push((async () => {
      while (!stop.signal.aborted) {
        await work().catch((error: unknown) => log(`demo: ${error instanceof Error ? error.message : String(error)}`));
        await sleep(ms, undefined, { signal: stop.signal }).catch(() => undefined);
      }
    })());
  };

  // The agents of every swarm take work from one queue; a task lands on an idle live agent.
  const worker = new Worker(queue, client, async (task, ctx) => {
    const free = swarms.filter((s) => s.status === 'running').flatMap((s) => s.agents.filter((a) => !a.crashed && a.status === 'idle' && a.behaviour !== 'confused' && a.role === 'worker'));
    const agent = free.length > 0 ? pick(free) : undefined;
    if (agent) Object.assign(agent, { status: 'busy', task: task.id, load: between(0.5, 1) });
    try {
      await sleep(between(400, 2500), undefined, { signal: ctx.signal });
      if ((task.data as { flaky?: boolean }).flaky && Math.random() < 0.6) throw new Error('upstream model timed out');
      if ((task.data as { poison?: boolean }).poison) throw new PermanentTaskError('input document is corrupt');
      return { by: agent?.id ?? 'overflow' };
    } finally {
      if (agent && agent.task === task.id) Object.assign(agent, { status: 'idle', task: undefined, load: between(0, 0.2) });
    }
  }, { concurrency: Math.min(32, Math.max(2, Math.floor(report.agents / 3))), leaseMs: 10_000, holder: `demo-${run}` });
  worker.on('completed', () => (report.tasksCompleted += 1));
  worker.on('failed', () => (report.tasksFailed += 1));
  worker.on('error', () => undefined);
  worker.start();

  every(1000, async () => {
    const n = Math.max(1, Math.round(swarms.length * 1.5));
    await queue.enqueueMany(Array.from({ length: n }, (_, i) => ({
      data: { step: pick(KINDS), n: i, flaky: Math.random() < 0.15, poison: Math.random() < 0.02 },
      priority: pick(['critical', 'high', 'normal', 'normal', 'low'] as const),
      maxAttempts: 3,
      backoffMs: 500,
    })));
  });

  for (const swarm of swarms) {
    const messenger = new SwarmMessenger(registry, swarm.id);
    every(1000, async () => {
      swarm.status = (await client.hget(registry.keys(swarm.id).swarm, 'status')) ?? 'archived';
      if (swarm.status === 'stopped' || swarm.status === 'archived') return;
      const elapsed = Date.now() - started;
      for (const a of swarm.agents) {
        if (a.behaviour === 'crasher' && !a.crashed && elapsed > 8000 + swarm.agents.indexOf(a) * 50) {
          a.crashed = true;
          report.crashes += 1;
          const election = swarm.elections.find((e) => e.agentId === a.id);
          if (election) await election.stop({ resign: false });
          log(`${swarm.id}: ${a.id} crashed (stops heartbeating, still says "${a.status}")`);
        }
      }
      const beats = swarm.agents.filter((a) => swarm.beating(a, elapsed)).map((a) => ({
        agentId: a.id,
        status: a.behaviour === 'confused' ? ('busy' as const) : a.status,
        task: a.behaviour === 'confused' ? '' : a.task ?? '',
        load: a.behaviour === 'confused' ? 0.1 : a.load,
      }));
      await registry.heartbeatMany(swarm.id, beats);
      report.heartbeatRounds += 1;
    });

    every(400, async () => {
      if (swarm.status !== 'running') return;
      const elapsed = Date.now() - started;
      const talkers = Math.max(1, Math.round(swarm.agents.length / 10));
      for (let i = 0; i < talkers; i += 1) {
        const from = pick(swarm.agents);
        const neighbours = [...(swarm.links.get(from.id)?.keys() ?? [])];
        if (!swarm.beating(from, elapsed) || neighbours.length === 0) continue;
        await messenger.send(from.id, pick(neighbours), pick(KINDS), JSON.stringify({ note: 'demo' }));
        report.messages += 1;
      }
    });

    every(1000, async () => {
      report.proposals.expired += await consensus.expireDue(swarm.id);
      for (const proposal of await consensus.open(swarm.id)) {
        if (swarm.firstVote(proposal)) scheduleVotes(swarm, proposal);
      }
    });

    every(25_000, async () => {
      await sleep(between(3000, 8000), undefined, { signal: stop.signal }).catch(() => undefined);
      const leader = swarm.elections.find((e) => e.epoch !== undefined);
      if (!leader || swarm.status !== 'running' || stop.signal.aborted) return;
      const id = await consensus.propose(swarm.id, { title: pick(TITLES), ttlMs: 12_000, proposer: leader.agentId });
      log(`${swarm.id}: ${leader.agentId} proposes ${id}`);
    });
  }

  function scheduleVotes(swarm: DemoSwarm, proposal: string): void {
    for (const a of swarm.agents) {
      const delay = a.behaviour === 'late-voter' ? 13_000 : between(300, 4000);
      setTimeout(() => {
        if (stop.signal.aborted || a.crashed) return;
        const value: VoteValue = Math.random() < 0.72 ? 'yes' : Math.random() < 0.7 ? 'no' : 'abstain';
        consensus.vote(swarm.id, proposal, { voter: a.id, value, confidence: Number(between(0.5, 1).toFixed(2)), reason: value === 'yes' ? 'fits the objective' : 'needs more evidence' })
          .then((status) => {
            if (status === 'accepted' || status === 'rejected') {
              report.proposals[status] += 1;
              log(`${swarm.id}: ${proposal} ${status}`);
            }
          })
          .catch((error: unknown) => {
            if (error instanceof SwarmdeckError && /expired before this vote/.test(error.message)) {
              log(`${swarm.id}: ${a.id} voted late on ${proposal}, which had expired`);
            }
          });
      }, delay).unref();
    }
  }

  await new Promise<void>((resolve) => (stop.signal.aborted ? resolve() : stop.signal.addEventListener('abort', () => resolve())));
  clearTimeout(until);
  options.signal?.removeEventListener('abort', onAbort);
  await Promise.all(loops);
  await worker.close({ handBack: true });
  for (const swarm of swarms) {
    await Promise.all(swarm.elections.map((e) => e.stop()));
    await registry.setStatus(swarm.id, 'stopped', 'demo').catch(() => undefined);
  }
  return report;
}
