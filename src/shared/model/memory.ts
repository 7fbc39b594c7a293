/** Agent memory: entries in namespaces owned by one agent or shared by the swarm. */

export const CONFLICT_STRATEGIES = ['latest-wins', 'merge', 'agent-priority', 'manual'] as const;
export type ConflictStrategy = (typeof CONFLICT_STRATEGIES)[number];

/** A namespace of memory: an agent's own (`agent` set) or shared (`agent` absent). */
export interface MemorySpace {
  agent?: string;
  namespace: string;
}

export interface MemoryEntry extends MemorySpace {
  key: string;
  /** JSON text. */
  value: string;
  /** Unique within the namespace and never reused, even after the entry expired or was deleted. */
  version: number;
  updatedAt: number;
  /** The agent (or operator) that wrote this version. */
  updatedBy: string;
  tags: string[];
  /** Time left (ms) when written with a TTL. */
  ttlMs?: number;
}

/** A write that met a newer version under the manual strategy: kept until an operator resolves it. */
export interface MemoryConflict extends MemorySpace {
  key: string;
  /** What the agent tried to write, and the version it had read. */
  local: { value: string; baseVersion: number; by: string; at: number };
  /** What Redis held when the conflict was found. */
  remote: { value: string; version: number; by: string; at: number };
  detectedAt: number;
}

export interface MemorySpaceSummary extends MemorySpace {
  conflicts: number;
}
