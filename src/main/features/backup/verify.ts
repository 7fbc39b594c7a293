import { SwarmdeckError } from '../../../shared/errors';
import type { VerifyResult } from '../../../shared/model/backup';
import type { RedisClient } from '../../redis/client-options';
import { rdbVersionOfPayload, type KeyType } from './format';
import { openBackup, readRecords, type ReadSummary } from './reader';
import { acceptedRdbVersion, readTopology } from './topology';

/** A verification as read from the file; the job adds the scratch restore and drops the error's reason. */
export type VerifyReport = Omit<VerifyResult, 'testRestore' | 'error'> & {
  /** The typed error that stopped the read, if one did. */
  error?: NonNullable<VerifyResult['error']> & { reason?: unknown };
};

/**
 * Reads a backup through: checksum, every record parses, counts and per-type and per-shard
 * figures match the manifest, payload RDB versions match it and, with a target, are ones
 * the target's RESTORE accepts. Problems land in the report; a missing backup throws.
 */
export async function verifyBackup(root: string, profileId: string, id: string, target?: RedisClient): Promise<VerifyReport> {
  const backup = await openBackup(root, profileId, id);
  const m = backup.manifest;
  const problems: string[] = [];
  const byType = new Map<string, { keys: number; bytes: number }>();
  const byShard = new Map<number, number>();
  let maxRdb: number | null = null;
  const summary: Partial<ReadSummary> = {};
  const report: VerifyReport = {
    ok: false,
    backupId: id,
    checksum: { expected: m.file.sha256, actual: null, ok: false },
    structure: { records: 0, ok: false },
    manifest: { ok: false, problems },
    rdb: { payloadVersion: null, targetVersion: null, compatible: null },
  };
  try {
    for await (const r of readRecords(backup, summary)) {
      report.structure.records += 1;
      const t = byType.get(r.type) ?? { keys: 0, bytes: 0 };
      t.keys += 1;
      t.bytes += r.payload.length;
      byType.set(r.type, t);
      byShard.set(r.shard, (byShard.get(r.shard) ?? 0) + 1);
      if (r.type !== 'absent') {
        const v = rdbVersionOfPayload(r.payload);
        if (maxRdb === null || v > maxRdb) maxRdb = v;
      }
    }
    report.checksum = { expected: m.file.sha256, actual: summary.sha256 ?? null, ok: true };
    report.structure.ok = true;
  } catch (error) {
    if (!(error instanceof SwarmdeckError)) throw error;
    report.error = { code: error.code, message: error.message, reason: error.details?.reason };
    if (error.details?.reason !== 'checksum') report.checksum.ok = false;
    return report;
  }
  for (const [type, c] of byType) {
    const want = m.counts.byType[type as KeyType];
    if (!want || want.keys !== c.keys || want.bytes !== c.bytes)
      problems.push(`type ${type}: file has ${c.keys} keys/${c.bytes} bytes, manifest ${want?.keys ?? 0}/${want?.bytes ?? 0}`);
  }
  for (const s of m.counts.byShard) {
    if ((byShard.get(s.index) ?? 0) !== s.keys)
      problems.push(`shard ${s.address}: file has ${byShard.get(s.index) ?? 0} keys, manifest ${s.keys}`);
  }
  if (maxRdb !== m.rdbVersion && m.kind === 'backup')
    problems.push(`payload RDB version ${String(maxRdb)}, manifest ${String(m.rdbVersion)}`);
  if (summary.compressedBytes !== m.file.compressedBytes)
    problems.push(`compressed size ${summary.compressedBytes}, manifest ${m.file.compressedBytes}`);
  report.manifest.ok = problems.length === 0;
  report.rdb.payloadVersion = maxRdb;
  if (target) {
    const topo = await readTopology(target);
    report.rdb.targetVersion = acceptedRdbVersion(topo);
    report.rdb.compatible = maxRdb === null || maxRdb <= report.rdb.targetVersion;
  }
  report.ok = report.checksum.ok && report.structure.ok && report.manifest.ok && report.rdb.compatible !== false;
  return report;
}
