/**
 * The one keyspace, composed from the key builders each feature keeps in its own
 * `src/main/features/<feature>/keys.ts` (lint rule `swarmdeck/no-key-literals` fails on a key
 * built anywhere else). Every key of ours carries the profile's prefix; the keys one script
 * touches together share a hash tag (`{q:<name>}`, `{s:<id>}`, …), so they live in one slot on
 * Redis Cluster. Each keys.ts also declares its keys as rows (`KeyspaceArea`); from those rows
 * come the lint rule's hash tags (eslint-rules/keyspace.generated.json, by
 * `npx tsx scripts/build-keyspace.ts`) and the check of docs/keyspace.md
 * (test/unit/keyspace.test.ts).
 */
import { BACKUP_COMPONENTS, type BackupComponent } from '../../shared/model/backup';
import { auditKeyspace } from '../features/audit/keys';
import { backupKeyspace } from '../features/backup/keys';
import { configKeyspace } from '../features/config/keys';
import { diagnosticsKeyspace } from '../features/diagnostics/keys';
import { locksKeyspace } from '../features/locks/keys';
import { memoryKeyspace } from '../features/memory/keys';
import { messagingKeyspace } from '../features/messaging/keys';
import { metricsKeyspace } from '../features/metrics/keys';
import { queuesKeyspace } from '../features/queues/keys';
import { stateKeyspace } from '../features/state/keys';
import { swarmsKeyspace } from '../features/swarms/keys';
import type { KeyKind, KeyspaceArea } from './keyspace-area';

export { isValidName } from './key-name';
export * from '../features/audit/keys';
export * from '../features/backup/keys';
export * from '../features/config/keys';
export * from '../features/diagnostics/keys';
export * from '../features/locks/keys';
export * from '../features/memory/keys';
export * from '../features/messaging/keys';
export * from '../features/metrics/keys';
export * from '../features/queues/keys';
export * from '../features/state/keys';
export * from '../features/swarms/keys';

/** Every feature that owns keys: a new one adds its line here. */
export const KEYSPACE: readonly KeyspaceArea[] = [
  queuesKeyspace,
  swarmsKeyspace,
  auditKeyspace,
  diagnosticsKeyspace,
  metricsKeyspace,
  locksKeyspace,
  stateKeyspace,
  memoryKeyspace,
  configKeyspace,
  messagingKeyspace,
  backupKeyspace,
];

function backupOf(component: BackupComponent): NonNullable<KeyspaceArea['backup']> {
  const owners = KEYSPACE.flatMap((area) => (area.backup?.component === component ? [area.backup] : []));
  if (owners.length !== 1) throw new Error(`Backup component ${component} must be declared by exactly one feature's keys.ts`);
  return owners[0] as NonNullable<KeyspaceArea['backup']>;
}

/** globs (SCAN MATCH) of every key of each part of Swarmdeck's keyspace, for a backup limited to components */
export function componentPatterns(prefix: string): Record<BackupComponent, string[]> {
  return Object.fromEntries(BACKUP_COMPONENTS.map((c) => [c, backupOf(c).patterns(prefix)])) as Record<BackupComponent, string[]>;
}

/** The hash tags a key pattern carries, as a literal of them opens: `{q:`, `{cfg}`. */
export const hashTagsOf = (key: string): string[] => key.match(/\{[^{}:*]*[:}]/g) ?? [];

export interface KeyspaceDescription {
  /** Every hash tag of the keyspace, sorted: the lint rule refuses a literal of each outside the keys modules. */
  tags: string[];
  areas: {
    feature: string;
    tags: string[];
    keys: { key: string; builder: string; type: KeyKind }[];
    helpers: string[];
    backup?: { component: BackupComponent; patterns: string[] };
  }[];
}

/** The keyspace as plain data (the key patterns built with the doc's placeholders, prefix `P`). */
export function describeKeyspace(): KeyspaceDescription {
  const areas = KEYSPACE.map((area) => {
    const keys = area.keys.map((r) => ({ key: r.key(), builder: r.builder, type: r.type }));
    const backup = area.backup && { component: area.backup.component, patterns: area.backup.patterns('P') };
    const tags = [...new Set([...keys.map((k) => k.key), ...(backup?.patterns ?? [])].flatMap(hashTagsOf))].sort();
    return { feature: area.feature, tags, keys, helpers: area.helpers ?? [], ...(backup ? { backup } : {}) };
  });
  return { tags: [...new Set(areas.flatMap((a) => a.tags))].sort(), areas };
}
