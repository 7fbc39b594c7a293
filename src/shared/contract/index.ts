import type { z } from 'zod';
import type { ErrorPayload } from '../errors';
import { analyticsContract } from './analytics';
import { appContract } from './app';
import { auditContract } from './audit';
import { backupContract } from './backup';
import { connectionsContract } from './connections';
import { configContract } from './config';
import { consoleContract } from './console';
import { diagnosticsContract } from './diagnostics';
import { healthContract } from './health';
import { jobsContract } from './jobs';
import { locksContract } from './locks';
import { memoryContract } from './memory';
import { messagingContract } from './messaging';
import { metricsContract } from './metrics';
import { profilesContract } from './profiles';
import { queuesContract } from './queues';
import { stateContract } from './state';
import { swarmsContract } from './swarms';

export { MAX_FRAME_BYTES, FRAME_OVERHEAD_BYTES } from './op';
export type { Operation } from './op';
export type { AppInfo } from './app';
export { SWARM_ACTIONS } from './swarms';

/**
 * Every operation of the Swarmdeck API, composed from one slice per feature. A feature adds
 * its slice here (one line) and its handlers in `src/main/api/handlers.ts` (one line); the
 * dispatcher, transports, preload and hosts derive everything else from this table.
 */
export const contract = {
  ...appContract,
  ...profilesContract,
  ...connectionsContract,
  ...healthContract,
  ...auditContract,
  ...jobsContract,
  ...queuesContract,
  ...swarmsContract,
  ...diagnosticsContract,
  ...backupContract,
  ...consoleContract,
  ...analyticsContract,
  ...metricsContract,
  ...locksContract,
  ...stateContract,
  ...memoryContract,
  ...configContract,
  ...messagingContract,
} as const;

export type Contract = typeof contract;
export type OpName = keyof Contract;
export const OP_NAMES = Object.keys(contract) as OpName[];

/** What a caller passes (before defaults and trimming). */
export type OpInput<N extends OpName> = z.input<Contract[N]['input']>;
/** What a handler receives, after validation. */
export type OpParsed<N extends OpName> = z.output<Contract[N]['input']>;
export type OpOutput<N extends OpName> = NonNullable<Contract[N]['output']>;

/** The handlers of one slice: every operation it declares, implemented. */
export type SliceHandlers<S> = { [N in keyof S & OpName]: (input: OpParsed<N>) => Promise<OpOutput<N>> };

/** `notAudited`: the action was done, but its audit entry could not be written (and why). */
export type Envelope<T = unknown> = { ok: true; result: T; notAudited?: string } | { ok: false; error: ErrorPayload };

export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** The channel an operation travels on over Electron IPC. */
export const ipcChannel = (name: OpName): string => `swarmdeck:${name}`;
export const IPC_EVENT_CHANNEL = 'swarmdeck:event';
