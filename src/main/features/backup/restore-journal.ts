/**
 * What a restore records of its writes, beside its safety snapshot, so that undo can put the
 * target back: today the names of the keys it wrote, in write order (4-byte length, key). The
 * log is a durable file: it appears, synced, once the write pass ends (failed and cancelled runs
 * included); after a crash there is none, and undo goes by the snapshot alone.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { SwarmdeckError } from '../../../shared/errors';
import { DurableFile } from '../../durable-file';

const WRITTEN_SUFFIX = '.written';

/** Where the log of the restore `restoreId` (its snapshot's id) lives, in the snapshot's folder. */
export const writtenLogPath = (dir: string, restoreId: string): string => join(dir, `${restoreId}${WRITTEN_SUFFIX}`);

export class WrittenKeysLog {
  static async create(path: string): Promise<WrittenKeysLog> {
    return new WrittenKeysLog(await DurableFile.create(path));
  }

  private constructor(private readonly file: DurableFile) {}

  get path(): string {
    return this.file.path;
  }

  /** Notes a key the target took; `drained` is where a failed file (a full disk) is reported. */
  add(key: Buffer): void {
    const len = Buffer.allocUnsafe(4);
    len.writeUInt32BE(key.length, 0);
    this.file.write(len);
    this.file.write(key);
  }

  /** Waits while the file catches up with the writes; a FILE_ERROR once the file has failed. */
  drained(): Promise<void> {
    return this.file.drained();
  }

  /** Puts the log in place, synced; on failure it leaves none (undo then goes by the snapshot). */
  async close(): Promise<void> {
    try {
      await this.file.commit();
    } catch (error) {
      await this.file.abort();
      throw error;
    }
  }
}

/** The keys a restore wrote, from its log, one at a time. */
export async function* readWrittenLog(path: string): AsyncGenerator<Buffer> {
  const data = createReadStream(path);
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of data as AsyncIterable<Buffer>) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let at = 0;
    while (pending.length - at >= 4 && pending.length - at >= 4 + pending.readUInt32BE(at)) {
      const len = pending.readUInt32BE(at);
      yield Buffer.from(pending.subarray(at + 4, at + 4 + len));
      at += 4 + len;
    }
    pending = pending.subarray(at);
  }
  if (pending.length > 0)
    throw new SwarmdeckError('VALIDATION', `The written-keys log ${path} ends inside a record`, { reason: 'truncated' });
}
