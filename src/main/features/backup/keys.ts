/**
 * How backup and recovery read the queues' and swarms' keys back (a backup limited to components
 * takes each feature's own globs, `componentPatterns`), and the one key backup owns: the restore lock.
 */
import { queueKeys } from '../queues/keys';
import { swarmKeys } from '../swarms/keys';
import { isValidName } from '../../redis/key-name';
import { P, row, type KeyspaceArea } from '../../redis/keyspace-area';

/** globs (SCAN MATCH) of every key of every queue and of every swarm under a prefix (recovery's scan) */
export function coordinationPatterns(prefix: string): { queues: string; swarms: string } {
  return { queues: queueKeys(prefix, '*').pattern, swarms: `${swarmKeys(prefix, '*').base}*` };
}

export type CoordinationKey =
  | { area: 'queue'; queue: string; part: 'task'; taskId: string }
  | { area: 'queue'; queue: string; part: 'other' }
  | { area: 'swarm'; swarm: string; part: 'agent'; agentId: string }
  | { area: 'swarm'; swarm: string; part: 'other' };

/**
 * A key found by SCAN read back into the queue or swarm it belongs to. Accepted only when the
 * builders produce exactly that key again, so the reading cannot drift from the layout.
 */
export function parseCoordinationKey(prefix: string, key: string): CoordinationKey | undefined {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const q = new RegExp(`^${escaped}:\\{q:([^{}]+)\\}:(.*)$`, 's').exec(key);
  if (q) {
    const queue = q[1] as string;
    const rest = q[2] as string;
    if (!isValidName(queue) || queueKeys(prefix, queue).pattern.slice(0, -1) + rest !== key) return undefined;
    return rest.startsWith('t:') ? { area: 'queue', queue, part: 'task', taskId: rest.slice(2) } : { area: 'queue', queue, part: 'other' };
  }
  const w = new RegExp(`^${escaped}:\\{s:([^{}]+)\\}:(.*)$`, 's').exec(key);
  if (w) {
    const swarm = w[1] as string;
    const rest = w[2] as string;
    const k = swarmKeys(prefix, swarm);
    if (!isValidName(swarm) || k.base + rest !== key) return undefined;
    return rest.startsWith('a:') && k.agent(rest.slice(2)) === key
      ? { area: 'swarm', swarm, part: 'agent', agentId: rest.slice(2) }
      : { area: 'swarm', swarm, part: 'other' };
  }
  return undefined;
}

/**
 * string with a lease as its TTL: who restores into or undoes a restore on this target now
 * (JSON: what, host, pid, since), so that two never write to one target at once
 */
export const restoreLockKey = (prefix: string): string => `${prefix}:restore-lock`;

export const backupKeyspace: KeyspaceArea = {
  feature: 'backup',
  keys: [row('restoreLockKey(P)', 'string', () => restoreLockKey(P))],
  helpers: ['coordinationPatterns', 'parseCoordinationKey'],
};
