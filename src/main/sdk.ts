/**
 * The entry agent processes import (`import { connect } from 'swarmdeck/sdk'`): the same
 * connection code the console uses, without Electron.
 */
import type { Cluster, Redis } from 'ioredis';
import { SwarmdeckError } from '../shared/errors';
import type { Profile } from '../shared/model/profile';
import { adHocProfile, type AdHocOptions } from './profiles/ad-hoc-profile';
import { Session } from './redis/connection-manager';

export { SwarmdeckError } from '../shared/errors';
export { TaskQueue, listQueues } from './coordination/queue/task-queue';
export type { LeasedTask, QueueOptions, TakeOptions, TakeResult } from './coordination/queue/task-queue';
export { Worker, PermanentTaskError } from './coordination/queue/worker';
export type { TaskContext, TaskHandler, WorkerOptions } from './coordination/queue/worker';
export { PRIORITIES } from '../shared/model/task';
export { SwarmRegistry } from './coordination/swarm/swarm-registry';
export type { HeartbeatInput } from './coordination/swarm/swarm-registry';
export { Consensus } from './coordination/swarm/consensus';
export { LeaderElection } from './coordination/swarm/leader-election';
export type { LeaderElectionOptions } from './coordination/swarm/leader-election';
export { SwarmMessenger } from './coordination/swarm/messenger';
export { topologyEdges } from './coordination/swarm/topology';
export { runDemo } from './demo/demo';
export type { DemoOptions, DemoReport } from './demo/demo';
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
