import { P, row, type KeyspaceArea } from '../../redis/keyspace-area';

/** stream: operator actions (who did what to which object), capped */
export const auditKey = (prefix: string): string => `${prefix}:audit`;

export const auditKeyspace: KeyspaceArea = {
  feature: 'audit',
  keys: [row('auditKey(P)', 'stream', () => auditKey(P))],
  backup: { component: 'audit', patterns: (prefix) => [auditKey(prefix)] },
};
