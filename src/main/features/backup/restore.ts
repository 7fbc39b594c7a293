import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { SwarmdeckError } from '../../../shared/errors';
import type { RedisClient } from '../../redis/client-options';
import { isCluster, nodeHandles } from '../../redis/nodes';
import { PRIVATE_FILE } from '../../private-files';
import { samePayloadContent } from './compare';
import { BackupFileWriter, type FileRecord } from './file-writer';
import {
  KEY_TYPES,
  assertPattern,
  globMatch,
  keySlot,
  newBackupId,
  prefixPattern,
  typeOfPayload,
  type BackupRecord,
  type KeyType,
  type Manifest,
} from './format';
import { openBackup, readRecords, type OpenBackup } from './reader';
import { acceptedRdbVersion, readTopology, ready, redisVersions } from './topology';
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
}

export interface RestoreOptions extends RestorePlanOptions {
  signal?: AbortSignal;
  onProgress?: (progress: RestoreProgress) => void;
  /** Compare every written key with the backup afterwards (default true). */
  verify?: boolean;
}

export interface KindCount {
  count: number;
  samples: Buffer[];
}

export interface DryRunReport {
  selected: number;
  expired: number;
  new: KindCount;
  identical: KindCount;
  different: KindCount;
  onlyInTarget: KindCount;
}

export interface RestoreProgress {
  total: { keys: number; bytes: number; planned: number; keysPerSec: number; etaMs: number | null };
  nodes: Record<string, { keys: number; bytes: number }>;
}

export interface RestoreReport {
  status: 'completed' | 'cancelled' | 'failed';
  error?: { code: string; message: string };
  /** How many keys this run wrote. */
  writtenCount: number;
  /**
   * File naming exactly the keys this run wrote (target names, in write order; read it with
   * `readWrittenLog`). On disk rather than in the report, so a million-key restore stays small.
   */
  writtenLog: string;
  skippedExisting: number;
  skippedExpired: number;
  snapshotId: string | null;
  verification: { checked: number; mismatched: Buffer[] } | null;
  durationMs: number;
}

interface Item {
  key: Buffer;
  record: BackupRecord;
  /** RESTORE's ttl argument and whether it is absolute (ABSTTL). */
  ttl: number;
  abs: boolean;
}

const ident = (k: Buffer) => k.toString('latin1');

function validate(o: RestorePlanOptions): void {
  const bad = (path: string, message: string) => new SwarmdeckError('VALIDATION', `${path}: ${message}`, { fields: [{ path, message }] });
  if (!['fail', 'skip', 'replace'].includes(o.conflict)) throw bad('conflict', 'Must be fail, skip or replace');
  if (!['absolute', 'remaining', 'drop'].includes(o.ttl)) throw bad('ttl', 'Must be absolute, remaining or drop');
  o.select?.patterns?.forEach((p, i) => assertPattern(p, `select.patterns.${i}`));
  o.select?.types?.forEach((t, i) => {
    if (!(KEY_TYPES as readonly string[]).includes(t)) throw bad(`select.types.${i}`, `Unknown type ${String(t)}`);
  });
}

function selector(select: RestoreSelection | undefined): (r: BackupRecord) => boolean {
  const globs = [
    ...(select?.patterns ?? []).map((p) => Buffer.from(p, 'utf8')),
    ...(select?.prefixes ?? []).map((p) => prefixPattern(Buffer.isBuffer(p) ? p : Buffer.from(p, 'utf8'))),
  ];
  const types = select?.types;
  return (r) =>
    r.type !== 'absent' &&
    (globs.length === 0 || globs.some((g) => globMatch(g, r.key))) &&
    (!types || types.length === 0 || types.includes(r.type as KeyType));
}

function rewriter(rw: RestorePlanOptions['rewrite']): (k: Buffer) => Buffer {
  if (!rw) return (k) => k;
  const from = Buffer.isBuffer(rw.from) ? rw.from : Buffer.from(rw.from, 'utf8');
  const to = Buffer.isBuffer(rw.to) ? rw.to : Buffer.from(rw.to, 'utf8');
  return (k) => (k.subarray(0, from.length).equals(from) ? Buffer.concat([to, k.subarray(from.length)]) : k);
}

