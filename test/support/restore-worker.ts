/**
 * A restore in its own process, for crash and full-disk tests: restores a backup into a target
 * prefix with conflict "replace", prints `progress <keys>` after each batch and one JSON line
 * with the report at the end (or the typed error). The test SIGKILLs it, or limits its file size.
 *   kind port root backupProfileId backupId targetProfileId from to batchSize
 */
import { Cluster, Redis } from 'ioredis';
import { restoreBackup } from '../../src/main/features/backup';
import { SwarmdeckError } from '../../src/shared/errors';

const [kind, port, root, backupProfileId, backupId, targetProfileId, from, to, batchSize] = process.argv.slice(2) as string[];
const target = kind === 'cluster' ? new Cluster([{ host: '127.0.0.1', port: Number(port) }]) : new Redis(Number(port), '127.0.0.1');

restoreBackup({
  root: root as string,
  backup: { profileId: backupProfileId as string, id: backupId as string },
  target,
  targetProfile: { id: targetProfileId as string, name: kind as string, environment: 'development' },
  conflict: 'replace',
  ttl: 'absolute',
  rewrite: { from: from as string, to: to as string },
  batchSize: Number(batchSize),
  verify: false,
  onProgress: (p) => process.stdout.write(`progress ${p.total.keys}\n`),
})
  .then(
    (r) => console.log(JSON.stringify({ status: r.status, error: r.error, snapshotId: r.snapshotId, writtenCount: r.writtenCount })),
    (error: unknown) => {
      const e = error instanceof SwarmdeckError ? error : undefined;
      console.log(JSON.stringify({ status: 'threw', error: { code: e?.code ?? 'untyped', message: String((error as Error).message) } }));
    },
  )
  .finally(() => target.disconnect());
