/**
 * The entry agent processes import (`import { connect } from 'swarmdeck/sdk'`): the same
 * connection code the console uses, without Electron.
 */
import type { Cluster, Redis } from 'ioredis';
import { SwarmdeckError } from '../shared/errors';
import type { Profile } from '../shared/model/profile';
import { adHocProfile, type AdHocOptions } from './features/profiles/ad-hoc-profile';
import { Session } from './redis/connection-manager';

export { SwarmdeckError } from '../shared/errors';
export { TaskQueue, listQueues } from './features/queues/task-queue';
export type { QueueOptions } from './features/queues/task-queue';
export type { LeasedTask, TakeOptions, TakeResult } from './features/queues/leases';
export { Worker, PermanentTaskError } from './features/queues/worker';
export type { TaskContext, TaskHandler, WorkerOptions } from './features/queues/worker';
export { PRIORITIES } from '../shared/model/task';
export { SwarmRegistry } from './features/swarms/swarm-registry';
export type { HeartbeatInput } from './features/swarms/swarm-registry';
export { Consensus } from './features/swarms/consensus';
export { LeaderElection } from './features/swarms/leader-election';
export type { LeaderElectionOptions } from './features/swarms/leader-election';
export { SwarmMessenger } from './features/swarms/messenger';
export { topologyEdges } from './features/swarms/topology';
export { runDemo } from './features/demo/demo';
export { Metrics } from './features/metrics/metrics';
export { FencedLocks, type AcquireOptions } from './features/locks/fenced-locks';
export { FencedLock } from './features/locks/fenced-lock';
export { VersionedState, type SetOptions, type StateChange } from './features/state/versioned-state';
export { Messaging, MessageRouter, Keyring, type MessagingOptions, type MessageEnvelope, type Route } from './features/messaging/sdk';
export { AgentMemory, MemorySync, mergeValues, type MemorySyncOptions, type SyncReport } from './features/memory';
export { ConfigStore, validateConfig, type ConfigEvent } from './features/config/config-store';
export type { DemoOptions, DemoReport } from './features/demo/demo';
export type {
  AgentInput,
  AgentView,
  Edge,
  Finding,
  LeaderView,
  ProposalInput,
  ProposalView,
  SwarmInput,
  SwarmView,
  Vote,
  VoteInput,
} from '../shared/model/swarm';
export type { EnqueueInput, QueueCounts, TaskDetail, TaskState } from '../shared/model/task';
export type { ErrorCode, ErrorPayload } from '../shared/errors';
export type { Profile, ProfileInput } from '../shared/model/profile';

export interface ConnectOptions extends AdHocOptions {
  password?: string;
}

export interface SwarmdeckConnection {
  readonly profile: Profile;
  /** The underlying ioredis client, for what the SDK does not wrap yet. */
  readonly redis: Redis | Cluster;
  ping(): Promise<number>;
  close(): Promise<void>;
}

/** Connects like a profile would: standalone or cluster, TLS, ACL, read-only guard. */
export async function connect(options: ConnectOptions): Promise<SwarmdeckConnection> {
  const profile = adHocProfile({ name: 'sdk', ...options });
  const session = new Session(profile, options.password, () => undefined);
  await session.open();
  return {
    profile,
    redis: session.client,
    async ping() {
      const started = performance.now();
      await session.client.ping();
      return performance.now() - started;
    },
    async close() {
      session.close();
    },
  };
}

export function isSwarmdeckError(error: unknown): error is SwarmdeckError {
  return error instanceof SwarmdeckError;
}