/** The selected records as items to write, in chunks; expired ones are counted and dropped. */
async function* items(backup: OpenBackup, o: RestorePlanOptions, expired: { n: number }): AsyncGenerator<Item[]> {
  const pick = selector(o.select);
  const rename = rewriter(o.rewrite);
  const keep = o.keep ?? [];
  const size = o.batchSize ?? 1000;
  let chunk: Item[] = [];
  for await (const record of readRecords(backup)) {
    if (!pick(record)) continue;
    if (keep.length > 0) {
      const target = rename(record.key);
      if (keep.some((k) => k.equals(target))) continue;
    }
    let ttl = 0;
    let abs = false;
    if (record.expireAt !== -1 && o.ttl !== 'drop') {
      const now = Date.now();
      if (o.ttl === 'absolute') {
        if (record.expireAt <= now) {
          expired.n += 1;
          continue;
        }
        ttl = record.expireAt;
        abs = true;
      } else {
        ttl = record.expireAt - record.readAt;
        if (ttl <= 0) {
          expired.n += 1;
          continue;
        }
      }
    }
    chunk.push({ key: rename(record.key), record, ttl, abs });
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Routes keys to the node that owns their slot, since one pipeline must stay on one node. */
class Router {
  private readonly byAddress: Map<string, Redis>;
  constructor(private readonly client: RedisClient) {
    this.byAddress = new Map(nodeHandles(client, 'master').map((h) => [h.address, h.client]));
  }

  group<T extends { key: Buffer }>(list: T[]): Map<string, T[]> {
    const out = new Map<string, T[]>();
    const client = this.client;
    for (const it of list) {
      let address: string;
      if (isCluster(client)) {
        const owner = client.slots[keySlot(it.key)]?.[0];
        if (owner === undefined) throw new SwarmdeckError('CLUSTER_FAILED', `No node serves the slot of a key being restored`);
        address = owner;
      } else address = [...this.byAddress.keys()][0] as string;
      const g = out.get(address) ?? [];
      g.push(it);
      out.set(address, g);
    }
    return out;
  }

  node(address: string): Redis {
    const n = this.byAddress.get(address);
    if (!n) throw new SwarmdeckError('CLUSTER_FAILED', `The node ${address} is not among the known masters`);
    return n;
  }
}

interface TargetState {
  payload: Buffer | null;
  expireAt: number;
}

/** DUMP and absolute expiry of the target keys, grouped per node, in the order of `list`. */
async function readTarget(router: Router, list: { key: Buffer }[], pexpiretime: boolean): Promise<Map<string, TargetState>> {
  const out = new Map<string, TargetState>();
  await Promise.all(
    [...router.group(list)].map(async ([address, group]) => {
      const p = router.node(address).pipeline();
      for (const it of group) {
        p.dumpBuffer(it.key);
        if (pexpiretime) p.call('PEXPIRETIME', it.key);
        else p.pttl(it.key);
      }
      const replies = (await p.exec()) ?? [];
      const now = Date.now();
      group.forEach((it, i) => {
        const [e1, payload] = replies[2 * i] ?? [new Error('missing reply'), null];
        const [e2, t] = replies[2 * i + 1] ?? [new Error('missing reply'), null];
        if (e1 ?? e2) throw e1 ?? e2;
        const ttl = Number(t);
        out.set(ident(it.key), { payload: (payload as Buffer | null) ?? null, expireAt: ttl < 0 ? -1 : pexpiretime ? ttl : now + ttl });
      });
    }),
  );
  return out;
}

/** Runs `fn` on each chunk with at most `limit` running; the first failure stops the feed and is thrown. */
async function boundedEach<T>(source: AsyncIterable<T>, limit: number, fn: (value: T) => Promise<void>): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: unknown;
  let failed = false;
  for await (const value of source) {
    if (failed) break;
    while (running.size >= limit) await Promise.race(running);
    const job: Promise<void> = fn(value).then(
      () => void running.delete(job),
      (error: unknown) => {
        running.delete(job);
        if (!failed) [failed, failure] = [true, error];
      },
    );
    running.add(job);
  }
  await Promise.all(running);
  if (failed) throw failure;
}

/** Which of the keys exist in the target: one small reply per key, for the common empty target. */
async function existing(router: Router, list: { key: Buffer }[]): Promise<Set<string>> {
  const out = new Set<string>();
  await Promise.all(
    [...router.group(list)].map(async ([address, group]) => {
      const p = router.node(address).pipeline();
      for (const it of group) p.exists(it.key);
      const replies = (await p.exec()) ?? [];
      group.forEach((it, i) => {
        const [err, n] = replies[i] ?? [new Error('missing reply'), 0];
        if (err) throw err;
        if (Number(n) > 0) out.add(ident(it.key));
      });
    }),
  );
  return out;
}

async function targetUsesPexpiretime(target: RedisClient): Promise<{ pexpiretime: boolean; rdb: number }> {
  const t = await readTopology(target);
  const rdb = acceptedRdbVersion(t);
  return { pexpiretime: rdb >= 10, rdb };
}

async function checkTarget(backup: OpenBackup, target: RedisClient): Promise<{ pexpiretime: boolean }> {
  await ready(target);
  const t = await targetUsesPexpiretime(target);
  if (backup.manifest.rdbVersion !== null && backup.manifest.rdbVersion > t.rdb) {
    throw new SwarmdeckError(
      'VALIDATION',
      `The backup's payloads are RDB version ${backup.manifest.rdbVersion}; the target accepts up to ${t.rdb}`,
      { reason: 'rdb-version' },
    );
  }
  return t;
}

const sample = (k: KindCount, key: Buffer, max: number) => {
  k.count += 1;
  if (k.samples.length < max) k.samples.push(key);
};

/**
 * What a restore would do, computed against the target without writing: new, identical,
 * different (by content where DUMP bytes may differ), and target keys in scope that the
 * backup does not hold. Reading the whole file first also refuses a damaged one.
 */
export async function dryRunRestore(o: RestorePlanOptions): Promise<DryRunReport> {
  validate(o);
  const backup = await openBackup(o.root, o.backup.profileId, o.backup.id);
  const { pexpiretime } = await checkTarget(backup, o.target);
  const router = new Router(o.target);
  const max = o.samples ?? 10;
  const expired = { n: 0 };
  const report: DryRunReport = {
    selected: 0,
    expired: 0,
    new: { count: 0, samples: [] },
    identical: { count: 0, samples: [] },
    different: { count: 0, samples: [] },
    onlyInTarget: { count: 0, samples: [] },
  };
  const inBackup = new Set<string>();
  for await (const chunk of items(backup, o, expired)) {
    const state = await readTarget(router, chunk, pexpiretime);
    for (const it of chunk) {
      inBackup.add(ident(it.key));
      report.selected += 1;
      const cur = state.get(ident(it.key))?.payload ?? null;
      if (cur === null) sample(report.new, it.key, max);
      else if (samePayloadContent(cur, it.record.payload)) sample(report.identical, it.key, max);
      else sample(report.different, it.key, max);
    }
  }
  report.expired = expired.n;
  report.selected += expired.n;
  await scanTargetScope(o, (key) => {
    if (!inBackup.has(ident(key))) sample(report.onlyInTarget, key, max);
  });
  return report;
}

/** Every target key in the selection's scope (prefixes rewritten, types checked). */
async function scanTargetScope(o: RestorePlanOptions, visit: (key: Buffer) => void): Promise<void> {
  const rename = rewriter(o.rewrite);
  const globs = [
    ...(o.select?.patterns ?? []).map((p) => Buffer.from(p, 'utf8')),
    ...(o.select?.prefixes ?? []).map((p) => prefixPattern(rename(Buffer.isBuffer(p) ? p : Buffer.from(p, 'utf8')))),
  ];
  const types = o.select?.types ?? [];
  for (const h of nodeHandles(o.target, 'master')) {
    let cursor = '0';
    do {
      const [next, keys] = await h.client.scanBuffer(cursor, 'COUNT', 1000);
      cursor = next.toString();
      const inScope = keys.filter((k) => globs.length === 0 || globs.some((g) => globMatch(g, k)));
      let typed = inScope;
      if (types.length > 0 && inScope.length > 0) {
        const p = h.client.pipeline();
        inScope.forEach((k) => p.type(k));
        const t = (await p.exec()) ?? [];
        typed = inScope.filter((_, i) => types.includes(String(t[i]?.[1]) as KeyType));
      }
      typed.forEach(visit);
    } while (cursor !== '0');
  }
}

/**
 * Restores a backup into `target`. Before the first write it reads the whole file (a damaged
 * one is refused), applies the conflict policy and saves a safety snapshot of every target key
 * it will overwrite plus the names of the keys it will create, so `undoRestore` can put the
 * target back. Cancelled or failed runs return a report naming exactly the keys written.
 */
export async function restoreBackup(o: RestoreOptions): Promise<RestoreReport> {
  validate(o);
  const started = Date.now();
  const backup = await openBackup(o.root, o.backup.profileId, o.backup.id);
  const { pexpiretime } = await checkTarget(backup, o.target);
  let router = new Router(o.target);

  // Pass 1: the snapshot. Nothing is written to the target until it is finished on disk.
  const snapshotAt = Date.now();
  const snapshotId = newBackupId(new Date(snapshotAt));
  const snap = new BackupFileWriter(o.root, o.targetProfile.id, snapshotId, 'safety-snapshot', new Date(snapshotAt).toISOString());
  let planned = 0;
  let existingCount = 0;
  try {
    await snap.shard(0, 'target');
    const expired0 = { n: 0 };
    const snapshotChunk = async (chunk: Item[]) => {
      const present = await existing(router, chunk);
      // Only values about to be replaced are read in full; absent keys are noted by name.
      const state =
        o.conflict === 'replace' && present.size > 0
          ? await readTarget(
              router,
              chunk.filter((it) => present.has(ident(it.key))),
              pexpiretime,
            )
          : new Map<string, TargetState>();
      const records: FileRecord[] = [];
      for (const it of chunk) {
        planned += 1;
        if (!present.has(ident(it.key))) {
          records.push({ key: it.key, type: 'absent', expireAt: -1, payload: Buffer.alloc(0) });
          continue;
        }
        existingCount += 1;
        const cur = state.get(ident(it.key));
        // A key that vanished between EXISTS and DUMP is absent for undo's purposes.
        if (o.conflict === 'replace')
          records.push(
            cur?.payload
              ? { key: it.key, type: typeOfPayload(cur.payload), expireAt: cur.expireAt, payload: cur.payload }
              : { key: it.key, type: 'absent', expireAt: -1, payload: Buffer.alloc(0) },
          );
      }
      await snap.batch(0, Date.now(), records);
    };
    await boundedEach(items(backup, o, expired0), 4, snapshotChunk);
    if (o.conflict === 'fail' && existingCount > 0) {
      throw new SwarmdeckError('CONFLICT', `${existingCount} of the keys to restore already exist in the target; nothing was written`, {
        existing: existingCount,
      });
    }
    const topo = await readTopology(o.target);
    await snap.finish((file) => snapshotManifest(snapshotId, snapshotAt, o, topo, snap, file, backup.manifest));
  } catch (error) {
    await snap.abort();
    throw error;
  }

  // Pass 2: the writes, batch by batch, per node, a bounded number of batches in flight.
  const writtenLog = join(snap.paths.dir, `${snapshotId}${WRITTEN_SUFFIX}`);
  const log = createWriteStream(writtenLog, { mode: PRIVATE_FILE });
  const report: RestoreReport = {
    status: 'completed',
    writtenCount: 0,
    writtenLog,
    skippedExisting: 0,
    skippedExpired: 0,
    snapshotId,
    verification: null,
    durationMs: 0,
  };
  // Keys the target refused as existing: few in practice, and all verification must leave out.
  const refused = new Set<string>();
  const nodes: RestoreProgress['nodes'] = {};
  let doneKeys = 0;
  let doneBytes = 0;
  const progress = () => {
    const secs = Math.max(0.001, (Date.now() - writeStart) / 1000);
    const rate = doneKeys / secs;
    o.onProgress?.({
      total: {
        keys: doneKeys,
        bytes: doneBytes,
        planned,
        keysPerSec: Math.round(rate),
        etaMs: rate > 0 ? Math.round(((planned - doneKeys) / rate) * 1000) : null,
      },
      nodes: structuredClone(nodes),
    });
  };
  const writeStart = Date.now();
  const inFlight = new Set<Promise<void>>();
  let failure: Error | undefined;
  const writeChunk = async (chunk: Item[]) => {
    await Promise.all(
      [...router.group(chunk)].map(async ([address, group]) => {
        const p = router.node(address).pipeline();
        for (const it of group) {
          const args: (string | number | Buffer)[] = [it.key, it.ttl, it.record.payload];
          if (o.conflict === 'replace') args.push('REPLACE');
          if (it.abs) args.push('ABSTTL');
          p.call('RESTORE', ...args);
        }
        const replies = (await p.exec()) ?? [];
        let firstError: Error | null = null;
        group.forEach((it, i) => {
          const err = replies[i]?.[0] ?? null;
          if (err === null) {
            const len = Buffer.allocUnsafe(4);
            len.writeUInt32BE(it.key.length, 0);
            log.write(len);
            log.write(it.key);
            report.writtenCount += 1;
            const n = (nodes[address] ??= { keys: 0, bytes: 0 });
            n.keys += 1;
            n.bytes += it.record.payload.length;
            doneKeys += 1;
            doneBytes += it.record.payload.length;
          } else if (/^BUSYKEY/.test(err.message) && o.conflict !== 'replace') {
            report.skippedExisting += 1;
            refused.add(ident(it.key));
          } else firstError ??= err;
        });
        if (firstError) throw firstError;
      }),
    );
    if (log.writableNeedDrain) await once(log, 'drain');
    progress();
  };
  const expired = { n: 0 };
  try {
    for await (const chunk of items(backup, o, expired)) {
      if (o.signal?.aborted || failure) break;
      while (inFlight.size >= 4) await Promise.race(inFlight);
      const job: Promise<void> = writeChunk(chunk).then(
        () => void inFlight.delete(job),
        (e: Error) => {
          inFlight.delete(job);
          failure ??= e;
        },
      );
      inFlight.add(job);
    }
  } catch (error) {
    failure ??= error as Error;
  }
  await Promise.all(inFlight);
  await new Promise<void>((resolve, reject) => log.end((e?: Error | null) => (e ? reject(e) : resolve())));
  report.skippedExpired = expired.n;
  if (failure) {
    const e = failure instanceof SwarmdeckError ? failure : new SwarmdeckError('REDIS_ERROR', failure.message);
    report.status = 'failed';
    report.error = { code: e.code, message: e.message };
  } else if (o.signal?.aborted) report.status = 'cancelled';
  else if (o.verify !== false) {
    router = new Router(o.target);
    report.verification = await verifyWritten(backup, o, router, pexpiretime, refused);
  }
  report.durationMs = Date.now() - started;
  return report;
}

function snapshotManifest(
  id: string,
  at: number,
  o: RestorePlanOptions,
  topo: Awaited<ReturnType<typeof readTopology>>,
  snap: BackupFileWriter,
  file: Manifest['file'],
  source: Manifest,
): Manifest {
  return {
    format: 'swarmdeck-backup',
    formatVersion: 1,
    kind: 'safety-snapshot',
    id,
    createdAt: new Date(at).toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - at,
    source: {
      profileId: o.targetProfile.id,
      profileName: o.targetProfile.name,
      environment: o.targetProfile.environment,
      topology: topo.kind,
    },
    redisVersions: redisVersions(topo),
    rdbVersion: source.rdbVersion,
    topology: topo,
    scope: { kind: 'all' },
    counts: {
      keys: snap.recordCount,
      payloadBytes: snap.payloadTotal,
      skippedVanished: 0,
      byType: snap.byType,
      byShard: [{ index: 0, address: 'target', keys: snap.recordCount, bytes: snap.payloadTotal, skippedVanished: 0 }],
    },
    file,
    snapshotOf: { backupId: o.backup.id, backupProfileId: o.backup.profileId },
  };
}

/** Restored keys against the backup: same value (bytes or content) and the expected expiry. */
async function verifyWritten(
  backup: OpenBackup,
  o: RestorePlanOptions,
  router: Router,
  pexpiretime: boolean,
  refused: Set<string>,
): Promise<{ checked: number; mismatched: Buffer[] }> {
  const out = { checked: 0, mismatched: [] as Buffer[] };
  for await (const chunk of items(backup, o, { n: 0 })) {
    const mine = chunk.filter((it) => !refused.has(ident(it.key)));
    const state = await readTarget(router, mine, pexpiretime);
    for (const it of mine) {
      out.checked += 1;
      const cur = state.get(ident(it.key)) as TargetState;
      const sameValue = cur.payload !== null && samePayloadContent(cur.payload, it.record.payload);
      const expiryOk = it.ttl === 0 ? cur.expireAt === -1 : it.abs ? cur.expireAt === it.ttl : cur.expireAt > 0;
      if (!sameValue || !expiryOk) out.mismatched.push(it.key);
    }
  }
  return out;
}

const WRITTEN_SUFFIX = '.written';

/** The keys a restore wrote, from its `writtenLog`, one at a time. */
export async function* readWrittenLog(path: string): AsyncGenerator<Buffer> {
  const data = createReadStream(path);
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of data as AsyncIterable<Buffer>) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let at = 0;
    while (pending.length - at >= 4 && pending.length - at >= 4 + pending.readUInt32BE(at)) {
      const len = pending.readUInt32BE(at);
      yield Buffer.from(pending.subarray(at + 4, at + 4 + len));
      at += 4 + len;
    }
    pending = pending.subarray(at);
  }
  if (pending.length > 0)
    throw new SwarmdeckError('VALIDATION', `The written-keys log ${path} ends inside a record`, { reason: 'truncated' });
}

