import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';
import {
  DATA_SUFFIX,
  MANIFEST_SUFFIX,
  encodeBatchHead,
  encodeEnd,
  encodeHeader,
  encodeRecordHead,
  encodeShard,
  type BackupRecord,
  type KeyType,
  type Manifest,
  type TypeCount,
} from './format';
import { DurableFile, writeFileDurably } from '../../durable-file';
import { privateDirSync } from '../../private-files';

export interface BackupPaths {
  dir: string;
  data: string;
  manifest: string;
}

export function backupPaths(root: string, profileId: string, id: string): BackupPaths {
  const dir = join(root, profileId);
  return { dir, data: join(dir, `${id}${DATA_SUFFIX}`), manifest: join(dir, `${id}${MANIFEST_SUFFIX}`) };
}

/** Small pieces are gathered into one write; payloads this big go to the stream as they are. */
const COALESCE_LIMIT = 64 * 1024;

export type FileRecord = Omit<BackupRecord, 'shard' | 'readAt'>;

/**
 * One backup file in the making: gzip and SHA-256 (over the compressed bytes) in one stream
 * pipeline into a durable file (durable-file.ts), under a temporary name until `finish` puts it
 * in place synced and then writes the manifest, so a crash at any point leaves nothing that
 * looks finished, and a file error (a full disk) fails the backup as a FILE_ERROR.
 */
export class BackupFileWriter {
  private readonly gzip: Gzip;
  private readonly done: Promise<void>;
  private readonly hash = createHash('sha256');
  private compressed = 0;
  private uncompressed = 0;
  private records = 0;
  private payloadBytes = 0;
  private committed = false;
  readonly byType: Partial<Record<KeyType | 'absent', TypeCount>> = {};
  /** Writes are serialised: batches from parallel shards never interleave inside a frame. */
  private chain: Promise<void> = Promise.resolve();

  static async create(root: string, profileId: string, id: string, kind: Manifest['kind'], createdAt: string): Promise<BackupFileWriter> {
    const paths = backupPaths(root, profileId, id);
    // Backups hold production values: the root and the profile's folder are the owner's alone.
    privateDirSync(root);
    return new BackupFileWriter(paths, id, kind, createdAt, await DurableFile.create(paths.data));
  }

  private constructor(
    readonly paths: BackupPaths,
    readonly id: string,
    kind: Manifest['kind'],
    readonly createdAt: string,
    private readonly out: DurableFile,
  ) {
    this.gzip = createGzip({ level: 1 });
    const tap = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        this.hash.update(chunk);
        this.compressed += chunk.length;
        cb(null, chunk);
      },
    });
    this.done = pipeline(this.gzip, tap, out);
    // A failure surfaces from `finish` or `abort`; without this it would be unhandled meanwhile.
    this.done.catch(() => undefined);
    this.enqueue([encodeHeader({ id, kind, createdAt })]);
  }

  private async put(buffers: Buffer[]): Promise<void> {
    for (const b of buffers) {
      this.uncompressed += b.length;
      if (!this.gzip.write(b)) await Promise.race([once(this.gzip, 'drain'), this.done]);
    }
  }

  private enqueue(buffers: Buffer[]): Promise<void> {
    const next = this.chain.then(() => this.put(buffers));
    this.chain = next.catch(() => undefined);
    return next;
  }

  shard(index: number, address: string): Promise<void> {
    return this.enqueue([encodeShard(index, address)]);
  }

  /** One frame of records read from one shard at `readAt`; resolves once the stream took it. */
  batch(shard: number, readAt: number, records: FileRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const out: Buffer[] = [];
    let small: Buffer[] = [encodeBatchHead(shard, readAt, records.length)];
    let smallBytes = 0;
    for (const r of records) {
      const head = encodeRecordHead(r.key, r.type, r.expireAt, r.payload.length);
      small.push(head);
      smallBytes += head.length;
      if (r.payload.length >= COALESCE_LIMIT) {
        out.push(Buffer.concat(small), r.payload);
        small = [];
        smallBytes = 0;
      } else {
        small.push(r.payload);
        smallBytes += r.payload.length;
        if (smallBytes >= COALESCE_LIMIT) {
          out.push(Buffer.concat(small));
          small = [];
          smallBytes = 0;
        }
      }
      this.records += 1;
      this.payloadBytes += r.payload.length;
      const t = (this.byType[r.type] ??= { keys: 0, bytes: 0 });
      t.keys += 1;
      t.bytes += r.payload.length;
    }
    if (small.length > 0) out.push(Buffer.concat(small));
    return this.enqueue(out);
  }

  get recordCount(): number {
    return this.records;
  }

  get payloadTotal(): number {
    return this.payloadBytes;
  }

  /**
   * Ends the stream (the data synced to disk), puts the data file in place with its folder entry
   * synced, then writes the manifest the same way: only a manifest says a backup is finished.
   */
  async finish(build: (file: Manifest['file']) => Manifest): Promise<Manifest> {
    await this.enqueue([encodeEnd(this.records)]);
    this.gzip.end();
    await this.done;
    const manifest = build({
      name: `${this.id}${DATA_SUFFIX}`,
      compression: 'gzip',
      compressedBytes: this.compressed,
      uncompressedBytes: this.uncompressed,
      sha256: this.hash.digest('hex'),
    });
    await this.out.commit();
    this.committed = true;
    await writeFileDurably(this.paths.manifest, JSON.stringify(manifest, null, 2) + '\n');
    return manifest;
  }

  /** Removes every trace: a failed backup leaves no file behind, finished-looking or not. */
  async abort(): Promise<void> {
    this.gzip.destroy();
    await this.done.catch(() => undefined);
    await this.out.abort();
    if (this.committed) await rm(this.paths.data, { force: true });
  }
}
