/**
 * The restores of a profile as the operator lists them: each found from its safety snapshot
 * (its id is the undo id), with where it stands. A restore's job records how it ended in the
 * snapshot's sidecar; one without that record is either still writing — the target's restore
 * lock is held by a live restore that began before its snapshot — or was interrupted: its
 * process died first (a crash, a SIGKILL), and undo puts back what it wrote.
 */
import { hostname } from 'node:os';
import type { RestoreRecord, RestoreState } from '../../../shared/model/backup';
import { isAlive } from '../../file-lock';
import type { RedisClient } from '../../redis/client-options';
import type { BackupMetaFiles } from './backup-meta';
import type { Manifest } from './format';
import { restoreLockKey } from './keys';
import { listBackups } from './reader';
import type { LockHolder } from './restore-lock';

/** The restore or undo writing to the target now, as its lock names it; null when none (or the target cannot say). */
export async function targetWriter(target: RedisClient, keyPrefix: string): Promise<LockHolder | null> {
  try {
    const value = await target.get(restoreLockKey(keyPrefix));
    if (value === null) return null;
    const holder = JSON.parse(value) as LockHolder;
    // A holder killed outright leaves its lease to run out; on this machine its death is known at once.
    return holder.host === hostname() && !isAlive(holder.pid) ? null : holder;
  } catch {
    // Unreachable, or a lock value no restore wrote: the list still shows every restore, none as running.
    return null;
  }
}

/** Newest first. `writer` is the target's current writer (targetWriter), or null when the target is not connected. */
export async function listRestores(
  root: string,
  meta: BackupMetaFiles,
  profileId: string,
  writer: LockHolder | null,
): Promise<RestoreRecord[]> {
  const snapshots = (await listBackups(root, profileId)).filter((m) => m.kind === 'safety-snapshot' && m.snapshotOf);
  // One restore per target at a time: only the newest unfinished one can be the writer's.
  let writerClaimed = false;
  const out: RestoreRecord[] = [];
  for (const m of snapshots) {
    const { undoneAt, restore } = await meta.read(profileId, m.id);
    let state: RestoreState = undoneAt ? 'undone' : (restore?.state ?? 'interrupted');
    if (state === 'interrupted' && !writerClaimed && isWriterOf(writer, m)) {
      state = 'running';
      writerClaimed = true;
    }
    out.push(record(m, state, restore));
  }
  return out;
}

function isWriterOf(writer: LockHolder | null, m: Manifest): boolean {
  return writer !== null && writer.what.startsWith('restore') && writer.since <= m.createdAt;
}

function record(m: Manifest, state: RestoreState, outcome: Awaited<ReturnType<BackupMetaFiles['read']>>['restore']): RestoreRecord {
  const of = m.snapshotOf as NonNullable<Manifest['snapshotOf']>;
  return {
    restoreId: m.id,
    state,
    createdAt: m.createdAt,
    ...(outcome ? { finishedAt: outcome.finishedAt, written: outcome.written } : {}),
    ...(outcome?.error ? { error: outcome.error } : {}),
    target: { profileId: m.source.profileId, profileName: m.source.profileName },
    backupId: of.backupId,
    backupProfileId: of.backupProfileId,
    keys: m.counts.keys,
    undone: state === 'undone',
  };
}
