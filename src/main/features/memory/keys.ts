import { isValidName } from '../../redis/key-name';
import { P, row, type KeyspaceArea } from '../../redis/keyspace-area';

export interface MemoryKeys {
  /** hash, TTL when written with one: `value` (JSON), `version`, `updatedAt`, `updatedBy`, `tags` (JSON) */
  entry: (key: string) => string;
  /** string: the namespace's last version handed out; never expires, so versions are never reused */
  seq: string;
  /** zset, all scores 0: every key written (lex order), walked by prefix with a cursor; expired ones pruned when met */
  index: string;
  /** zset, all scores 0: `<tag>|<key>` for every tagged entry, walked by tag with a cursor; stale ones pruned when met */
  tags: string;
  /** hash: key → the kept manual conflict (JSON) */
  conflicts: string;
}

/** The name of one memory namespace: `a:<agent>:<namespace>` or `s:<namespace>` (names hold no colon). */
export const memorySpaceId = (agent: string | undefined, namespace: string): string =>
  agent === undefined ? `s:${namespace}` : `a:${agent}:${namespace}`;
export function parseMemorySpaceId(id: string): { agent?: string; namespace: string } | undefined {
  const parts = id.split(':');
  if (parts[0] === 's' && parts.length === 2 && isValidName(parts[1] as string)) return { namespace: parts[1] as string };
  if (parts[0] === 'a' && parts.length === 3 && isValidName(parts[1] as string) && isValidName(parts[2] as string))
    return { agent: parts[1] as string, namespace: parts[2] as string };
  return undefined;
}

/** Every key of one memory namespace shares the hash tag `{mem:<space id>}`, so each write is one script on one slot. */
export function memoryKeys(prefix: string, agent: string | undefined, namespace: string): MemoryKeys {
  const base = `${prefix}:{mem:${memorySpaceId(agent, namespace)}}`;
  return {
    entry: (key) => `${base}:e:${key}`,
    seq: `${base}:seq`,
    index: `${base}:idx`,
    tags: `${base}:tags`,
    conflicts: `${base}:conflicts`,
  };
}

/** set: the id of every memory namespace ever written, so the memory view never scans the keyspace */
export const memoryRegistryKey = (prefix: string): string => `${prefix}:mem:spaces`;

const mem = (): MemoryKeys => memoryKeys(P, '<agent>', '<namespace>');

export const memoryKeyspace: KeyspaceArea = {
  feature: 'memory',
  keys: [
    row('memoryRegistryKey(P)', 'set', () => memoryRegistryKey(P)),
    row('memoryKeys(P, agent, namespace).entry(key)', 'hash', () => mem().entry('<key>')),
    row('memoryKeys(P, agent, namespace).seq', 'string', () => mem().seq),
    row('memoryKeys(P, agent, namespace).index', 'zset', () => mem().index),
    row('memoryKeys(P, agent, namespace).tags', 'zset', () => mem().tags),
    row('memoryKeys(P, agent, namespace).conflicts', 'hash', () => mem().conflicts),
  ],
  helpers: ['memorySpaceId', 'parseMemorySpaceId'],
  backup: { component: 'memory', patterns: (prefix) => [`${prefix}:{mem:*`, memoryRegistryKey(prefix)] },
};
