import { P, row, type KeyspaceArea } from '../../redis/keyspace-area';

export interface LockKeys {
  /** string with the lease as its TTL: `<token>|<fence>|<acquiredAt>|<owner>` of the holder */
  lock: string;
  /** string: the last fencing token handed out; never expires, so fences keep increasing after a lease runs out */
  fence: string;
  /** zset: waiter ids by the deadline (ms) they stop waiting */
  waiters: string;
}

/** Every key of one lock shares the hash tag `{l:<resource>}`, so a transition is one script on one slot. */
export function lockKeys(prefix: string, resource: string): LockKeys {
  const base = `${prefix}:{l:${resource}}`;
  return { lock: `${base}:lock`, fence: `${base}:fence`, waiters: `${base}:waiters` };
}

/** set: every resource ever locked, so the locks view never scans the keyspace */
export const lockRegistryKey = (prefix: string): string => `${prefix}:locks`;

const l = (): LockKeys => lockKeys(P, 'R');

export const locksKeyspace: KeyspaceArea = {
  feature: 'locks',
  keys: [
    row('lockRegistryKey(P)', 'set', () => lockRegistryKey(P)),
    row('lockKeys(P, R).lock', 'string', () => l().lock),
    row('lockKeys(P, R).fence', 'string', () => l().fence),
    row('lockKeys(P, R).waiters', 'zset', () => l().waiters),
  ],
  backup: { component: 'locks', patterns: (prefix) => [`${prefix}:{l:*`, lockRegistryKey(prefix)] },
};
