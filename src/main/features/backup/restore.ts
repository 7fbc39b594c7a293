import { SwarmdeckError } from '../../../shared/errors';
import { openBackup } from './reader';
import { RestoreJournal, journalPath } from './restore-journal';
import { RestoreLock } from './restore-lock';
import { items, validate, type RestorePlanOptions } from './restore-plan';
import { checkTarget } from './restore-target';
import { verifyWritten, type RestoreVerification } from './restore-verification';
import { takeSafetySnapshot } from './safety-snapshot';
import { WritePass, type WriteProgress } from './write-pass';

export interface RestoreOptions extends RestorePlanOptions {
  signal?: AbortSignal;
  onProgress?: (progress: RestoreProgress) => void;
  /** Compare every written key with the backup afterwards (default true). */
  verify?: boolean;
}

export type RestoreProgress = WriteProgress;

export interface RestoreReport {
  status: 'completed' | 'cancelled' | 'failed';
  error?: { code: string; message: string };
  /** How many keys this run wrote. */
  writtenCount: number;
  /**
   * The restore's journal (restore-journal.ts), which undo goes by; `readWrittenLog` yields the
   * keys this run wrote from it. On disk rather than in the report, so a million-key restore stays small.
   */
  writtenLog: string;
  skippedExisting: number;
  skippedExpired: number;
  snapshotId: string | null;
  verification: RestoreVerification | null;
  durationMs: number;
}

/**
 * Restores a backup into `target`, holding the target's restore lock throughout. Before the first
 * write it reads the whole file (a damaged one is refused), applies the conflict policy and saves
 * a safety snapshot of what the target holds (the restore's id, and a backup of last resort);
 * then each batch is journaled before it is written (restore-journal.ts), so `undoRestore` puts
 * the target back after a crash at any instant. A failure after the snapshot (a full disk among
 * them) ends the run as `failed` with its restore id, never as a throw that loses it.
 */
export async function restoreBackup(o: RestoreOptions): Promise<RestoreReport> {
  validate(o);
  const started = Date.now();
  const backup = await openBackup(o.root, o.backup.profileId, o.backup.id);
  const { pexpiretime } = await checkTarget(backup, o.target);
  const lock = await RestoreLock.take(o.target, o.keyPrefix ?? 'sd', `restore of backup ${o.backup.id}`);
  try {
    // Pass 1: the snapshot. Nothing is written to the target until it is finished on disk.
    const snapshot = await takeSafetySnapshot(o, backup, pexpiretime);
    const journal = await RestoreJournal.create(journalPath(snapshot.dir, snapshot.id), {
      format: 'swarmdeck-restore-journal',
      version: 1,
      restoreId: snapshot.id,
      backup: o.backup,
      conflict: o.conflict,
      ttl: o.ttl,
      createdAt: new Date().toISOString(),
    });
    // Pass 2: the writes.
    const pass = new WritePass(o, journal, lock, pexpiretime, snapshot.planned);
    const expired = { n: 0 };
    let failure = await pass.run(items(backup, o, expired));
    await journal.close().catch((error: Error) => (failure ??= error));
    const report: RestoreReport = {
      status: 'completed',
      writtenCount: pass.writtenCount,
      writtenLog: journal.path,
      skippedExisting: pass.skippedExisting,
      skippedExpired: expired.n,
      snapshotId: snapshot.id,
      verification: null,
      durationMs: 0,
    };
    if (failure) {
      const e = failure instanceof SwarmdeckError ? failure : new SwarmdeckError('REDIS_ERROR', failure.message);
      report.status = 'failed';
      report.error = { code: e.code, message: e.message };
    } else if (o.signal?.aborted) report.status = 'cancelled';
    else if (o.verify !== false) report.verification = await verifyWritten(backup, o, pexpiretime, pass.refused);
    report.durationMs = Date.now() - started;
    return report;
  } finally {
    await lock.release();
  }
}
