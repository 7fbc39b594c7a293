import type { QueueKeys } from '../../redis/keyspace';
import { LUA } from './lua/sources.generated';

/**
 * Every state transition of a task is one script (`lua/<transition>.lua`, whose header names
 * its KEYS, ARGV, reply and why it must be atomic), so a task is never in two states or in
 * none. `lua/includes.lua` holds what they share and is prepended to each.
 */
const withIncludes = (body: string): string => `${LUA.includes}\n${body}`;

/** The KEYS of every transition, in the order lua/includes.lua reads them: the queue's nine, then the tasks named. */
export function transitionKeys(k: QueueKeys, now: number, taskIds: string[]): string[] {
  return [
    k.meta,
    k.wait,
    k.delayed,
    k.active,
    k.finished,
    k.dead,
    k.wake,
    k.events,
    k.stats(Math.floor(now / 60_000)),
    ...taskIds.map((id) => k.task(id)),
  ];
}

export const ENQUEUE = withIncludes(LUA.enqueue);
export const TAKE = withIncludes(LUA.take);
export const COMPLETE = withIncludes(LUA.complete);
export const FAIL = withIncludes(LUA.fail);
export const EXTEND = withIncludes(LUA.extend);
export const PROGRESS = withIncludes(LUA.progress);
export const RELEASE = withIncludes(LUA.release);
export const OPERATE = withIncludes(LUA.operate);
export const RETRY_DEAD = withIncludes(LUA['retry-dead']);
export const PURGE = withIncludes(LUA.purge);
export const PAUSE = withIncludes(LUA.pause);
