import { z } from 'zod';
import type { Environment } from './profile';

export * from './backup-retention';

/**
 * Backups as the operator sees them. The engine (src/main/features/backup) works in Buffers;
 * everything here is JSON, so it crosses IPC and WebSocket unchanged. Key names that are not
 * valid UTF-8 travel as `KeyName` with `hex` set, so a binary key is shown, never mangled.
 */

/** Parts of Swarmdeck's own keyspace a backup can be limited to. */
/** What a backup or a restore can be narrowed to; the keyspace module knows each one's keys. */
export const BACKUP_COMPONENTS = ['queues', 'swarms', 'memory', 'config', 'metrics', 'locks', 'state', 'audit'] as const;
export type BackupComponent = (typeof BACKUP_COMPONENTS)[number];

export const KEY_TYPES = ['string', 'list', 'set', 'zset', 'hash', 'stream', 'module'] as const;
export type BackupKeyType = (typeof KEY_TYPES)[number];

/** A key name: `text` is readable (non-UTF-8 bytes as \xNN), `hex` is set only when the key is binary. */
export interface KeyName {
  text: string;
  hex?: string;
}

// ---------------------------------------------------------------- inputs (shared by contract and CLI)

const pattern = z.string().min(1, 'A pattern cannot be empty').max(1024);
const prefix = z.string().min(1, 'A prefix cannot be empty').max(1024);
export const SwarmIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'Malformed swarm id');

export const BackupScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('patterns'), patterns: z.array(pattern).min(1, 'Give at least one pattern').max(64) }),
  z.strictObject({ kind: z.literal('prefixes'), prefixes: z.array(prefix).min(1, 'Give at least one prefix').max(64) }),
  z.strictObject({
    kind: z.literal('components'),
    components: z.array(z.enum(BACKUP_COMPONENTS)).min(1, 'Give at least one component').max(BACKUP_COMPONENTS.length),
  }),
]);
export type BackupScopeInput = z.infer<typeof BackupScopeSchema>;

export const BACKUP_FORMATS = ['swarmdeck', 'rdb'] as const;
export type BackupFormat = (typeof BACKUP_FORMATS)[number];

export const RestoreSelectionSchema = z.strictObject({
  patterns: z.array(pattern).max(64).optional(),
  prefixes: z.array(prefix).max(64).optional(),
  types: z.array(z.enum(KEY_TYPES)).max(KEY_TYPES.length).optional(),
  /** Parts of Swarmdeck's keyspace (as the backup's profile names its keys), added to the patterns and prefixes. */
  components: z.array(z.enum(BACKUP_COMPONENTS)).max(BACKUP_COMPONENTS.length).optional(),
  /** Whole swarms by id, added to the patterns and prefixes. */
  swarmIds: z.array(SwarmIdSchema).max(64).optional(),
});
export type RestoreSelectionInput = z.infer<typeof RestoreSelectionSchema>;

export const CONFLICT_POLICIES = ['fail', 'skip', 'replace'] as const;
export const TTL_POLICIES = ['absolute', 'remaining', 'drop'] as const;

export const RestorePoliciesSchema = z.strictObject({
  /** An existing target key: stop the restore, leave it, or overwrite it. */
  conflict: z.enum(CONFLICT_POLICIES),
  /** Keep the backup's absolute expiry, the TTL left when it was read, or none. */
  ttl: z.enum(TTL_POLICIES),
  /** Keys that start with `from` are written under `to` (`from` empty: `to` is prepended). */
  intoPrefix: z.strictObject({ from: z.string().max(1024), to: z.string().min(1).max(1024) }).optional(),
});
export type RestorePolicies = z.infer<typeof RestorePoliciesSchema>;

/** When a profile is backed up by itself (a whole-keyspace backup each time, while the app runs). */
export const BackupScheduleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('interval'),
    everyMs: z
      .number()
      .int()
      .min(60_000)
      .max(366 * 24 * 3600 * 1000),
  }),
  z.strictObject({
    kind: z.literal('cron'),
    // Five fields (minute hour day month weekday) or a nickname: a seconds field would back up every second.
    expression: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine(
        (e) => e.startsWith('@') || e.split(/\s+/).length === 5,
        'A backup runs at most once a minute: give five fields (minute hour day month weekday)',
      ),
    timeZone: z.string().trim().min(1).max(100).optional(),
  }),
]);
export type BackupSchedule = z.infer<typeof BackupScheduleSchema>;

