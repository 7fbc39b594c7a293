import { z } from 'zod';

export const TOPOLOGIES = ['mesh', 'hierarchical', 'ring', 'star'] as const;
export const STRATEGIES = ['quorum', 'unanimous', 'weighted', 'leader'] as const;
export const SWARM_STATUSES = ['running', 'paused', 'stopped', 'archived'] as const;
export type SwarmStatus = (typeof SWARM_STATUSES)[number];
/** Past FULL_MESH_LIMIT agents a mesh is split into fully connected groups of this size, joined through their first members. */
export const MESH_GROUP = 16;
export const FULL_MESH_LIMIT = 24;

const Name = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'Ids are 1–64 letters, digits, dot, dash, colon or underscore');

export const SwarmInputSchema = z.strictObject({
  id: Name,
  name: z.string().trim().min(1).max(128),
  objective: z.string().max(4000).default(''),
  topology: z.enum(TOPOLOGIES, { error: 'Topology is mesh, hierarchical, ring or star' }),
  strategy: z.enum(STRATEGIES, { error: 'Consensus strategy is quorum, unanimous, weighted or leader' }),
  maxAgents: z.number().int().min(1).max(100_000),
});
export type SwarmInput = z.input<typeof SwarmInputSchema>;

export const AgentInputSchema = z.strictObject({
  id: Name,
  role: z.string().max(64).default('worker'),
  type: z.string().max(64).default('generic'),
  capabilities: z.array(Name).max(64).default([]),
  resources: z.record(z.string().max(64), z.number()).default({}),
  weight: z.number().min(0).max(1000).default(1),
  /** Hierarchical swarms: the team (named by its lead's id) a worker belongs to. */
  team: Name.optional(),
  /** Offline once the last heartbeat is older than this. */
  ttlMs: z.number().int().min(500).max(3_600_000).default(15_000),
});
export type AgentInput = z.input<typeof AgentInputSchema>;

export interface AgentView {
  id: string;
  role: string;
  type: string;
  capabilities: string[];
  resources: Record<string, number>;
  weight: number;
  team?: string;
  ttlMs: number;
  /** 0–1 as last reported; sizes the agent's node in the graph. */
  load: number;
  /** What the agent says it is doing. */
  reported: string;
  /** What the evidence says: offline when the heartbeat is older than the TTL, whatever it reported. */
  live: boolean;
  lastHeartbeat?: number;
  heartbeatAgeMs?: number;
  task?: string;
  registeredAt: number;
}

export interface Finding {
  kind: 'never-heartbeated' | 'no-live-agents' | 'busy-without-task' | 'offline' | 'stale' | 'coordinator-stuck' | 'coordinator-dead';
  agent?: string;
  message: string;
}

export interface SwarmView {
  id: string;
  name: string;
  objective: string;
  /** One of TOPOLOGIES for Swarmdeck swarms; whatever the source wrote for others. */
  topology: string;
  strategy: string;
  maxAgents: number;
  status: string;
  createdAt: number;
  updatedAt: number;
  agents: AgentView[];
  liveAgents: number;
  findings: Finding[];
}

/** Where a swarm's data comes from: Swarmdeck's own keys, or a claude-flow-novice registry read as is. */
export type SwarmSource = 'swarmdeck' | 'claude-flow-novice';

export interface Edge {
  from: string;
  to: string;
  /** Why these two agents talk, in a sentence an operator can read. */
  reason: string;
}

export interface LeaderView {
  agent: string;
  epoch: number;
  /** ms the lease has left */
  ttlMs: number;
}

export const VOTE_VALUES = ['yes', 'no', 'abstain'] as const;
export type VoteValue = (typeof VOTE_VALUES)[number];
export const PROPOSAL_STATUSES = ['open', 'accepted', 'rejected', 'expired'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const ProposalInputSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  detail: z.string().max(4000).default(''),
  /** How long voting stays open. */
  ttlMs: z
    .number()
    .int()
    .min(1000)
    .max(7 * 24 * 3_600_000),
  /** Weighted strategy: the share of eligible weight that must vote yes. */
  threshold: z.number().gt(0).max(1).default(0.66),
  /** Who may vote; by default every agent alive when the proposal opens. */
  voters: z.array(Name).min(1).max(10_000).optional(),
  proposer: z.string().max(64).default('operator'),
});
export type ProposalInput = z.input<typeof ProposalInputSchema>;

export const VoteInputSchema = z.strictObject({
  voter: Name,
  value: z.enum(VOTE_VALUES, { error: 'A vote is yes, no or abstain' }),
  confidence: z.number().min(0).max(1).default(1),
  reason: z.string().max(1000).default(''),
});
export type VoteInput = z.input<typeof VoteInputSchema>;

export interface Vote {
  voter: string;
  value: VoteValue;
  confidence: number;
  reason: string;
  weight: number;
  at: number;
  /** How many times the voter changed its mind while the proposal was open. */
  changes: number;
}

export interface ProposalView {
  id: string;
  title: string;
  detail: string;
  proposer: string;
  strategy: (typeof STRATEGIES)[number];
  threshold: number;
  status: ProposalStatus;
  createdAt: number;
  deadline: number;
  closedAt?: number;
  eligible: number;
  eligibleWeight: number;
  votes: Vote[];
  yesWeight: number;
  noWeight: number;
  /** yes share of the eligible count (weight for the weighted strategy) */
  ratio: number;
  participation: number;
  durationMs?: number;
  /** The leader whose vote decided (leader strategy). */
  decidedBy?: string;
}

export interface SwarmSummary {
  id: string;
  name: string;
  source: SwarmSource;
  status: string;
  topology: string;
  strategy: string;
  agents: number;
  liveAgents: number;
  leader?: string;
  lastActivity: number;
  /** Counted from cheap evidence (see SwarmRegistry.summaries); the detail lists each one. */
  findings: number;
  /** claude-flow-novice: where the swarm was found and its status as stored (`status` is what the evidence says). */
  origin?: 'cli' | 'registry' | 'archive';
  storedStatus?: string;
}

export interface SwarmList {
  swarms: SwarmSummary[];
  /** A claude-flow-novice registry was found on this connection and is listed read-only. */
  claudeFlowNovice: boolean;
  /** claude-flow-novice status-set members whose swarm key expired (their sets have no TTL). */
  ghosts?: { id: string; status: string }[];
}

export interface MessageView {
  id: string;
  at: number;
  from: string;
  to: string;
  kind: string;
}

export interface SwarmDetail extends SwarmView {
  source: SwarmSource;
  /** Fields of a foreign source shown as written (e.g. claude-flow-novice's own status and mode). */
  sourceFields?: Record<string, string>;
  edges: Edge[];
  leader?: LeaderView;
  proposals: ProposalView[];
  messages: number;
}
