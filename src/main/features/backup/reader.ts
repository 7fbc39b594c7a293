import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SwarmdeckError } from '../../../shared/errors';
import { backupPaths, type BackupPaths } from './file-writer';
import {
  FORMAT_VERSION,
  FRAME_BATCH,
  FRAME_END,
  FRAME_SHARD,
  MAGIC,
  MANIFEST_SUFFIX,
  assertBackupId,
  assertProfileId,
  readInt64,
  typeFromCode,
  type BackupRecord,
  type Manifest,
} from './format';

export interface OpenBackup {
  paths: BackupPaths;
  manifest: Manifest;
}

function corrupt(what: string, paths: BackupPaths, reason: 'corrupt' | 'truncated' | 'checksum' | 'manifest'): SwarmdeckError {
  return new SwarmdeckError('CORRUPT_FILE', `Backup ${paths.data} is unusable: ${what}`, { reason, file: paths.data });
}

/** Opens a finished backup (its manifest exists) of `profileId`; anything else is a typed error. */
export async function openBackup(root: string, profileId: string, id: string): Promise<OpenBackup> {
  assertProfileId(profileId);
  assertBackupId(id);
  const paths = backupPaths(root, profileId, id);
  let text: string;
  try {
    text = await readFile(paths.manifest, 'utf8');
  } catch {
    throw new SwarmdeckError('NOT_FOUND', `No finished backup ${id} for profile ${profileId}`, { backupId: id, profileId });
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch {
    throw corrupt('its manifest is not JSON', paths, 'manifest');
  }
  if (
    manifest.format !== 'swarmdeck-backup' ||
    typeof manifest.formatVersion !== 'number' ||
    manifest.id !== id ||
    typeof manifest.file?.sha256 !== 'string' ||
    typeof manifest.counts?.keys !== 'number'
  ) {
    throw corrupt('its manifest is not a Swarmdeck backup manifest of this id', paths, 'manifest');
  }
  if (manifest.formatVersion > FORMAT_VERSION)
    throw corrupt(`format version ${manifest.formatVersion} is newer than this build reads (${FORMAT_VERSION})`, paths, 'manifest');
  if (manifest.source?.profileId !== profileId) {
    throw new SwarmdeckError('VALIDATION', `Backup ${id} belongs to profile ${manifest.source?.profileId}, not ${profileId}`, {
      reason: 'wrong-profile',
    });
  }
  return { paths, manifest };
}

/** The finished backups of a profile, newest first. */
export async function listBackups(
  root: string,
  profileId: string,
  onUnreadable?: (id: string, error: SwarmdeckError) => void,
): Promise<Manifest[]> {
  assertProfileId(profileId);
  const dir = backupPaths(root, profileId, 'x').dir;
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: Manifest[] = [];
  for (const n of names) {
    if (n.startsWith('.') || !n.endsWith(MANIFEST_SUFFIX)) continue;
    const id = n.slice(0, -MANIFEST_SUFFIX.length);
    try {
      out.push((await openBackup(root, profileId, id)).manifest);
    } catch (error) {
      // One damaged or foreign manifest must not hide every other backup (nor be pruned unseen).
      if (!(error instanceof SwarmdeckError)) throw error;
      onUnreadable?.(id, error);
    }
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Pulls exact byte counts from a chunk stream, holding at most one chunk plus the request. */
class ByteSource {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private readonly it: AsyncIterator<Buffer>;
  consumed = 0;
  constructor(stream: AsyncIterable<Buffer>) {
    this.it = stream[Symbol.asyncIterator]();
  }

  /** n bytes, or null at a clean end of stream; a partial read is `truncated`. */
  async read(n: number): Promise<Buffer | null> {
    let have = this.buf.length - this.pos;
    if (have < n) {
      // Gather the chunks first and join them once: joining per chunk made a big value quadratic.
      const parts = [this.buf.subarray(this.pos)];
      while (have < n) {
        const next = await this.it.next();
        if (next.done) {
          if (have === 0) return null;
          throw new RangeError('truncated');
        }
        parts.push(next.value);
        have += next.value.length;
      }
      this.buf = parts.length === 2 && have === parts[1]?.length ? (parts[1] as Buffer) : Buffer.concat(parts, have);
      this.pos = 0;
    }
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    this.consumed += n;
    return out;
  }

  async need(n: number): Promise<Buffer> {
    const b = await this.read(n);
    if (b === null) throw new RangeError('truncated');
    return b;
  }
}

export interface ReadSummary {
  records: number;
  shards: Map<number, string>;
  sha256: string;
  compressedBytes: number;
  uncompressedBytes: number;
}

/** The `n`th record of the file, its batch's shard and time left to the caller. */
async function readRecord(src: ByteSource, paths: BackupPaths, n: number): Promise<Omit<BackupRecord, 'readAt' | 'shard'>> {
  const key = Buffer.from(await src.need((await src.need(4)).readUInt32BE(0)));
  const meta = await src.need(17);
  const type = typeFromCode(meta.readUInt8(0));
  if (type === undefined) throw corrupt(`record ${n} has unknown type code ${meta.readUInt8(0)}`, paths, 'corrupt');
  const expireAt = readInt64(meta, 1);
  const length = readInt64(meta, 9);
  if (length < 0) throw corrupt(`record ${n} has a negative payload length`, paths, 'corrupt');
  if (length > 4 * 1024 * 1024 * 1024) throw corrupt(`record ${n} claims a ${length}-byte payload`, paths, 'corrupt');
  return { key, type, expireAt, payload: Buffer.from(await src.need(length)) };
}

/**
 * Every record of a backup file, in file order, with bounded memory (one record at a time).
 * The SHA-256 of the compressed bytes is checked against the manifest at the end, so a
 * consumer that must not act on a damaged file reads it through once before acting.
 */
export async function* readRecords(backup: OpenBackup, summary?: Partial<ReadSummary>): AsyncGenerator<BackupRecord> {
  const { paths, manifest } = backup;
  const hash = createHash('sha256');
  let compressed = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _e, cb) {
      hash.update(chunk);
      compressed += chunk.length;
      cb(null, chunk);
    },
  });
  const file = createReadStream(paths.data);
  const gunzip = createGunzip();
  file.on('error', (e) => gunzip.destroy(e));
  tap.on('error', (e) => gunzip.destroy(e));
  file.pipe(tap).pipe(gunzip);
  const src = new ByteSource(gunzip);
  const shards = new Map<number, string>();
  let records = 0;
  try {
    const head = await src.read(MAGIC.length + 6);
    if (head === null || !head.subarray(0, 4).equals(MAGIC)) throw corrupt('it does not start with the SDBK header', paths, 'corrupt');
    const version = head.readUInt16BE(4);
    if (version !== manifest.formatVersion)
      throw corrupt(`header version ${version} differs from the manifest's ${manifest.formatVersion}`, paths, 'corrupt');
    const header = JSON.parse((await src.need(head.readUInt32BE(6))).toString('utf8')) as { id?: string };
    if (header.id !== manifest.id) throw corrupt('the header names another backup', paths, 'corrupt');
    let ended = false;
    while (!ended) {
      const tag = await src.need(1);
      switch (tag[0]) {
        case FRAME_SHARD: {
          const h = await src.need(4);
          shards.set(h.readUInt16BE(0), (await src.need(h.readUInt16BE(2))).toString('utf8'));
          break;
        }
        case FRAME_BATCH: {
          const h = await src.need(14);
          const shard = h.readUInt16BE(0);
          if (!shards.has(shard)) throw corrupt(`a batch names shard ${shard}, which was never declared`, paths, 'corrupt');
          const readAt = Number(h.readBigInt64BE(2));
          const count = h.readUInt32BE(10);
          for (let i = 0; i < count; i += 1) {
            const record = await readRecord(src, paths, records + 1);
            records += 1;
            yield { ...record, readAt, shard };
          }
          break;
        }
        case FRAME_END: {
          const total = Number((await src.need(8)).readBigUInt64BE(0));
          if (total !== records) throw corrupt(`the end frame counts ${total} records, the file holds ${records}`, paths, 'corrupt');
          if ((await src.read(1)) !== null) throw corrupt('bytes follow the end frame', paths, 'corrupt');
          ended = true;
          break;
        }
        default:
          throw corrupt(`unknown frame tag ${tag[0]} after ${records} records`, paths, 'corrupt');
      }
    }
  } catch (error) {
    if (error instanceof SwarmdeckError) throw error;
    const e = error as NodeJS.ErrnoException;
    if (e instanceof RangeError || e.code === 'Z_BUF_ERROR') throw corrupt(`it ends early, after ${records} records`, paths, 'truncated');
    if (e.code === 'ENOENT') throw new SwarmdeckError('NOT_FOUND', `The data file ${paths.data} is missing`, { reason: 'missing' });
    throw corrupt(`${e.message} after ${records} records`, paths, 'corrupt');
  } finally {
    file.destroy();
    gunzip.destroy();
  }
  const sha256 = hash.digest('hex');
  // Filled before the checks against the manifest: a verification names which of the two is wrong.
  if (summary) Object.assign(summary, { records, shards, sha256, compressedBytes: compressed, uncompressedBytes: src.consumed });
  if (sha256 !== manifest.file.sha256)
    throw corrupt(`its SHA-256 ${sha256} differs from the manifest's ${manifest.file.sha256}`, paths, 'checksum');
  // The file read through whole and its checksum matches: a count that disagrees is the manifest's.
  if (records !== manifest.counts.keys)
    throw corrupt(`it holds ${records} records, the manifest says ${manifest.counts.keys}`, paths, 'manifest');
}
