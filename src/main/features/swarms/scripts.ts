import { LUA } from './lua/sources.generated';

/**
 * Swarm transitions, one script each over the swarm's slot (docs/keyspace.md), in
 * `lua/<transition>.lua` with a header naming its KEYS, ARGV, reply and why it must be
 * atomic. `lua/includes.lua` is prepended to each, and `lua/proposals.lua` (tallies and
 * strategy rules) to those that open, vote on or expire proposals.
 */
const withIncludes = (...parts: string[]): string => [LUA.includes, ...parts].join('\n');

export const CREATE = withIncludes(LUA.create);
export const SET_STATUS = withIncludes(LUA['set-status']);
export const REGISTER = withIncludes(LUA.register);
export const HEARTBEAT = withIncludes(LUA.heartbeat);
export const DEREGISTER = withIncludes(LUA.deregister);
export const LEAD = withIncludes(LUA.lead);
export const RESIGN = withIncludes(LUA.resign);
export const PROPOSE = withIncludes(LUA.proposals, LUA.propose);
export const VOTE = withIncludes(LUA.proposals, LUA.vote);
export const EXPIRE_DUE = withIncludes(LUA.proposals, LUA['expire-due']);
export const SEND = withIncludes(LUA.send);
