import {
  contract,
  isOpName,
  type Envelope,
  type OpName,
  type OpOutput,
  type OpParsed,
} from '../../shared/contract';
import { SwarmdeckError } from '../../shared/errors';
import { validationError } from '../../shared/validation';
import { toSwarmdeckError } from '../redis/describe-error';

/** Every operation of the contract, implemented: an op cannot be declared and left out. */
export type Handlers = { [N in OpName]: (input: OpParsed<N>) => Promise<OpOutput<N>> };

export type Dispatch = (op: unknown, input: unknown) => Promise<Envelope>;

/**
 * The single entry every transport calls: checks the operation name, validates the input
 * against the contract, runs the handler, and turns any failure into a typed error.
 */
export function createDispatch(handlers: Handlers, onUnexpected?: (error: unknown) => void): Dispatch {
  return async (op, input) => {
    try {
      // Never String(op): an object whose toString is not a function makes it throw.
      if (!isOpName(op)) throw new SwarmdeckError('UNKNOWN_OPERATION', `There is no operation ${typeof op === 'string' ? JSON.stringify(op.slice(0, 100)) : `of type ${typeof op}`}`);
      const parsed = contract[op].input.safeParse(input);
      if (!parsed.success) throw validationError(parsed.error);
      const handler = handlers[op] as (input: unknown) => Promise<unknown>;
      return { ok: true, result: await handler(parsed.data) };
    } catch (error) {
      if (error instanceof SwarmdeckError) return { ok: false, error: error.toPayload() };
      const file = fileSystemFailure(error);
      if (file) return { ok: false, error: file.toPayload() };
      if (isRedisFailure(error)) return { ok: false, error: toSwarmdeckError(error, whereOf(input)).toPayload() };
      onUnexpected?.(error);
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, error: { code: 'INTERNAL', message: `Unexpected failure: ${message}` } };
    }
  };
}

/**
 * Errors raised by Redis itself or by the socket under it, as opposed to bugs of ours. ioredis
 * reports a command timeout and a closed connection as bare `Error`s, known only by their text.
 */
function isRedisFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ReplyError' || error.name === 'MaxRetriesPerRequestError' || 'code' in error) return true;
  return /^(Command timed out|Connection is closed\.?|Stream isn't writeable.*)$/.test(error.message);
}

const FILE_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'the disk is full',
  EROFS: 'the file system is read-only',
  EISDIR: 'a folder is where a file should be',
  ENOTDIR: 'a file is where a folder should be',
  EDQUOT: 'the disk quota is exhausted',
};

/**
 * A file Swarmdeck keeps (profiles, secrets, backups, the home's lock) could not be read or
 * written: Node's errno errors carry the path (socket errors never do), or a code only files have.
 */
function fileSystemFailure(error: unknown): SwarmdeckError | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as NodeJS.ErrnoException;
  if (typeof e.code !== 'string' || (typeof e.path !== 'string' && !(e.code in FILE_REASONS))) return undefined;
  const reason = FILE_REASONS[e.code] ?? e.code;
  const what = typeof e.path === 'string' ? e.path : 'one of its files';
  return new SwarmdeckError('FILE_ERROR', `Swarmdeck could not ${e.syscall ?? 'use'} ${what}: ${reason} (${e.code})`, { errno: e.code, ...(typeof e.path === 'string' ? { file: e.path } : {}) });
}

/** Names the connection a failed call was about, for the operator's sentence. */
function whereOf(input: unknown): string {
  const profileId = typeof input === 'object' && input !== null ? (input as { profileId?: unknown }).profileId : undefined;
  return typeof profileId === 'string' ? `the Redis connection of profile "${profileId}"` : 'Redis';
}