// ---------------------------------------------------------------- views

export type VerificationState = 'unverified' | 'verified' | 'failed';

export interface BackupVerification {
  state: VerificationState;
  /** When the last verification finished (ISO). */
  at?: string;
  /** Whether that verification restored into a scratch server too. */
  testRestored?: boolean;
  problems: string[];
}

export type ManifestScopeView =
  | { kind: 'all' }
  | { kind: 'patterns'; patterns: string[] }
  | { kind: 'prefixes'; prefixes: { encoding: 'utf8' | 'hex'; value: string }[] };

/** One row of the backups list. */
export interface BackupSummary {
  id: string;
  profileId: string;
  profileName: string;
  environment: Environment;
  topology: 'standalone' | 'cluster';
  createdAt: string;
  durationMs: number;
  keys: number;
  /** Size of the compressed data file on disk. */
  sizeBytes: number;
  payloadBytes: number;
  /** The Swarmdeck components the scope covers ([] when it is not a component scope). */
  components: BackupComponent[];
  scope: ManifestScopeView;
  /** Set for a point-in-time snapshot of one swarm. */
  swarmId?: string;
  /** Made by a backup run, or from an imported `.rdb` file. */
  origin: 'backup' | 'rdb-import';
  /** Imports only: the `.rdb` file it was made from, as the operator named it. */
  importedFrom?: string;
  rdbVersion: number | null;
  redisVersions: string[];
  verification: BackupVerification;
}

export interface SlotRange {
  from: number;
  to: number;
}

export interface TopologyNode {
  address: string;
  id?: string;
  role: 'master' | 'replica' | 'standalone';
  masterId?: string;
  slots: SlotRange[];
  redisVersion: string;
  runId: string;
}

export interface TypeCount {
  keys: number;
  bytes: number;
}

export interface ShardSummary {
  index: number;
  address: string;
  keys: number;
  bytes: number;
  skippedVanished: number;
}

/** The manifest written beside every backup (docs/backup-format.md), as main writes it and the renderer reads it. */
export interface BackupManifestView {
  format: 'swarmdeck-backup';
  formatVersion: number;
  kind: 'backup' | 'safety-snapshot';
  id: string;
  createdAt: string;
  finishedAt: string;
  durationMs: number;
  source: { profileId: string; profileName: string; environment: Environment; topology: 'standalone' | 'cluster' };
  redisVersions: string[];
  /** Highest RDB version among the payloads (null when there are none). */
  rdbVersion: number | null;
  topology: { kind: 'standalone' | 'cluster'; nodes: TopologyNode[] };
  scope: ManifestScopeView;
  /** Every record was read at one instant by one script (a swarm snapshot); absent for SCAN backups, read over time. */
  pointInTime?: true;
  counts: {
    keys: number;
    payloadBytes: number;
    skippedVanished: number;
    byType: Partial<Record<BackupKeyType | 'absent', TypeCount>>;
    byShard: ShardSummary[];
  };
  file: { name: string; compression: 'gzip'; compressedBytes: number; uncompressedBytes: number; sha256: string };
  /** Safety snapshots only: which restore they protect and where its backup came from. */
  snapshotOf?: { backupId: string; backupProfileId: string };
}

export interface BackupDetail {
  summary: BackupSummary;
  manifest: BackupManifestView;
}

/** Result of a `backup.start` job. */
export interface BackupRunResult {
  backup: BackupSummary;
  /** Set for format `rdb`: the `.rdb` file written beside the backup. */
  rdb?: { path: string; keys: number; bytes: number };
}

/** Result of a `backup.verify` job. */
export interface VerifyResult {
  ok: boolean;
  backupId: string;
  checksum: { expected: string; actual: string | null; ok: boolean };
  structure: { records: number; ok: boolean };
  manifest: { ok: boolean; problems: string[] };
  rdb: { payloadVersion: number | null; targetVersion: number | null; compatible: boolean | null };
  /** With `testRestore`: every record restored into a private scratch redis-server. */
  testRestore?: { restored: number; failed: number; errors: string[] } | null;
  error?: { code: string; message: string };
}

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface PreflightCheck {
  id: 'integrity' | 'reachable' | 'rdb-version' | 'topology' | 'memory' | 'acl';
  status: CheckStatus;
  message: string;
}

