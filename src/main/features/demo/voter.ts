import { setTimeout as sleep } from 'node:timers/promises';
import { SwarmdeckError } from '../../../shared/errors';
import type { VoteValue } from '../../../shared/model/swarm';
import type { DemoSwarm } from './agents';
import type { DemoContext } from './context';
import { between, pick } from './random';

const TITLES = [
  'Adopt the new retrieval plan',
  'Split the backlog by capability',
  'Raise the review bar',
  'Retry failed builds overnight',
  'Switch to the larger model for planning',
];

/**
 * Closes proposals past their deadline and has the agents vote on every open one, the
 * operator's from the console included.
 */
export async function voteOnOpenProposals(ctx: DemoContext, swarm: DemoSwarm): Promise<void> {
  ctx.report.proposals.expired += await ctx.consensus.expireDue(swarm.id);
  for (const proposal of await ctx.consensus.open(swarm.id)) {
    if (swarm.firstVote(proposal)) scheduleVotes(ctx, swarm, proposal);
  }
}

/** Each agent votes once after a few seconds; late voters after the 12 s deadline. */
function scheduleVotes(ctx: DemoContext, swarm: DemoSwarm, proposal: string): void {
  for (const a of swarm.agents) {
    const delay = a.behaviour === 'late-voter' ? 13_000 : between(300, 4000);
    setTimeout(() => {
      if (ctx.stop.aborted || a.crashed) return;
      const value: VoteValue = Math.random() < 0.72 ? 'yes' : Math.random() < 0.7 ? 'no' : 'abstain';
      ctx.consensus
        .vote(swarm.id, proposal, {
          voter: a.id,
          value,
          confidence: Number(between(0.5, 1).toFixed(2)),
          reason: value === 'yes' ? 'fits the objective' : 'needs more evidence',
        })
        .then((status) => {
          if (status === 'accepted' || status === 'rejected') {
            ctx.report.proposals[status] += 1;
            ctx.log(`${swarm.id}: ${proposal} ${status}`);
          }
        })
        .catch((error: unknown) => {
          if (error instanceof SwarmdeckError && /expired before this vote/.test(error.message)) {
            ctx.log(`${swarm.id}: ${a.id} voted late on ${proposal}, which had expired`);
          }
        });
    }, delay).unref();
  }
}

/** The current leader proposes something, at a random moment of the round. */
export async function leaderProposes(ctx: DemoContext, swarm: DemoSwarm): Promise<void> {
  await sleep(between(3000, 8000), undefined, { signal: ctx.stop }).catch(() => undefined);
  const leader = swarm.elections.find((e) => e.epoch !== undefined);
  if (!leader || swarm.status !== 'running' || ctx.stop.aborted) return;
  const id = await ctx.consensus.propose(swarm.id, { title: pick(TITLES), ttlMs: 12_000, proposer: leader.agentId });
  ctx.log(`${swarm.id}: ${leader.agentId} proposes ${id}`);
}
