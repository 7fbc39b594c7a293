/**
 * What a restore (or its dry run) is asked to do, checked, and the backup's records it selects,
 * as the items to write: renamed, filtered, with their TTL worked out.
 */
import { SwarmdeckError } from '../../../shared/errors';
import type { RedisClient } from '../../redis/client-options';
import { KEY_TYPES, assertPattern, globMatch, prefixPattern, type BackupRecord, type KeyType } from './format';
import { readRecords, type OpenBackup } from './reader';
import type { SourceProfile } from './writer';

export interface RestoreSelection {
  prefixes?: (string | Buffer)[];
  patterns?: string[];
  types?: KeyType[];
}

export interface RestorePlanOptions {
  root: string;
  backup: { profileId: string; id: string };
  target: RedisClient;
  targetProfile: SourceProfile;
  select?: RestoreSelection;
  conflict: 'fail' | 'skip' | 'replace';
  ttl: 'absolute' | 'remaining' | 'drop';
  /** Keys that start with `from` are written under `to` instead. */
  rewrite?: { from: string | Buffer; to: string | Buffer };
  batchSize?: number;
  /** How many keys of each kind a dry run names. */
  samples?: number;
  /**
   * Target keys a restore never writes, whatever the backup holds: the target's own history
   * (its audit stream), which a restore must add to, never roll back.
   */
  keep?: Buffer[];
  /** The target profile's key prefix, under which the restore lock lives (default `sd`). */
  keyPrefix?: string;
}

/** One record about to be written, under its target name. */
export interface Item {
  key: Buffer;
  record: BackupRecord;
  /** RESTORE's ttl argument and whether it is absolute (ABSTTL). */
  ttl: number;
  abs: boolean;
}

/** A key as a Map or Set member: byte for byte, whatever the bytes. */
export const ident = (k: Buffer): string => k.toString('latin1');

export function validate(o: RestorePlanOptions): void {
  const bad = (path: string, message: string) => new SwarmdeckError('VALIDATION', `${path}: ${message}`, { fields: [{ path, message }] });
  if (!['fail', 'skip', 'replace'].includes(o.conflict)) throw bad('conflict', 'Must be fail, skip or replace');
  if (!['absolute', 'remaining', 'drop'].includes(o.ttl)) throw bad('ttl', 'Must be absolute, remaining or drop');
  o.select?.patterns?.forEach((p, i) => assertPattern(p, `select.patterns.${i}`));
  o.select?.types?.forEach((t, i) => {
    if (!(KEY_TYPES as readonly string[]).includes(t)) throw bad(`select.types.${i}`, `Unknown type ${String(t)}`);
  });
}

/** The selection's patterns and prefixes as globs, prefixes renamed by `rename` (the backup's names by default). */
export function selectionGlobs(select: RestoreSelection | undefined, rename: (k: Buffer) => Buffer = (k) => k): Buffer[] {
  return [
    ...(select?.patterns ?? []).map((p) => Buffer.from(p, 'utf8')),
    ...(select?.prefixes ?? []).map((p) => prefixPattern(rename(Buffer.isBuffer(p) ? p : Buffer.from(p, 'utf8')))),
  ];
}

function selector(select: RestoreSelection | undefined): (r: BackupRecord) => boolean {
  const globs = selectionGlobs(select);
  const types = select?.types;
  return (r) =>
    r.type !== 'absent' &&
    (globs.length === 0 || globs.some((g) => globMatch(g, r.key))) &&
    (!types || types.length === 0 || types.includes(r.type as KeyType));
}

export function rewriter(rw: RestorePlanOptions['rewrite']): (k: Buffer) => Buffer {
  if (!rw) return (k) => k;
  const from = Buffer.isBuffer(rw.from) ? rw.from : Buffer.from(rw.from, 'utf8');
  const to = Buffer.isBuffer(rw.to) ? rw.to : Buffer.from(rw.to, 'utf8');
  return (k) => (k.subarray(0, from.length).equals(from) ? Buffer.concat([to, k.subarray(from.length)]) : k);
}

/** RESTORE's ttl for a record under the policy, or null when it has expired already. */
function ttlOf(record: BackupRecord, policy: RestorePlanOptions['ttl']): { ttl: number; abs: boolean } | null {
  if (record.expireAt === -1 || policy === 'drop') return { ttl: 0, abs: false };
  if (policy === 'absolute') return record.expireAt <= Date.now() ? null : { ttl: record.expireAt, abs: true };
  const ttl = record.expireAt - record.readAt;
  return ttl <= 0 ? null : { ttl, abs: false };
}

/** The selected records as items to write, in chunks; expired ones are counted and dropped. */
export async function* items(backup: OpenBackup, o: RestorePlanOptions, expired: { n: number }): AsyncGenerator<Item[]> {
  const pick = selector(o.select);
  const rename = rewriter(o.rewrite);
  const keep = o.keep ?? [];
  const size = o.batchSize ?? 1000;
  let chunk: Item[] = [];
  for await (const record of readRecords(backup)) {
    if (!pick(record)) continue;
    const key = rename(record.key);
    if (keep.some((k) => k.equals(key))) continue;
    const ttl = ttlOf(record, o.ttl);
    if (ttl === null) {
      expired.n += 1;
      continue;
    }
    chunk.push({ key, record, ...ttl });
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}
