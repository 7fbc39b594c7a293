/** What a claude-flow-novice deployment holds beyond its swarm registry, as Swarmdeck reads it (never writes). */

/** Where a claude-flow-novice swarm was found: the CLI's `swarms:index`, the registry's `swarm:index`, or its archive. */
export type CfnOrigin = 'cli' | 'registry' | 'archive';

export type CfnVerdict = 'finished' | 'waiting' | 'stuck' | 'dead';

export interface CfnPeer {
  coordinator: string;
  /** Its own blocking status in the same swarm, when it has one. */
  status?: string;
  /** Signal ids it acknowledged (`blocking:ack:{peer}:{signalId}`). */
  acknowledged: string[];
  /** The id of a signal sent to it and still not consumed (`blocking:signal:{peer}` present). */
  unreadSignal?: string;
  heartbeatAgeMs?: number;
  escalated: boolean;
  /** A replacement asked for (`coordinator:spawn:{new}`) and whether it ever heartbeated. */
  replacement?: { coordinator: string; started: boolean };
}

export interface CfnBlockingWait {
  swarmId: string;
  coordinator: string;
  status: string;
  since: number;
  iteration?: number;
  phase?: string;
  signalType?: string;
  heartbeatAgeMs?: number;
  peers: CfnPeer[];
  verdict: CfnVerdict;
  /** The coordinator the verdict blames (itself or a peer). */
  culprit?: string;
  message: string;
}

export interface CfnTaskSource {
  leader?: { coordinator: string; ttlMs: number };
  queue: { depth: number; oldestAgeMs?: number; entries: { id: string; task: string; queuedAt: number; queuedBy: string }[] };
  agents: { id: string; type: string; status: string; load: number }[];
  failures: { taskId: string; task: string; error: string; at: number }[];
}

export interface CfnSavedState {
  kind: 'snapshot' | 'checkpoint';
  id: string;
  at: number;
  label: string;
  bytes: number;
}

export interface CfnStates {
  /** The state manager's saved state, passwords redacted; absent when none is saved. */
  state?: string;
  saved: CfnSavedState[];
}
