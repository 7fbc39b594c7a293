import { z } from 'zod';

export const TOPOLOGIES = ['mesh', 'hierarchical', 'ring', 'star'] as const;
export const STRATEGIES = ['quorum', 'unanimous', 'weighted', 'leader'] as const;
export const SWARM_STATUSES = ['running', 'paused', 'stopped', 'archived'] as const;
export type SwarmStatus = (typeof SWARM_STATUSES)[number];
export const AGENT_STATUSES = ['idle', 'busy', 'error'] as const;

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
  ttlMs: number;
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
  kind: 'never-heartbeated' | 'no-live-agents' | 'busy-without-task' | 'offline';
  agent?: string;
  message: string;
}

export interface SwarmView {
  id: string;
  name: string;
  objective: string;
  topology: (typeof TOPOLOGIES)[number];
  strategy: (typeof STRATEGIES)[number];
  maxAgents: number;
  status: SwarmStatus;
  createdAt: number;
  updatedAt: number;
  agents: AgentView[];
  liveAgents: number;
  findings: Finding[];
}
