import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { SwarmdeckError } from '../../../shared/errors';
import type { VerifyResult } from '../../../shared/model/backup';
import type { RedisClient } from '../../redis/client-options';
import { rdbVersionOfPayload, type KeyType, type Manifest } from './format';
import { openBackup, readRecords, type OpenBackup, type ReadSummary } from './reader';
import { acceptedRdbVersion, readTopology } from './topology';

/** A verification as read from the file; the job adds the scratch restore and drops the error's reason. */
export type VerifyReport = Omit<VerifyResult, 'testRestore' | 'error'> & {
  /** The typed error that stopped the read, if one did. */
  error?: NonNullable<VerifyResult['error']> & { reason?: unknown };
};

/** What the file holds, counted as it is read. */
interface Tally {
  byType: Map<string, { keys: number; bytes: number }>;
  byShard: Map<number, number>;
  maxRdb: number | null;
}

/**
 * Reads a backup through: checksum, every record parses, counts and per-type and per-shard
 * figures match the manifest, payload RDB versions match it and, with a target, are ones
 * the target's RESTORE accepts. Each problem is named as what it is: a file whose bytes are
 * what the manifest's checksum says but whose counts are not is a manifest that was changed,
 * not a damaged file. Problems land in the report; a missing backup throws.
 */
export async function verifyBackup(root: string, profileId: string, id: string, target?: RedisClient): Promise<VerifyReport> {
  const backup = await openBackup(root, profileId, id);
  const m = backup.manifest;
  const problems: string[] = [];
  const report: VerifyReport = {
    ok: false,
    backupId: id,
    checksum: { expected: m.file.sha256, actual: null, ok: false },
    structure: { records: 0, ok: false },
    manifest: { ok: false, problems },
    rdb: { payloadVersion: null, targetVersion: null, compatible: null },
  };
  const summary: Partial<ReadSummary> = {};
  const tally = await readThrough(backup, report, summary);
  if (!tally) return report;
  problems.push(...manifestProblems(m, tally, summary));
  report.manifest.ok = problems.length === 0;
  report.rdb.payloadVersion = tally.maxRdb;
  if (target) {
    const topo = await readTopology(target);
    report.rdb.targetVersion = acceptedRdbVersion(topo);
    report.rdb.compatible = tally.maxRdb === null || tally.maxRdb <= report.rdb.targetVersion;
  }
  report.ok = report.checksum.ok && report.structure.ok && report.manifest.ok && report.rdb.compatible !== false;
  return report;
}

/**
 * Every record, tallied; the checksum and structure parts of the report filled in. Returns
 * null when the file itself is unusable (the report then says why, with its real checksum).
 */
async function readThrough(backup: OpenBackup, report: VerifyReport, summary: Partial<ReadSummary>): Promise<Tally | null> {
  const tally: Tally = { byType: new Map(), byShard: new Map(), maxRdb: null };
  try {
    for await (const r of readRecords(backup, summary)) {
      report.structure.records += 1;
      const t = tally.byType.get(r.type) ?? { keys: 0, bytes: 0 };
      t.keys += 1;
      t.bytes += r.payload.length;
      tally.byType.set(r.type, t);
      tally.byShard.set(r.shard, (tally.byShard.get(r.shard) ?? 0) + 1);
      if (r.type !== 'absent') {
        const v = rdbVersionOfPayload(r.payload);
        if (tally.maxRdb === null || v > tally.maxRdb) tally.maxRdb = v;
      }
    }
  } catch (error) {
    if (!(error instanceof SwarmdeckError)) throw error;
    const reason = error.details?.reason;
    // Read through to the end: the structure is whole, and the checksum is the file's own.
    const whole = reason === 'checksum' || reason === 'manifest';
    report.structure.ok = whole;
    const actual = summary.sha256 ?? (await fileDigest(backup.paths.data));
    report.checksum = { expected: backup.manifest.file.sha256, actual, ok: actual === backup.manifest.file.sha256 };
    if (reason === 'manifest') {
      report.manifest.problems.push(error.message.replace(/^Backup \S+ is unusable: /, 'the manifest does not match the file: '));
      return tally;
    }
    report.error = { code: error.code, message: error.message, reason };
    return null;
  }
  report.checksum = { expected: backup.manifest.file.sha256, actual: summary.sha256 ?? null, ok: true };
  report.structure.ok = true;
  return tally;
}

function manifestProblems(m: Manifest, tally: Tally, summary: Partial<ReadSummary>): string[] {
  const problems: string[] = [];
  for (const [type, c] of tally.byType) {
    const want = m.counts.byType[type as KeyType];
    if (!want || want.keys !== c.keys || want.bytes !== c.bytes)
      problems.push(`type ${type}: file has ${c.keys} keys/${c.bytes} bytes, manifest ${want?.keys ?? 0}/${want?.bytes ?? 0}`);
  }
  for (const [type, want] of Object.entries(m.counts.byType)) {
    if (!tally.byType.has(type) && (want?.keys ?? 0) > 0) problems.push(`type ${type}: file has none, manifest ${want?.keys} keys`);
  }
  for (const s of m.counts.byShard) {
    if ((tally.byShard.get(s.index) ?? 0) !== s.keys)
      problems.push(`shard ${s.address}: file has ${tally.byShard.get(s.index) ?? 0} keys, manifest ${s.keys}`);
  }
  if (tally.maxRdb !== m.rdbVersion && m.kind === 'backup')
    problems.push(`payload RDB version ${String(tally.maxRdb)}, manifest ${String(m.rdbVersion)}`);
  if (summary.compressedBytes !== m.file.compressedBytes)
    problems.push(`compressed size ${summary.compressedBytes}, manifest ${m.file.compressedBytes}`);
  return problems;
}

/** The data file's SHA-256 as it is on disk, or null when it cannot be read at all. */
function fileDigest(path: string): Promise<string | null> {
  return new Promise((done) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('error', () => done(null))
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => done(hash.digest('hex')));
  });
}
