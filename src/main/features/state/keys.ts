import { isValidName } from '../../redis/key-name';
import { P, row, type KeyspaceArea } from '../../redis/keyspace-area';

export interface StateKeys {
  /** hash with the value's TTL: `value`, `version`, `source`, `meta` (JSON), `at` */
  current: string;
  /** string: the last version handed out; never expires, so a version number is never reused */
  version: string;
  /** list, newest first, capped: the last N versions as JSON */
  history: string;
  /** stream, capped: one entry per change, for watchers reading from their last id */
  events: string;
}

/** Every key of one state key shares the hash tag `{st:<key>}`. */
export function stateKeys(prefix: string, key: string): StateKeys {
  const base = `${prefix}:{st:${key}}`;
  return { current: `${base}:cur`, version: `${base}:ver`, history: `${base}:hist`, events: `${base}:events` };
}

/** glob (SCAN MATCH) of the current-value hash of every state key (of one namespace), and the state key one names */
export const stateCurrentPattern = (prefix: string, namespace?: string): string =>
  namespace ? `${prefix}:{st:${namespace}:*}:cur` : `${prefix}:{st:*}:cur`;
export function stateKeyOf(prefix: string, redisKey: string): string | undefined {
  const head = `${prefix}:{st:`;
  const tail = '}:cur';
  if (!redisKey.startsWith(head) || !redisKey.endsWith(tail)) return undefined;
  const key = redisKey.slice(head.length, -tail.length);
  return isValidName(key) && stateKeys(prefix, key).current === redisKey ? key : undefined;
}

const st = (): StateKeys => stateKeys(P, 'K');

export const stateKeyspace: KeyspaceArea = {
  feature: 'state',
  keys: [
    row('stateKeys(P, K).current', 'hash', () => st().current),
    row('stateKeys(P, K).version', 'string', () => st().version),
    row('stateKeys(P, K).history', 'list', () => st().history),
    row('stateKeys(P, K).events', 'stream', () => st().events),
    row('stateCurrentPattern(P)', 'glob', () => stateCurrentPattern(P)),
    row('stateCurrentPattern(P, NS)', 'glob', () => stateCurrentPattern(P, 'NS')),
  ],
  helpers: ['stateKeyOf'],
  backup: { component: 'state', patterns: (prefix) => [`${prefix}:{st:*`] },
};