export interface UndoReport {
  restored: number;
  deleted: number;
}

/** Puts back what a restore overwrote (byte for byte, with its expiry) and deletes what it created. */
export async function undoRestore(
  root: string,
  target: RedisClient,
  targetProfile: SourceProfile,
  snapshotId: string,
): Promise<UndoReport> {
  const snap = await openBackup(root, targetProfile.id, snapshotId);
  if (snap.manifest.kind !== 'safety-snapshot')
    throw new SwarmdeckError('VALIDATION', `${snapshotId} is a backup, not a safety snapshot`, { reason: 'not-a-snapshot' });
  await ready(target);
  const router = new Router(target);
  const out: UndoReport = { restored: 0, deleted: 0 };
  let chunk: BackupRecord[] = [];
  const flush = async () => {
    await Promise.all(
      [...router.group(chunk)].map(async ([address, group]) => {
        const p = router.node(address).pipeline();
        for (const r of group) {
          if (r.type === 'absent') p.del(r.key);
          else if (r.expireAt === -1) p.call('RESTORE', r.key, 0, r.payload, 'REPLACE');
          else p.call('RESTORE', r.key, r.expireAt, r.payload, 'REPLACE', 'ABSTTL');
        }
        const replies = (await p.exec()) ?? [];
        const err = replies.find((x) => x[0])?.[0];
        if (err) throw new SwarmdeckError('REDIS_ERROR', `Undo failed on ${address}: ${err.message}`);
        for (const r of group) {
          if (r.type === 'absent') out.deleted += 1;
          else out.restored += 1;
        }
      }),
    );
    chunk = [];
  };
  // With the restore's log of written keys, undo deletes exactly the keys the restore wrote
  // that had no previous value; a key someone else created meanwhile is left alone. Without
  // it (the restore crashed before closing it), the snapshot's `absent` names stand in.
  const logPath = join(snap.paths.dir, `${snapshotId}${WRITTEN_SUFFIX}`);
  const hasLog = existsSync(logPath);
  const previous = new Set<string>();
  // The snapshot is checked through before the first write, like any restore.
  for await (const r of readRecords(snap)) if (hasLog && r.type !== 'absent') previous.add(ident(r.key));
  for await (const r of readRecords(snap)) {
    if (hasLog && r.type === 'absent') continue;
    chunk.push(r);
    if (chunk.length >= 1000) await flush();
  }
  if (hasLog) {
    for await (const key of readWrittenLog(logPath)) {
      if (previous.has(ident(key))) continue;
      chunk.push({ key, type: 'absent', expireAt: -1, payload: Buffer.alloc(0), readAt: 0, shard: 0 });
      if (chunk.length >= 1000) await flush();
    }
  }
  if (chunk.length > 0) await flush();
  return out;
}
