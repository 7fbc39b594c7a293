import { SwarmdeckError } from '../../shared/errors';
import type { RedisClient } from './client-options';

export type ScriptFn = (...args: (string | number)[]) => Promise<unknown>;

const defined = new WeakMap<object, Set<string>>();

/**
 * Registers Lua scripts on a client once (ioredis runs them with EVALSHA and falls back to
 * EVAL after a server restart) and returns the client typed with them.
 */
export function withScripts<N extends string>(client: RedisClient, sources: Record<N, string>, numberOfKeys: number): RedisClient & Record<N, ScriptFn> {
  const known = defined.get(client) ?? new Set<string>();
  for (const [name, lua] of Object.entries(sources) as [N, string][]) {
    if (known.has(name)) continue;
    client.defineCommand(name, { numberOfKeys, lua });
    known.add(name);
  }
  defined.set(client, known);
  return client as RedisClient & Record<N, ScriptFn>;
}

/** Scripts answer failures as `CODE text`; this gives them their typed form. */
export function scriptError(error: unknown, subject: string): SwarmdeckError {
  if (error instanceof SwarmdeckError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const [word, ...rest] = message.split(' ');
  const text = `${subject} ${rest.join(' ').replace(/^(task|swarm|agent) /, '')}`;
  switch (word) {
    case 'LEASE_LOST':
    case 'NOT_FOUND':
    case 'CONFLICT':
    case 'VALIDATION':
      return new SwarmdeckError(word, text);
    case 'DUPLICATE':
      return new SwarmdeckError('CONFLICT', text);
    default:
      return new SwarmdeckError('REDIS_ERROR', message);
  }
}
