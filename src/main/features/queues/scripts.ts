import { LUA } from './lua/sources.generated';

/**
 * Every state transition of a task is one script (`lua/<transition>.lua`, whose header names
 * its KEYS, ARGV, reply and why it must be atomic), so a task is never in two states or in
 * none. `lua/includes.lua` holds what they share and is prepended to each.
 */
const withIncludes = (body: string): string => `${LUA.includes}\n${body}`;

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
