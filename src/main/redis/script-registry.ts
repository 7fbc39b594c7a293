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
 * The one shape of a script that declines to apply: `{'not-applied', reason, sentence, ...detail}`,
 * written before anything changed. One shape, so a refusal is never mistaken for a result (a
 * negative number, a string with a prefix) and never needs an error reply's text parsed back.
 * The reason is one of this table's words, the sentence is written for people by the script,
 * and the detail is what a caller needs to answer with a typed result (the current version,
 * the holder's lease) instead of an error.
 */
export const NOT_APPLIED_REASONS = {
  'not-found': 'NOT_FOUND',
  conflict: 'CONFLICT',
  'lease-lost': 'LEASE_LOST',
  invalid: 'VALIDATION',
} as const satisfies Record<string, ErrorCode>;

export type NotAppliedReason = keyof typeof NOT_APPLIED_REASONS;

export interface NotApplied {
  reason: NotAppliedReason;
  sentence: string;
  detail: unknown[];
}

/** A script's reply decoded: what it answered when it applied, or why it did not. */
export type ScriptOutcome = { applied: true; reply: unknown } | ({ applied: false } & NotApplied);

export function decodeReply(reply: unknown): ScriptOutcome {
  // A script called for Buffer replies (binary keys and payloads) answers the marker as bytes.
  const head: unknown = Array.isArray(reply) ? reply[0] : undefined;
  const marked = (typeof head === 'string' || Buffer.isBuffer(head)) && String(head) === 'not-applied';
  if (!marked) return { applied: true, reply };
  const [, rawReason, sentence, ...detail] = reply as unknown[];
  const reason = rawReason === undefined ? undefined : String(rawReason);
  if (typeof reason !== 'string' || !Object.hasOwn(NOT_APPLIED_REASONS, reason))
    throw new SwarmdeckError('INTERNAL', `A script declined with an unknown reason "${String(reason)}"`);
  return { applied: false, reason: reason as NotAppliedReason, sentence: String(sentence ?? ''), detail };
}

/** The typed error of a refusal, for a caller whose API throws when nothing was applied. */
export function refusalError(refusal: NotApplied): SwarmdeckError {
  return new SwarmdeckError(NOT_APPLIED_REASONS[refusal.reason], refusal.sentence);
}

/** The reply of a script that applied; a refusal is thrown as its typed error. */
export function appliedReply(reply: unknown): unknown {
  const outcome = decodeReply(reply);
  if (!outcome.applied) throw refusalError(outcome);
  return outcome.reply;
}

/** Sends one script call and decodes its reply; anything Redis itself refused is a REDIS_ERROR. */
export function runScript(call: Promise<unknown>): Promise<ScriptOutcome> {
  return call.then(decodeReply, (error: unknown) => {
    throw scriptError(error);
  });
}

/** Like {@link runScript}, for a caller whose API throws when nothing was applied. */
export async function runApplied(call: Promise<unknown>): Promise<unknown> {
  const outcome = await runScript(call);
  if (!outcome.applied) throw refusalError(outcome);
  return outcome.reply;
}

/** A failure Redis answered (a wrong type, a lost script, a server error) in its typed form. */
export function scriptError(error: unknown): SwarmdeckError {
  if (error instanceof SwarmdeckError) return error;
  return new SwarmdeckError('REDIS_ERROR', error instanceof Error ? error.message : String(error));
}
