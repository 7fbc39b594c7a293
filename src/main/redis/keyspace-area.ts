import type { BackupComponent } from '../../shared/model/backup';

/** What a key is on the server: its Redis type, or what a builder makes that is not a stored key. */
export type KeyKind = 'string' | 'hash' | 'list' | 'set' | 'zset' | 'stream' | 'pub/sub channel' | 'glob' | 'key prefix' | 'none';

/**
 * One row of docs/keyspace.md: the builder as the doc writes it, the Redis type, and the builder
 * called with the doc's placeholders (`P` for the prefix, `N`, `<id>`, …), which yields the key
 * pattern the doc shows. test/unit/keyspace.test.ts holds the doc and the builders to these rows.
 */
export interface KeyRow {
  builder: string;
  type: KeyKind;
  key: () => string;
}

/** The keys one feature owns, declared beside its builders in `src/main/features/<feature>/keys.ts`. */
export interface KeyspaceArea {
  feature: string;
  keys: KeyRow[];
  /** Exports of the keys module that make no key (parsers, name checks, lists of other rows), by builder path. */
  helpers?: string[];
  /** The globs (SCAN MATCH) a backup limited to this component takes. */
  backup?: { component: BackupComponent; patterns: (prefix: string) => string[] };
}

/** The prefix as the doc writes it. */
export const P = 'P';

/** A doc placeholder where a builder takes a number (`<epoch minute>`), so the built pattern reads as the doc writes it. */
export const hole = (name: string): number => name as unknown as number;

export const row = (builder: string, type: KeyKind, key: () => string): KeyRow => ({ builder, type, key });
