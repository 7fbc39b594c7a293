import { P, row, type KeyspaceArea } from '../../redis/keyspace-area';

export interface ConfigKeys {
  /** hash: `value` (JSON), `version`, `at`, `by` of the scope's current document */
  current: string;
  /** list, newest first, capped: every version kept (JSON), for history and rollback */
  history: string;
  /** stream, capped: one entry per change of any scope, for watchers reading from their last id */
  events: string;
}

/** All configuration shares the hash tag `{cfg}`: it is small, and a change writes the scope and the one event stream together. */
export function configKeys(prefix: string, scope: string): ConfigKeys {
  const base = `${prefix}:{cfg}`;
  return { current: `${base}:${scope}`, history: `${base}:${scope}:hist`, events: `${base}:events` };
}

/** pub/sub channel: a wake-up for watchers after each configuration change (the stream has the change) */
export const configChannel = (prefix: string): string => `${prefix}:cfg:changed`;

const cfg = (): ConfigKeys => configKeys(P, '<scope>');

export const configKeyspace: KeyspaceArea = {
  feature: 'config',
  keys: [
    row('configKeys(P, scope).current', 'hash', () => cfg().current),
    row('configKeys(P, scope).history', 'list', () => cfg().history),
    row('configKeys(P, scope).events', 'stream', () => cfg().events),
    row('configChannel(P)', 'pub/sub channel', () => configChannel(P)),
  ],
  backup: { component: 'config', patterns: (prefix) => [`${prefix}:{cfg}*`] },
};
