import type { Redis } from 'ioredis';
import { SwarmdeckError } from '../../../shared/errors';
import type { Environment } from '../../../shared/model/profile';
import type { RedisClient } from '../../redis/client-options';
import { swarmKeys } from '../../redis/keyspace';
import { isCluster, nodeHandles } from '../../redis/nodes';
import { decodeReply, withScripts, type ScriptOutcome } from '../../redis/script-registry';
import { BackupFileWriter, type FileRecord } from './file-writer';
import {
  assertPattern,
  assertProfileId,
  globMatch,
  keySlot,
  newBackupId,
  prefixPattern,
  rdbVersionOfPayload,
  typeOfPayload,
  type Manifest,
  type ManifestScope,
  type ShardSummary,
} from './format';
import { LUA } from './lua/sources.generated';
import { acceptedRdbVersion, assertSameTopology, isRedirect, readTopology, redisVersions } from './topology';

export interface SourceProfile {
  id: string;
  name: string;
  environment: Environment;
}

export type BackupScope =
  | { kind: 'all' }
  | { kind: 'patterns'; patterns: string[] }
  | { kind: 'prefixes'; prefixes: (string | Buffer)[] }
  /** Every key of one swarm, read by one script at one instant (its keys share a hash slot). */
  | { kind: 'swarm'; prefix: string; swarmId: string };

/** What one swarm snapshot may hold: one script reads it all, and Redis serves nobody else meanwhile. */
export interface SwarmSnapshotLimits {
  keys: number;
  bytes: number;
}

export const SWARM_SNAPSHOT_LIMITS: SwarmSnapshotLimits = { keys: 20_000, bytes: 256 * 1024 * 1024 };

export interface BackupProgress {
  keys: number;
  payloadBytes: number;
  skippedVanished: number;
  shards: ShardSummary[];
}

export interface BackupOptions {
  /** Backups root: one folder per profile id below it. */
  root: string;
  scope?: BackupScope;
  /** SCAN COUNT per call. */
  scanCount?: number;
  /** DUMP pipelines in flight per master. */
  maxInFlight?: number;
  /** Payload bytes a batch aims at, so a run of big keys shrinks the batches. */
  batchBytes?: number;
  /** Swarm scope only (default SWARM_SNAPSHOT_LIMITS). */
  swarmLimits?: SwarmSnapshotLimits;
  signal?: AbortSignal;
  onProgress?: (progress: BackupProgress) => void;
}

export interface BackupResult {
  id: string;
  dataPath: string;
  manifestPath: string;
  manifest: Manifest;
}

/** The SCAN MATCH patterns of a scope, as bytes; null means every key. */
export function scopePatterns(scope: BackupScope): Buffer[] | null {
  if (scope.kind === 'all') return null;
  if (scope.kind === 'swarm') return [prefixPattern(Buffer.from(swarmKeys(scope.prefix, scope.swarmId).base, 'utf8'))];
  if (scope.kind === 'patterns') {
    if (scope.patterns.length === 0)
      throw new SwarmdeckError('VALIDATION', 'Give at least one key pattern', { fields: [{ path: 'scope.patterns', message: 'Empty' }] });
    scope.patterns.forEach((p, i) => assertPattern(p, `scope.patterns.${i}`));
    return scope.patterns.map((p) => Buffer.from(p, 'utf8'));
  }
  if (scope.prefixes.length === 0)
    throw new SwarmdeckError('VALIDATION', 'Give at least one key prefix', { fields: [{ path: 'scope.prefixes', message: 'Empty' }] });
  return scope.prefixes.map((p) => prefixPattern(Buffer.isBuffer(p) ? p : Buffer.from(p, 'utf8')));
}

