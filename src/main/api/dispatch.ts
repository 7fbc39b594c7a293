import type { ZodType } from 'zod';
import { contract, isOpName, type Envelope, type OpName, type OpOutput, type OpParsed } from '../../shared/contract';
import type { AuditSpec, Declaration, DeclaredProfile, Effect, Operation } from '../../shared/contract/op';
import { SwarmdeckError, type ErrorPayload } from '../../shared/errors';
import { enforceGuard } from '../../shared/guards';
import { validationError } from '../../shared/validation';
import { toSwarmdeckError } from '../redis/describe-error';
import { Owner, type Caller } from '../owners';

/**
 * Every operation of the contract, implemented: an op cannot be declared and left out. The
 * caller is for handlers that start something outliving the call (a watch, a MONITOR), which
 * is held in its owner's name; the others ignore it.
 */
export type Handlers = { [N in OpName]: (input: OpParsed<N>, caller: Caller) => Promise<OpOutput<N>> };

/** A slice's handlers that read the caller (`SliceHandlers` for those that do not). */
export type CallerSliceHandlers<S> = { [N in keyof S & OpName]: (input: OpParsed<N>, caller: Caller) => Promise<OpOutput<N>> };

/**
 * The entry every host calls. A host gives each socket or window (or page load) an {@link Owner}
 * and passes it as the caller, and releases it when that goes; a call without a caller is the
 * process's own (the CLI, tests), held by one owner per dispatch that lives as long as it does.
 */
export type Dispatch = (op: unknown, input: unknown, caller?: Caller) => Promise<Envelope>;

/** What dispatch needs of main to apply an operation's declaration. */
export interface DeclarationContext {
  /** The profile as the call will meet it: its live session's, else the stored one (NOT_FOUND when none). */
  profile(profileId: string): Promise<DeclaredProfile>;
  /** Appends one entry to the profile's audit stream, naming the operator and the host. */
  audit(profileId: string, entry: AuditSpec): Promise<void>;
}

/**
 * The single entry every transport calls: checks the operation name, validates the input
 * against the contract, applies what the operation declares (refused on a read-only profile,
 * the typed confirmation on production, one audit entry for a write that happened), runs the
 * handler, and turns any failure into a typed error. No handler guards or audits by itself.
 */
export function createDispatch(handlers: Handlers, context: DeclarationContext, onUnexpected?: (error: unknown) => void): Dispatch {
  const inProcess: Caller = { owner: new Owner('in-process', 'process') };
  return async (op, input, caller = inProcess) => {
    try {
      // Never String(op): an object whose toString is not a function makes it throw.
      if (!isOpName(op))
        throw new SwarmdeckError(
          'UNKNOWN_OPERATION',
          `There is no operation ${typeof op === 'string' ? JSON.stringify(op.slice(0, 100)) : `of type ${typeof op}`}`,
        );
      const operation = contract[op] as Operation<ZodType, unknown>;
      const parsed = operation.input.safeParse(input);
      if (!parsed.success) throw validationError(parsed.error);
      const declared = operation.declared;
      const profile = declared ? await profileOf(context, declared, parsed.data) : undefined;
      if (declared && profile) enforceDeclaration(op, operation.effect, declared, parsed.data, profile);
      const handler = handlers[op] as (input: unknown, caller: Caller) => Promise<unknown>;
      const result = await handler(parsed.data, caller);
      const entry = declared && profile && typeof declared.audit === 'function' ? declared.audit(parsed.data, result, profile) : undefined;
      if (!entry || !profile) return { ok: true, result };
      try {
        await context.audit(profile.id, entry);
        return { ok: true, result };
      } catch (error) {
        // The action happened: saying it failed would invite a second one. It is reported done, not audited.
        return {
          ok: true,
          result,
          notAudited: `${entry.action} on ${entry.target} was done but not written to the audit stream: ${describeFailure(error, input)}`,
        };
      }
    } catch (error) {
      return { ok: false, error: toPayload(error, input, onUnexpected) };
    }
  };
}

type AnyDeclaration = Declaration<unknown, unknown>;

async function profileOf(context: DeclarationContext, declared: AnyDeclaration, input: unknown): Promise<DeclaredProfile | undefined> {
  const id = declared.profile ? declared.profile(input) : (input as { profileId?: unknown }).profileId;
  return typeof id === 'string' ? context.profile(id) : undefined;
}

/** The refusals a declaration asks for, thrown before the handler sends anything. */
function enforceDeclaration(op: OpName, effect: Effect, declared: AnyDeclaration, input: unknown, profile: DeclaredProfile): void {
  // The guard first: it names the refused action in the operator's words.
  const spec = declared.guard?.(input, profile);
  const confirm = (input as { confirm?: unknown }).confirm;
  if (spec)
    enforceGuard(
      profile,
      spec.action,
      { name: spec.target, ...(spec.foreignOwner ? { foreignOwner: spec.foreignOwner } : {}) },
      typeof confirm === 'string' ? confirm : undefined,
    );
  if (effect === 'write' && profile.readOnly) {
    throw new SwarmdeckError('READ_ONLY', `Profile "${profile.name}" is read-only: ${op} changes data in Redis, so it was not done`, {
      command: op,
    });
  }
}

function describeFailure(error: unknown, input: unknown): string {
  return toPayload(error, input).message;
}

function toPayload(error: unknown, input: unknown, onUnexpected?: (error: unknown) => void): ErrorPayload {
  if (error instanceof SwarmdeckError) return error.toPayload();
  const file = fileSystemFailure(error);
  if (file) return file.toPayload();
  if (isRedisFailure(error)) return toSwarmdeckError(error, whereOf(input)).toPayload();
  onUnexpected?.(error);
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Unexpected failure: ${message}` };
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
  return new SwarmdeckError('FILE_ERROR', `Swarmdeck could not ${e.syscall ?? 'use'} ${what}: ${reason} (${e.code})`, {
    errno: e.code,
    ...(typeof e.path === 'string' ? { file: e.path } : {}),
  });
}

/** Names the connection a failed call was about, for the operator's sentence. */
function whereOf(input: unknown): string {
  const profileId = typeof input === 'object' && input !== null ? (input as { profileId?: unknown }).profileId : undefined;
  return typeof profileId === 'string' ? `the Redis connection of profile "${profileId}"` : 'Redis';
}