/** Can this backup be restored into that profile? Computed without writing. */
export interface PreflightReport {
  ok: boolean;
  checks: PreflightCheck[];
  payloadRdbVersion: number | null;
  targetRdbVersion: number | null;
  backupTopology: 'standalone' | 'cluster';
  targetTopology: 'standalone' | 'cluster';
  /** Payload bytes the restore would write (the backup's whole payload: an upper bound). */
  dataBytes: number;
  /** maxmemory minus used memory, summed over masters; null when maxmemory is unlimited. */
  freeMemoryBytes: number | null;
}

export interface KindCountView {
  count: number;
  samples: KeyName[];
}

/** Result of a `backup.dryRun` job: what a restore would do, counted against the target. */
export interface DryRunView {
  selected: number;
  expired: number;
  new: KindCountView;
  identical: KindCountView;
  different: KindCountView;
  onlyInTarget: KindCountView;
}

/** Result of a `backup.restore` job. `restoreId` is what `backup.undo` takes. */
export interface RestoreView {
  restoreId: string | null;
  status: 'completed' | 'cancelled' | 'failed';
  error?: { code: string; message: string };
  writtenCount: number;
  skippedExisting: number;
  skippedExpired: number;
  verification: {
    checked: number;
    mismatchedCount: number;
    mismatched: KeyName[];
    /** Written but not compared: the target's metric series keys (`P:{m:*`), which every connected Swarmdeck host rewrites every 250 ms. */
    leftOut: number;
  } | null;
  durationMs: number;
}

/**
 * Where a restore stands: still writing; ended (completed, failed or cancelled, as its job
 * reported); interrupted (its process died before it could say how it ended: undo puts back
 * what it wrote); or undone.
 */
export type RestoreState = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted' | 'undone';

/** A past restore of a profile, found from its safety snapshot; `restoreId` is what `backup.undo` takes. */
export interface RestoreRecord {
  restoreId: string;
  state: RestoreState;
  createdAt: string;
  /** When it ended, as its job reported (absent while running or when interrupted). */
  finishedAt?: string;
  /** The profile restored into, by id and by the name it had then. */
  target: { profileId: string; profileName: string };
  backupId: string;
  backupProfileId: string;
  /** Keys overwritten or created, as saved in the snapshot. */
  keys: number;
  /** Keys the restore wrote, as its job reported. */
  written?: number;
  error?: { code: string; message: string };
  undone: boolean;
}

/** Result of a `backup.undo` job. */
export interface UndoView {
  restoreId: string;
  restored: number;
  deleted: number;
  /** Keys the restore meant to write that hold what they held before it. */
  unchanged: number;
  /** Keys changed since the restore: how many, the first 100, and whether this undo replaced them (else it left them). */
  changed: { count: number; keys: KeyName[]; replaced: boolean };
}

/** The process that runs a home's backup schedules: one per home at a time. */
export interface ScheduleRunnerView {
  pid: number;
  /** The machine it runs on. */
  host: string;
  /** The kind of host: desktop, web, cli, … */
  via: string;
  since: string;
  /** The host that answered is the one that runs them. */
  self: boolean;
}

export interface ScheduleStatus {
  schedule: BackupSchedule | null;
  /** Who runs the home's schedules; null while no open app or web host does (then none runs). */
  runner: ScheduleRunnerView | null;
  /** When the last scheduled run started (ISO). */
  lastRun: string | null;
  lastResult: { ok: boolean; finishedAt: string; error?: { code: string; message: string } } | null;
  nextRun: string | null;
  /** Ticks skipped because the previous run was still going. */
  missed: number;
  running: boolean;
}

export interface RecoveryFinding {
  /** What was found (an interrupted restore, a stale lease, …): the recovery module's words. */
  kind: string;
  subject: string;
  detail: string;
  action: string;
}

export interface RecoveryPlanView {
  findings: RecoveryFinding[];
}

export interface RecoveryReportView {
  applied: number;
  /** Findings that were no longer true when their fix ran (someone else repaired them): left alone. */
  skipped: number;
  failed: { subject: string; error: string }[];
}

const HOST_KINDS: Record<string, string> = { desktop: 'desktop', web: 'web host', cli: 'cli' };

/** Who runs the schedules, in one sentence: "run by pid 4120 (web host) on ws-3 since 2026-…". */
export function scheduleRunnerText(r: ScheduleRunnerView | null): string {
  if (r === null) return 'not run: no desktop app or web host on this home is running schedules';
  return `run by ${r.self ? 'this host, ' : ''}pid ${r.pid} (${HOST_KINDS[r.via] ?? r.via}) on ${r.host} since ${r.since}`;
}
