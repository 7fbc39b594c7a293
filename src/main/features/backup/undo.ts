import { existsSync } from 'node:fs';
import { SwarmdeckError } from '../../../shared/errors';
import type { RedisClient } from '../../redis/client-options';
import type { BackupRecord } from './format';
import { openBackup, readRecords } from './reader';
import { readWrittenLog, writtenLogPath } from './restore-journal';
import { ident } from './restore-plan';
import { Router } from './restore-target';
import { ready } from './topology';
import type { SourceProfile } from './writer';

export interface UndoReport {
  restored: number;
  deleted: number;
}

/** Puts a batch back on the node that owns it: previous values byte for byte with their expiry, absent keys deleted. */
async function putBack(router: Router, chunk: BackupRecord[], out: UndoReport): Promise<void> {
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
  const push = async (r: BackupRecord) => {
    chunk.push(r);
    if (chunk.length < 1000) return;
    await putBack(router, chunk, out);
    chunk = [];
  };
  // With the restore's log of written keys, undo deletes exactly the keys the restore wrote
  // that had no previous value; a key someone else created meanwhile is left alone. Without
  // it (the restore crashed before its log was in place), the snapshot's `absent` names stand in.
  const logPath = writtenLogPath(snap.paths.dir, snapshotId);
  const hasLog = existsSync(logPath);
  const previous = new Set<string>();
  // The snapshot is checked through before the first write, like any restore.
  for await (const r of readRecords(snap)) if (hasLog && r.type !== 'absent') previous.add(ident(r.key));
  for await (const r of readRecords(snap)) if (!hasLog || r.type !== 'absent') await push(r);
  if (hasLog)
    for await (const key of readWrittenLog(logPath))
      if (!previous.has(ident(key))) await push({ key, type: 'absent', expireAt: -1, payload: Buffer.alloc(0), readAt: 0, shard: 0 });
  if (chunk.length > 0) await putBack(router, chunk, out);
  return out;
}
