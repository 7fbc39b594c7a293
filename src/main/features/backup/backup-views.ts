/** The engine's results in the contract's words: summaries, key names, job progress. */
import type { JobProgress } from '../../../shared/model/job';
import type { BackupSummary, DryRunView, KeyName, RestoreView } from '../../../shared/model/backup';
import type { Profile } from '../../../shared/model/profile';
import type { BackupMeta } from './backup-meta';
import type { DryRunReport, KindCount } from './dry-run';
import type { Manifest } from './format';
import type { RestoreProgress, RestoreReport } from './restore';
import type { BackupProgress, SourceProfile } from './writer';

/** A key as the operator reads it: UTF-8 when it is, `\xNN` escapes plus the hex otherwise. */
export function keyName(key: Buffer): KeyName {
  const text = key.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(key)) return { text };
  const escaped = [...key]
    .map((b) => (b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`))
    .join('');
  return { text: escaped, hex: key.toString('hex') };
}

export const sourceOf = (p: Profile): SourceProfile => ({ id: p.id, name: p.name, environment: p.environment });

export function summaryOf(m: Manifest, meta: BackupMeta): BackupSummary {
  return {
    id: m.id,
    profileId: m.source.profileId,
    profileName: m.source.profileName,
    environment: m.source.environment,
    topology: m.source.topology,
    createdAt: m.createdAt,
    durationMs: m.durationMs,
    keys: m.counts.keys,
    sizeBytes: m.file.compressedBytes,
    payloadBytes: m.counts.payloadBytes,
    components: meta.components ?? [],
    scope: m.scope,
    ...(meta.swarmId ? { swarmId: meta.swarmId } : {}),
    origin: meta.origin ?? 'backup',
    ...(meta.importedFrom ? { importedFrom: meta.importedFrom } : {}),
    rdbVersion: m.rdbVersion,
    redisVersions: m.redisVersions,
    verification: meta.verification ?? { state: 'unverified', problems: [] },
  };
}

/** Keys per second and the time left, from the work done since `started`. */
function pace(done: number, total: number | undefined, started: number): { rate?: number; etaMs?: number } {
  const secs = (Date.now() - started) / 1000;
  if (secs <= 0 || done === 0) return {};
  const rate = done / secs;
  return { rate, ...(total !== undefined && total >= done ? { etaMs: Math.round(((total - done) / rate) * 1000) } : {}) };
}

export function backupProgress(p: BackupProgress, total: number | undefined, started: number): Partial<JobProgress> {
  return {
    done: p.keys,
    ...(total !== undefined ? { total: Math.max(total, p.keys) } : {}),
    ...pace(p.keys, total, started),
    parts: Object.fromEntries(p.shards.map((s) => [s.address, { done: s.keys }])),
  };
}

export function restoreProgress(p: RestoreProgress): Partial<JobProgress> {
  return {
    done: p.total.keys,
    total: p.total.planned,
    rate: p.total.keysPerSec,
    ...(p.total.etaMs === null ? {} : { etaMs: p.total.etaMs }),
    parts: Object.fromEntries(Object.entries(p.nodes).map(([address, n]) => [address, { done: n.keys }])),
  };
}

export function dryRunView(r: DryRunReport): DryRunView {
  const view = (k: KindCount) => ({ count: k.count, samples: k.samples.map(keyName) });
  return {
    selected: r.selected,
    expired: r.expired,
    new: view(r.new),
    identical: view(r.identical),
    different: view(r.different),
    onlyInTarget: view(r.onlyInTarget),
  };
}

export function restoreView(r: RestoreReport): RestoreView {
  const mismatched = r.verification?.mismatched ?? [];
  return {
    restoreId: r.snapshotId,
    status: r.status,
    ...(r.error ? { error: r.error } : {}),
    writtenCount: r.writtenCount,
    skippedExisting: r.skippedExisting,
    skippedExpired: r.skippedExpired,
    verification: r.verification
      ? {
          checked: r.verification.checked,
          mismatchedCount: mismatched.length,
          mismatched: mismatched.slice(0, 100).map(keyName),
          leftOut: r.verification.leftOut,
        }
      : null,
    durationMs: r.durationMs,
  };
}
