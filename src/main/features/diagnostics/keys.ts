import { P, row, type KeyspaceArea } from '../../redis/keyspace-area';

/** never written: the key the connection diagnosis names in its permission probes (ACL key patterns apply) */
export const diagnosticsProbeKey = (prefix: string): string => `${prefix}:diag:probe`;

export const diagnosticsKeyspace: KeyspaceArea = {
  feature: 'diagnostics',
  keys: [row('diagnosticsProbeKey(P)', 'none', () => diagnosticsProbeKey(P))],
};
