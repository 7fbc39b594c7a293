import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SwarmdeckError } from '../../../shared/errors';
import type { BackupComponent, BackupVerification } from '../../../shared/model/backup';
import { writeFileDurably } from '../../durable-file';
import { backupPaths } from './file-writer';

/** What the service remembers about a backup beyond its manifest (the engine's file stays as written). */
export interface BackupMeta {
  components?: BackupComponent[];
  swarmId?: string;
  origin?: 'backup' | 'rdb-import';
  /** Imports only: the `.rdb` file it was made from. */
  importedFrom?: string;
  verification?: BackupVerification;
  /** Restores (safety snapshots) only: when it was undone. */
  undoneAt?: string;
  /** Restores only: how its job ended; absent while it runs, and for good when its process died first. */
  restore?: { state: 'completed' | 'cancelled' | 'failed'; finishedAt: string; written: number; error?: { code: string; message: string } };
}

const META_SUFFIX = '.meta.json';

/** The sidecar files beside the backups (`<id>.meta.json`), one per backup or restore. */
export class BackupMetaFiles {
  constructor(private readonly root: string) {}

  path(profileId: string, id: string): string {
    return join(backupPaths(this.root, profileId, id).dir, `${id}${META_SUFFIX}`);
  }

  async read(profileId: string, id: string): Promise<BackupMeta> {
    const path = this.path(profileId, id);
    if (!existsSync(path)) return {};
    try {
      return JSON.parse(await readFile(path, 'utf8')) as BackupMeta;
    } catch {
      throw new SwarmdeckError('CORRUPT_FILE', `${path} is not valid JSON`, { file: path });
    }
  }

  /** Merges `patch` into the sidecar file, written whole and durably. */
  async write(profileId: string, id: string, patch: BackupMeta): Promise<void> {
    const next = { ...(await this.read(profileId, id)), ...patch };
    await writeFileDurably(this.path(profileId, id), JSON.stringify(next, null, 2));
  }

  remove(profileId: string, id: string): Promise<void> {
    return rm(this.path(profileId, id), { force: true });
  }
}
