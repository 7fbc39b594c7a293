/**
 * The keys of the task queues. All keys of one queue share the hash tag `{q:<name>}`, so a
 * transition script touches them together on Redis Cluster. Scripts that find a task by an id
 * they read inside get `taskBase` and append the id exactly as `task(id)` does.
 */
import { hole, P, row, type KeyspaceArea } from '../../redis/keyspace-area';

export interface QueueKeys {
  /** hash: paused flag, sequence, lifetime counters */
  meta: string;
  /** zset: waiting task ids by priority then arrival */
  wait: string;
  /** zset: delayed and retry-scheduled task ids by due time (ms) */
  delayed: string;
  /** zset: leased task ids by lease deadline (ms) */
  active: string;
  /** zset: completed and cancelled task ids by finish time, trimmed by retention */
  finished: string;
  /** zset: dead-lettered task ids by time of death */
  dead: string;
  /** list: wake-up tokens idle workers block on */
  wake: string;
  /** stream: every transition, capped */
  events: string;
  /** hash: one task */
  task(id: string): string;
  /** hash, expires after 2 h: statistics of one epoch minute (`floor(ms / 60000)`) */
  stats(minute: number): string;
  /** What scripts append a task id to, for tasks whose ids they only learn inside (`task(id)` = `taskBase .. id`). */
  taskBase: string;
  /** glob (SCAN MATCH) of every key of the queue */
  pattern: string;
}

export function queueKeys(prefix: string, name: string): QueueKeys {
  const base = `${prefix}:{q:${name}}`;
  const taskBase = `${base}:t:`;
  return {
    meta: `${base}:meta`,
    wait: `${base}:wait`,
    delayed: `${base}:delayed`,
    active: `${base}:active`,
    finished: `${base}:finished`,
    dead: `${base}:dead`,
    wake: `${base}:wake`,
    events: `${base}:events`,
    task: (id) => `${taskBase}${id}`,
    stats: (minute) => `${base}:m:${minute}`,
    taskBase,
    pattern: `${base}:*`,
  };
}

/** set: the names of every queue, so listing queues never scans the keyspace */
export const queueRegistryKey = (prefix: string): string => `${prefix}:queues`;

const q = (): QueueKeys => queueKeys(P, 'N');

export const queuesKeyspace: KeyspaceArea = {
  feature: 'queues',
  keys: [
    row('queueRegistryKey(P)', 'set', () => queueRegistryKey(P)),
    row('queueKeys(P, N).meta', 'hash', () => q().meta),
    row('queueKeys(P, N).wait', 'zset', () => q().wait),
    row('queueKeys(P, N).delayed', 'zset', () => q().delayed),
    row('queueKeys(P, N).active', 'zset', () => q().active),
    row('queueKeys(P, N).finished', 'zset', () => q().finished),
    row('queueKeys(P, N).dead', 'zset', () => q().dead),
    row('queueKeys(P, N).wake', 'list', () => q().wake),
    row('queueKeys(P, N).events', 'stream', () => q().events),
    row('queueKeys(P, N).task(id)', 'hash', () => q().task('<id>')),
    row('queueKeys(P, N).stats(minute)', 'hash', () => q().stats(hole('<epoch minute>'))),
    row('queueKeys(P, N).taskBase', 'key prefix', () => q().taskBase),
    row('queueKeys(P, N).pattern', 'glob', () => q().pattern),
  ],
  // A queue's tasks live under the queue's own keys.
  backup: { component: 'queues', patterns: (prefix) => [queueKeys(prefix, '*').pattern, queueRegistryKey(prefix)] },
};