function manifestScope(scope: BackupScope): ManifestScope {
  // A swarm snapshot reads as the prefix of its keys, so restore selects and verifies it like any prefix backup.
  if (scope.kind === 'swarm')
    return { kind: 'prefixes', prefixes: [{ encoding: 'utf8', value: swarmKeys(scope.prefix, scope.swarmId).base }] };
  if (scope.kind !== 'prefixes') return scope;
  return {
    kind: 'prefixes',
    prefixes: scope.prefixes.map((p) => {
      const b = Buffer.isBuffer(p) ? p : Buffer.from(p, 'utf8');
      const utf8 = b.toString('utf8');
      return Buffer.from(utf8, 'utf8').equals(b)
        ? { encoding: 'utf8' as const, value: utf8 }
        : { encoding: 'hex' as const, value: b.toString('hex') };
    }),
  };
}

interface Shared {
  file: BackupFileWriter;
  pexpiretime: boolean;
  scanCount: number;
  maxInFlight: number;
  batchBytes: number;
  signal?: AbortSignal;
  failed: boolean;
  rdbVersion: number | null;
  progress: () => void;
}

function aborted(): SwarmdeckError {
  return new SwarmdeckError('CONFLICT', 'The backup was cancelled', { reason: 'cancelled' });
}

/** A node that errors mid-run is a failover in progress or a dead master: never a skipped shard. */
function nodeFailure(address: string, error: Error): SwarmdeckError {
  if (error instanceof SwarmdeckError) return error;
  const code = isRedirect(error)
    ? 'CLUSTER_FAILED'
    : /closed|ECONNRESET|ECONNREFUSED|ended|LOADING|READONLY/i.test(error.message)
      ? 'CLUSTER_FAILED'
      : 'REDIS_ERROR';
  return new SwarmdeckError(code, `Backup failed on ${address}: ${error.message}`, { node: address });
}

/** DUMP and the absolute expiry of one batch, in one pipeline; vanished keys are counted, not written. */
async function readBatch(node: Redis, keys: Buffer[], s: Shared, shard: ShardSummary): Promise<void> {
  const p = node.pipeline();
  for (const k of keys) {
    p.dumpBuffer(k);
    if (s.pexpiretime) p.call('PEXPIRETIME', k);
    else p.pttl(k);
  }
  const replies = (await p.exec()) ?? [];
  const readAt = Date.now();
  const records: FileRecord[] = [];
  let bytes = 0;
  for (let i = 0; i < keys.length; i += 1) {
    const [dumpErr, payload] = replies[2 * i] ?? [new Error('missing reply'), null];
    const [ttlErr, ttl] = replies[2 * i + 1] ?? [new Error('missing reply'), null];
    const err = dumpErr ?? ttlErr;
    if (err) throw err;
    const t = Number(ttl);
    if (payload === null || t === -2) {
      shard.skippedVanished += 1;
      continue;
    }
    const buf = payload as Buffer;
    const expireAt = t === -1 ? -1 : s.pexpiretime ? t : readAt + t;
    records.push({ key: keys[i] as Buffer, type: typeOfPayload(buf), expireAt, payload: buf });
    bytes += buf.length;
    const v = rdbVersionOfPayload(buf);
    if (s.rdbVersion === null || v > s.rdbVersion) s.rdbVersion = v;
  }
  await s.file.batch(shard.index, readAt, records);
  shard.keys += records.length;
  shard.bytes += bytes;
  s.progress();
}

/**
 * One SCAN cursor over one master. The next SCAN is already on the wire while the DUMP
 * pipelines of the keys before it run, and at most `maxInFlight` pipelines are outstanding,
 * so memory is bounded by batches, never by the size of the keyspace.
 */
