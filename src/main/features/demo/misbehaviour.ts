import type { HeartbeatInput } from '../swarms/swarm-registry';
import type { DemoAgent, DemoSwarm } from './agents';
import type { DemoContext } from './context';

/**
 * How an agent behaves. The misbehaving ones give the console something true to show:
 * a crasher stops heartbeating for good while its hash still says busy, a flapper goes
 * silent past its TTL and comes back, a late voter answers after the deadline, a confused
 * agent reports busy without holding a task.
 */
export type Behaviour = 'steady' | 'crasher' | 'flapper' | 'late-voter' | 'confused';

export function behaviourOf(role: string, index: number): Behaviour {
  // Misbehaviour only among workers, so the graph's spine stays readable.
  if (role !== 'worker' || index < 3) return 'steady';
  if (index % 10 === 7) return 'crasher';
  if (index % 10 === 4) return 'flapper';
  if (index % 10 === 9) return 'late-voter';
  return index % 20 === 11 ? 'confused' : 'steady';
}

/** Whether the agent sends a heartbeat right now. */
export function beating(a: DemoAgent, elapsedMs: number): boolean {
  if (a.crashed) return false;
  // Flappers go quiet for 7 s (past their 4 s TTL) out of every 14.
  if (a.behaviour === 'flapper') return Math.floor(elapsedMs / 7000) % 2 === 0;
  return true;
}

/** What the agent claims in its heartbeat: a confused one says busy with no task. */
export function reportedBeat(a: DemoAgent): HeartbeatInput {
  if (a.behaviour === 'confused') return { agentId: a.id, status: 'busy', task: '', load: 0.1 };
  return { agentId: a.id, status: a.status, task: a.task ?? '', load: a.load };
}

/** Crashers crash once, staggered after 8 s: they stop heartbeating and drop out of their election without resigning. */
export async function crashDue(ctx: DemoContext, swarm: DemoSwarm, elapsedMs: number): Promise<void> {
  for (const a of swarm.agents) {
    if (a.behaviour === 'crasher' && !a.crashed && elapsedMs > 8000 + swarm.agents.indexOf(a) * 50) {
      a.crashed = true;
      ctx.report.crashes += 1;
      const election = swarm.elections.find((e) => e.agentId === a.id);
      if (election) await election.stop({ resign: false });
      ctx.log(`${swarm.id}: ${a.id} crashed (stops heartbeating, still says "${a.status}")`);
    }
  }
}
