import { SwarmdeckError, type ErrorCode } from '../../shared/errors';
import type { RedisClient } from './client-options';

/** Called as `(numberOfKeys, ...keys, ...argv)`: scripts name as many keys as their transition touches. */
export type ScriptFn = (...args: (string | number)[]) => Promise<unknown>;

const defined = new WeakMap<object, Set<string>>();

/**
 * Registers Lua scripts on a client once (ioredis runs them with EVALSHA and falls back to
 * EVAL after a server restart) and returns the client typed with them. The key count is the
 * first argument of every call, so a script can take the hashes of every task or agent it
 * is given in KEYS, as Redis Cluster requires.
 */
export function withScripts<N extends string>(client: RedisClient, sources: Record<N, string>): RedisClient & Record<N, ScriptFn> {
  const known = defined.get(client) ?? new Set<string>();
  for (const [name, lua] of Object.entries(sources) as [N, string][]) {
    if (known.has(name)) continue;
    client.defineCommand(name, { lua });
    known.add(name);
  }
  defined.set(client, known);
  return client as RedisClient & Record<N, ScriptFn>;
}

/** Every key and argument of one script call, in the order `ScriptFn` takes them. */
export function scriptArgs(keys: string[], argv: (string | number)[]): (string | number)[] {
  return [keys.length, ...keys, ...argv];
}

/**
 * The one table of failures a script may answer, as `redis.error_reply('<SD_CODE> <sentence>')`.
 * The sentence is written for people by the script; the code is all that is interpreted.
 */
export const SCRIPT_ERRORS = {
  SD_NOT_FOUND: 'NOT_FOUND',
  SD_CONFLICT: 'CONFLICT',
  SD_LEASE_LOST: 'LEASE_LOST',
  SD_INVALID: 'VALIDATION',
} as const satisfies Record<string, ErrorCode>;

/** A script's failure in its typed form; anything else Redis answered is a REDIS_ERROR. */
export function scriptError(error: unknown): SwarmdeckError {
  if (error instanceof SwarmdeckError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const space = message.indexOf(' ');
  const word = space < 0 ? message : message.slice(0, space);
  if (Object.hasOwn(SCRIPT_ERRORS, word))
    return new SwarmdeckError(SCRIPT_ERRORS[word as keyof typeof SCRIPT_ERRORS], message.slice(space + 1));
  return new SwarmdeckError('REDIS_ERROR', message);
}