async function backupNode(node: Redis, patterns: Buffer[] | null, s: Shared, shard: ShardSummary): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let firstError: Error | undefined;
  let batchKeys = 1000;
  const launch = (keys: Buffer[]) => {
    const job = readBatch(node, keys, s, shard).then(
      () => {
        inFlight.delete(job);
        const avg = shard.keys > 0 ? shard.bytes / shard.keys : 0;
        batchKeys = avg > 0 ? Math.max(8, Math.min(1000, Math.floor(s.batchBytes / avg))) : 1000;
      },
      (error: Error) => {
        inFlight.delete(job);
        firstError ??= error;
        s.failed = true;
      },
    );
    inFlight.add(job);
  };
  const scan = (cursor: string, pattern: Buffer | null) => {
    // callBuffer, because ioredis would send a string pattern as UTF-8 and mangle binary prefixes.
    const call = (
      pattern ? node.callBuffer('SCAN', cursor, 'MATCH', pattern, 'COUNT', s.scanCount) : node.scanBuffer(cursor, 'COUNT', s.scanCount)
    ) as Promise<[Buffer, Buffer[]]>;
    call.catch(() => undefined);
    return call;
  };
  const list = patterns ?? [null];
  for (let pi = 0; pi < list.length; pi += 1) {
    const pattern = list[pi] ?? null;
    let pending = scan('0', pattern);
    for (;;) {
      if (s.signal?.aborted) throw aborted();
      if (s.failed) break;
      const [cursorBuf, found] = await pending;
      const cursor = cursorBuf.toString();
      if (cursor !== '0') pending = scan(cursor, pattern);
      // With several patterns a key is taken by the first one that matches it, never twice.
      const keys = pi === 0 ? found : found.filter((k) => !list.slice(0, pi).some((earlier) => earlier !== null && globMatch(earlier, k)));
      for (let i = 0; i < keys.length; i += batchKeys) {
        while (inFlight.size >= s.maxInFlight) await Promise.race(inFlight);
        launch(keys.slice(i, i + batchKeys));
      }
      if (cursor === '0') break;
    }
  }
  await Promise.all(inFlight);
  if (firstError) throw firstError;
  if (s.signal?.aborted) throw aborted();
}

type SnapshotFn = (...args: (string | number)[]) => Promise<Buffer[] | number[]>;

/**
 * The swarm's keys as one batch from one script on the master that owns its slot, so the
 * copy is of one instant. Records are those of the SCAN path: same frame, type, expireAt.
 */
async function snapshotSwarm(
  client: RedisClient,
  masters: ReturnType<typeof nodeHandles>,
  scope: { prefix: string; swarmId: string },
  limits: SwarmSnapshotLimits,
  s: Shared,
  shards: ShardSummary[],
): Promise<void> {
  const k = swarmKeys(scope.prefix, scope.swarmId);
  const fixed = [k.swarm, k.agents, k.heartbeats, k.events, k.leader, k.proposals, k.open, k.messages];
  const owner = isCluster(client) ? client.slots[keySlot(Buffer.from(k.swarm, 'utf8'))]?.[0] : masters[0]?.address;
  const index = masters.findIndex((m) => m.address === owner);
  const master = masters[index];
  const shard = shards[index];
  if (!master || !shard)
    throw new SwarmdeckError('CLUSTER_FAILED', `No master owns the slot of swarm ${scope.swarmId}`, { node: owner ?? '' });
  if (s.signal?.aborted) throw aborted();
  const node = withScripts(master.client, { sdBackupSwarmSnapshot: LUA['swarm-snapshot'] }) as unknown as Record<
    'sdBackupSwarmSnapshotBuffer',
    SnapshotFn
  >;
  let outcome: ScriptOutcome;
  try {
    outcome = decodeReply(await node.sdBackupSwarmSnapshotBuffer(fixed.length, ...fixed, k.base, limits.keys, limits.bytes));
  } catch (error) {
    throw nodeFailure(master.address, error as Error);
  }
  if (!outcome.applied) {
    const m = outcome.detail.map(String);
    const what =
      m[0] === 'keys'
        ? `more than ${m[1]} keys (at least ${m[2]})`
        : `more than ${m[1]} bytes of DUMP payload (${m[2]} read before it stopped)`;
    throw new SwarmdeckError(
      'CONFLICT',
      `Swarm ${scope.swarmId} holds ${what}: a point-in-time snapshot reads it all in one script, which would block Redis that long; back it up by prefix instead`,
      {
        reason: 'too-large',
        limit: m[0] as string,
        max: Number(m[1]),
        seen: Number(m[2]),
      },
    );
  }
  const reply = outcome.reply as (Buffer | number)[];
  const readAt = Date.now();
  const serverNow = Number(reply[0]);
  const records: FileRecord[] = [];
  let bytes = 0;
  for (let i = 1; i + 2 < reply.length; i += 3) {
    const key = reply[i] as Buffer;
    const pttl = Number(reply[i + 1]);
    const payload = reply[i + 2] as Buffer;
    // The script's clock and the PTTL are of one instant: their sum is PEXPIRETIME, as the SCAN path writes on Redis 7.
    records.push({ key, type: typeOfPayload(payload), expireAt: pttl < 0 ? -1 : serverNow + pttl, payload });
    bytes += payload.length;
    const v = rdbVersionOfPayload(payload);
    if (s.rdbVersion === null || v > s.rdbVersion) s.rdbVersion = v;
  }
  if (records.length > 0) await s.file.batch(shard.index, readAt, records);
  shard.keys += records.length;
  shard.bytes += bytes;
  s.progress();
}

