/**
 * A restore's first pass: before anything is written, what the target holds under every key the
 * restore will write goes to a safety snapshot on disk (the previous value where the policy
 * replaces it, `absent` where the key does not exist), so that undo can put the target back.
 */
import { SwarmdeckError } from '../../../shared/errors';
import { BackupFileWriter, type FileRecord } from './file-writer';
import { newBackupId, typeOfPayload, type Manifest } from './format';
import type { OpenBackup } from './reader';
import { ident, items, type Item, type RestorePlanOptions } from './restore-plan';
import { Router, boundedEach, existing, readTarget, type TargetState } from './restore-target';
import { readTopology, redisVersions } from './topology';

export interface SafetySnapshot {
  id: string;
  /** Its folder, where the restore's other files go beside it. */
  dir: string;
  /** How many keys the restore is to write. */
  planned: number;
}

const absent = (key: Buffer): FileRecord => ({ key, type: 'absent', expireAt: -1, payload: Buffer.alloc(0) });

/** The snapshot's records for one chunk of items: absent keys by name, values about to be replaced in full. */
async function snapshotRecords(o: RestorePlanOptions, router: Router, chunk: Item[], pexpiretime: boolean) {
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
    if (!present.has(ident(it.key))) {
      records.push(absent(it.key));
      continue;
    }
    const cur = state.get(ident(it.key));
    // A key that vanished between EXISTS and DUMP is absent for undo's purposes.
    if (o.conflict === 'replace')
      records.push(
        cur?.payload ? { key: it.key, type: typeOfPayload(cur.payload), expireAt: cur.expireAt, payload: cur.payload } : absent(it.key),
      );
  }
  return { records, existing: present.size };
}

/**
 * Writes the safety snapshot of the target for restoring `backup`; finished on disk (synced)
 * before it returns, or removed. The `fail` policy refuses here, when any key already exists.
 */
export async function takeSafetySnapshot(o: RestorePlanOptions, backup: OpenBackup, pexpiretime: boolean): Promise<SafetySnapshot> {
  const router = new Router(o.target);
  const at = Date.now();
  const id = newBackupId(new Date(at));
  const snap = await BackupFileWriter.create(o.root, o.targetProfile.id, id, 'safety-snapshot', new Date(at).toISOString());
  let planned = 0;
  let existingCount = 0;
  try {
    await snap.shard(0, 'target');
    await boundedEach(items(backup, o, { n: 0 }), 4, async (chunk) => {
      const { records, existing: present } = await snapshotRecords(o, router, chunk, pexpiretime);
      planned += chunk.length;
      existingCount += present;
      await snap.batch(0, Date.now(), records);
    });
    if (o.conflict === 'fail' && existingCount > 0) {
      throw new SwarmdeckError('CONFLICT', `${existingCount} of the keys to restore already exist in the target; nothing was written`, {
        existing: existingCount,
      });
    }
    const topo = await readTopology(o.target);
    await snap.finish((file) => snapshotManifest(id, at, o, topo, snap, file, backup.manifest));
  } catch (error) {
    await snap.abort();
    throw error;
  }
  return { id, dir: snap.paths.dir, planned };
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
