import { setMaxListeners } from 'node:events';
import { SwarmdeckError } from '../../../shared/errors';
import type { RedisClient } from '../../redis/client-options';
import { TaskQueue } from '../queues/task-queue';
import { Consensus } from '../swarms/consensus';
import { SwarmMessenger } from '../swarms/messenger';
import { SwarmRegistry } from '../swarms/swarm-registry';
import type { DemoSwarm } from './agents';
import { every, type DemoContext } from './context';
import { emptyReport, type DemoReport } from './report';
import { createSwarm, heartbeatRound, talkRound } from './swarms';
import { leaderProposes, voteOnOpenProposals } from './voter';
import { enqueueRound, startWorker } from './work';

export type { DemoReport } from './report';

export interface DemoOptions {
  swarms: number;
  agents: number;
  /** Runs until the signal aborts when not given. */
  durationMs?: number;
  prefix?: string;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

const QUEUE = 'demo-work';

/**
 * Real agents through the SDK: they register, heartbeat, talk along their topology's edges,
 * elect leaders, vote on proposals (the console's too) and take work from a task queue.
 */
export async function runDemo(client: RedisClient, options: DemoOptions): Promise<DemoReport> {
  if (!Number.isInteger(options.swarms) || options.swarms < 1 || options.swarms > 100)
    throw new SwarmdeckError('VALIDATION', '--swarms is a whole number from 1 to 100');
  if (!Number.isInteger(options.agents) || options.agents < 2 || options.agents > 1000)
    throw new SwarmdeckError('VALIDATION', '--agents is a whole number from 2 to 1000');
  const prefix = options.prefix ?? 'sd';
  const registry = new SwarmRegistry(client, prefix);
  const queue = new TaskQueue(client, QUEUE, { prefix });
  const stop = new AbortController();
  // Every loop of every swarm sleeps on this signal at once.
  setMaxListeners(0, stop.signal);
  const ctx: DemoContext = {
    client,
    registry,
    consensus: new Consensus(registry),
    report: emptyReport(),
    log: options.log ?? (() => undefined),
    stop: stop.signal,
    started: Date.now(),
    run: Date.now().toString(36).slice(-4),
  };

  const swarms: DemoSwarm[] = [];
  for (let n = 0; n < options.swarms; n += 1) {
    const swarm = await createSwarm(ctx, n, options.agents);
    swarms.push(swarm);
    ctx.report.swarms.push(swarm.id);
    ctx.report.agents += swarm.agents.length;
    ctx.log(`${swarm.id}: ${swarm.agents.length} agents, ${swarm.topology}, ${swarm.strategy} consensus`);
  }

  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort);
  const until = options.durationMs === undefined ? undefined : setTimeout(onAbort, options.durationMs);
  const loops: Promise<void>[] = [];
  const worker = startWorker(ctx, queue, swarms);
  every(ctx, loops, 1000, () => enqueueRound(queue, swarms.length));
  for (const swarm of swarms) {
    const messenger = new SwarmMessenger(registry, swarm.id);
    every(ctx, loops, 1000, () => heartbeatRound(ctx, swarm));
    every(ctx, loops, 400, () => talkRound(ctx, swarm, messenger));
    every(ctx, loops, 1000, () => voteOnOpenProposals(ctx, swarm));
    every(ctx, loops, 25_000, () => leaderProposes(ctx, swarm));
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
  return ctx.report;
}