/**
 * Writes a backup of `client` under `<root>/<profile.id>/`. It either completes with a
 * verified topology and a manifest, or throws a SwarmdeckError and leaves no file.
 */
export async function createBackup(client: RedisClient, profile: SourceProfile, options: BackupOptions): Promise<BackupResult> {
  assertProfileId(profile.id);
  const scope = options.scope ?? { kind: 'all' };
  const patterns = scopePatterns(scope);
  const started = Date.now();
  const createdAt = new Date(started).toISOString();
  const before = await readTopology(client);
  const id = newBackupId(new Date(started));
  const file = await BackupFileWriter.create(options.root, profile.id, id, 'backup', createdAt);
  const versions = redisVersions(before);
  const masters = nodeHandles(client, 'master');
  const shards: ShardSummary[] = masters.map((m, index) => ({ index, address: m.address, keys: 0, bytes: 0, skippedVanished: 0 }));
  const s: Shared = {
    file,
    pexpiretime: acceptedRdbVersion(before) >= 10,
    scanCount: options.scanCount ?? 1000,
    maxInFlight: options.maxInFlight ?? 4,
    batchBytes: options.batchBytes ?? 32 * 1024 * 1024,
    signal: options.signal,
    failed: false,
    rdbVersion: null,
    progress: () =>
      options.onProgress?.({
        keys: shards.reduce((a, x) => a + x.keys, 0),
        payloadBytes: shards.reduce((a, x) => a + x.bytes, 0),
        skippedVanished: shards.reduce((a, x) => a + x.skippedVanished, 0),
        shards: shards.map((x) => ({ ...x })),
      }),
  };
  try {
    for (const sh of shards) await file.shard(sh.index, sh.address);
    if (scope.kind === 'swarm') {
      await snapshotSwarm(client, masters, scope, options.swarmLimits ?? SWARM_SNAPSHOT_LIMITS, s, shards);
    } else {
      const runs = masters.map((m, i) =>
        backupNode(m.client, patterns, s, shards[i] as ShardSummary).catch((error: Error) => {
          s.failed = true;
          throw nodeFailure(m.address, error);
        }),
      );
      const settled = await Promise.allSettled(runs);
      const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
    }
    await assertSameTopology(client, before, 'Backup refused');
    const manifest = await file.finish((fileFacts) => ({
      format: 'swarmdeck-backup',
      formatVersion: 1,
      kind: 'backup',
      id,
      createdAt,
      finishedAt: new Date().toISOString(),
      durationMs: Date.now() - started,
      source: { profileId: profile.id, profileName: profile.name, environment: profile.environment, topology: before.kind },
      redisVersions: versions,
      rdbVersion: s.rdbVersion,
      topology: before,
      scope: manifestScope(scope),
      ...(scope.kind === 'swarm' ? { pointInTime: true } : {}),
      counts: {
        keys: file.recordCount,
        payloadBytes: file.payloadTotal,
        skippedVanished: shards.reduce((a, x) => a + x.skippedVanished, 0),
        byType: file.byType,
        byShard: shards,
      },
      file: fileFacts,
    }));
    return { id, dataPath: file.paths.data, manifestPath: file.paths.manifest, manifest };
  } catch (error) {
    await file.abort();
    if (error instanceof SwarmdeckError) throw error;
    throw new SwarmdeckError('INTERNAL', `Backup failed: ${(error as Error).message}`);
  }
}
