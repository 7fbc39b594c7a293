import { SwarmdeckError } from '../../../shared/errors';
import {
  ProposalInputSchema,
  VoteInputSchema,
  type ProposalInput,
  type ProposalStatus,
  type ProposalView,
  type Vote,
  type VoteInput,
  type VoteValue,
} from '../../../shared/model/swarm';
import { validationError } from '../../../shared/validation';
import type { SwarmRegistry } from './swarm-registry';

const PROPOSAL_ID = /^p-\d{1,12}$/;

/**
 * Proposals and votes of one swarm. The time comes from the registry's clock, never a second
 * one, so deadlines stamped by the scripts and read back here cannot disagree. Voting and evaluating are one script, so the tallies are
 * exact under any number of concurrent voters; see lua/proposals.lua for the strategy rules.
 */
export class Consensus {
  constructor(private readonly registry: SwarmRegistry) {}

  async propose(swarmId: string, input: ProposalInput): Promise<string> {
    const parsed = ProposalInputSchema.safeParse(input);
    if (!parsed.success) throw validationError(parsed.error, 'Bad proposal');
    const p = parsed.data;
    return (await this.registry.run(
      'sdSwarmPropose',
      swarmId,
      p.title,
      p.detail,
      p.proposer,
      p.threshold,
      p.ttlMs,
      (p.voters ?? []).join(','),
    )) as string;
  }

  /** Casts or changes a vote; answers the proposal's status after it. */
  async vote(swarmId: string, proposalId: string, input: VoteInput): Promise<ProposalStatus> {
    if (!PROPOSAL_ID.test(proposalId)) throw new SwarmdeckError('VALIDATION', `"${proposalId}" is not a proposal id`);
    const parsed = VoteInputSchema.safeParse(input);
    if (!parsed.success) throw validationError(parsed.error, 'Bad vote');
    const v = parsed.data;
    return (await this.registry.run('sdSwarmVote', swarmId, proposalId, v.voter, v.value, v.confidence, v.reason)) as ProposalStatus;
  }

  /** Closes open proposals past their deadline; answers how many. */
  async expireDue(swarmId: string): Promise<number> {
    return (await this.registry.run('sdSwarmExpire', swarmId)) as number;
  }

  /** Ids of the proposals still open, soonest deadline first. */
  open(swarmId: string): Promise<string[]> {
    return this.registry.redis.zrange(this.registry.keys(swarmId).open, 0, 99);
  }

  async proposal(swarmId: string, id: string, now = this.registry.clock.now()): Promise<ProposalView> {
    const k = this.registry.keys(swarmId);
    const [[, h], [, raw]] = ((await this.registry.redis.pipeline().hgetall(k.proposal(id)).hgetall(k.votes(id)).exec()) ?? []) as [
      [null, Record<string, string>],
      [null, Record<string, string>],
    ];
    if (!h.status) throw new SwarmdeckError('NOT_FOUND', `Proposal ${id} does not exist in swarm ${swarmId}`);
    return proposalView(h, raw, now);
  }

  /** The newest proposals, newest first. */
  async proposals(swarmId: string, count = 20, now = this.registry.clock.now()): Promise<ProposalView[]> {
    const ids = await this.registry.redis.zrevrange(this.registry.keys(swarmId).proposals, 0, count - 1);
    return Promise.all(ids.map((id) => this.proposal(swarmId, id, now)));
  }
}

function proposalView(h: Record<string, string>, raw: Record<string, string>, now: number): ProposalView {
  const n = (f: string): number => Number(h[f] ?? 0);
  const votes: Vote[] = Object.entries(raw)
    .map(([voter, json]) => {
      const v = JSON.parse(json) as { value: VoteValue; confidence: number; reason: string; at: number; weight: number; changes: number };
      return { voter, value: v.value, confidence: v.confidence, reason: v.reason, weight: v.weight, at: v.at, changes: v.changes };
    })
    .sort((a, b) => a.at - b.at);
  // An open proposal past its deadline is expired even before a script closes it.
  const status = h.status === 'open' && now > n('deadline') ? 'expired' : (h.status as ProposalStatus);
  return {
    id: h.id ?? '',
    title: h.title ?? '',
    detail: h.detail ?? '',
    proposer: h.proposer ?? '',
    strategy: h.strategy as ProposalView['strategy'],
    threshold: n('threshold'),
    status,
    createdAt: n('createdAt'),
    deadline: n('deadline'),
    ...(h.closedAt ? { closedAt: n('closedAt'), durationMs: n('durationMs') } : {}),
    eligible: n('eligible'),
    eligibleWeight: n('eligibleWeight'),
    votes,
    yesWeight: n('yesWeight'),
    noWeight: n('noWeight'),
    ratio: n('ratio'),
    participation: n('participation'),
    ...(h.decidedBy ? { decidedBy: h.decidedBy } : {}),
  };
}
