/**
 * RDB interchange: a backup written out as a real `.rdb` file, and an `.rdb` file taken in as
 * a backup. Values are never parsed: a DUMP payload already is the RDB serialisation of its
 * value, framed by a type byte in front and a 10-byte trailer (RDB version, CRC64) behind.
 */
import { spawn } from 'node:child_process';
import { copyFile, open, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { SwarmdeckError } from '../../../shared/errors';
import { DurableFile } from '../../durable-file';
import { startPrivateServer, type PrivateServer } from '../../redis/private-server';
import { findOnPath } from '../../redis/server-launcher';
import { Crc64 } from '../../redis/rdb/crc64';
import { DATA_SUFFIX, MANIFEST_SUFFIX, rdbVersionOfRedis } from './format';
import { openBackup, readRecords, type OpenBackup } from './reader';
import { createBackup, type BackupProgress, type BackupResult, type SourceProfile } from './writer';

// ---------------------------------------------------------------- RDB encoding

const RDB_MAGIC = 'REDIS';
const OP_AUX = 0xfa;
const OP_SELECTDB = 0xfe;
const OP_EXPIRETIME_MS = 0xfc;
const OP_EOF = 0xff;

/** RDB length encoding: 6, 14, 32 or 64 bits, the two high bits of the first byte say which. */
export function rdbLength(n: number): Buffer {
  if (n < 0x40) return Buffer.from([n]);
  if (n < 0x4000) return Buffer.from([0x40 | (n >> 8), n & 0xff]);
  if (n <= 0xffffffff) {
    const b = Buffer.alloc(5);
    b[0] = 0x80;
    b.writeUInt32BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(9);
  b[0] = 0x81;
  b.writeBigUInt64BE(BigInt(n), 1);
  return b;
}

const rdbString = (s: Buffer | string): Buffer => {
  const b = Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8');
  return Buffer.concat([rdbLength(b.length), b]);
};

const aux = (key: string, value: string): Buffer => Buffer.concat([Buffer.from([OP_AUX]), rdbString(key), rdbString(value)]);

/** `backupPath` names a backup by its data file or its manifest: `<root>/<profile id>/<id>.sdbk|.manifest.json`. */
async function openBackupAt(backupPath: string): Promise<OpenBackup> {
  const name = basename(backupPath);
  const suffix = [MANIFEST_SUFFIX, DATA_SUFFIX].find((s) => name.endsWith(s));
  if (!suffix)
    throw new SwarmdeckError(
      'VALIDATION',
      `${backupPath} is neither a backup data file (${DATA_SUFFIX}) nor its manifest (${MANIFEST_SUFFIX})`,
      { fields: [{ path: 'backupPath', message: 'Not a backup file' }] },
    );
  const dir = dirname(backupPath);
  return openBackup(dirname(dir), basename(dir), name.slice(0, -suffix.length));
}

export interface RdbProgress {
  keys: number;
  bytes: number;
}

export interface ExportRdbOptions {
  signal?: AbortSignal;
  onProgress?: (p: RdbProgress) => void;
}

/**
 * Writes the backup at `backupPath` as an RDB file loadable by any redis-server whose RDB
 * version is at least the payloads'. Every key lands in database 0 (cluster backups too: a
 * cluster has only that one). Written durably (durable-file.ts), so `outFile` is either the
 * whole file or untouched; a damaged backup (checksum, truncation) leaves nothing.
 */
export async function exportRdb(
  backupPath: string,
  outFile: string,
  opts: ExportRdbOptions = {},
): Promise<{ keys: number; bytes: number }> {
  const backup = await openBackupAt(backupPath);
  const { manifest } = backup;
  // An empty backup has no payload to take the version from: the source servers' DUMP version is what they would have written.
  const version = manifest.rdbVersion ?? Math.max(9, ...manifest.redisVersions.map(rdbVersionOfRedis));
  // The operator names where it goes: its folder is theirs and stays as it is, the file is 0600 all the same.
  const out = await DurableFile.create(outFile, { privateFolder: false });
  const crc = new Crc64();
  let bytes = 0;
  let keys = 0;
  const write = async (chunk: Buffer) => {
    crc.update(chunk);
    bytes += chunk.length;
    await out.put(chunk);
  };
  try {
    await write(Buffer.from(`${RDB_MAGIC}${String(version).padStart(4, '0')}`, 'latin1'));
    await write(aux('redis-ver', manifest.redisVersions[0] ?? '0.0.0'));
    await write(aux('redis-bits', '64'));
    await write(aux('ctime', String(Math.floor(Date.parse(manifest.createdAt) / 1000))));
    await write(aux('swarmdeck-backup', manifest.id));
    await write(Buffer.concat([Buffer.from([OP_SELECTDB]), rdbLength(0)]));
    for await (const r of readRecords(backup)) {
      if (opts.signal?.aborted) throw new SwarmdeckError('CONFLICT', 'The RDB export was cancelled', { reason: 'cancelled' });
      // Safety snapshots mark keys that did not exist: there is nothing to write for them.
      if (r.type === 'absent') continue;
      if (r.payload.length < 11)
        throw new SwarmdeckError('CORRUPT_FILE', `Key ${r.key.toString('hex')} has a payload too short to be a DUMP`, {
          reason: 'corrupt',
        });
      const parts: Buffer[] = [];
      if (r.expireAt >= 0) {
        const e = Buffer.alloc(9);
        e[0] = OP_EXPIRETIME_MS;
        e.writeBigUInt64LE(BigInt(r.expireAt), 1);
        parts.push(e);
      }
      parts.push(r.payload.subarray(0, 1), rdbString(r.key), r.payload.subarray(1, r.payload.length - 10));
      for (const p of parts) await write(p);
      keys += 1;
      opts.onProgress?.({ keys, bytes });
    }
    await write(Buffer.from([OP_EOF]));
    const sum = crc.digestLE();
    bytes += sum.length;
    await out.put(sum);
    await out.commit();
    opts.onProgress?.({ keys, bytes });
    return { keys, bytes };
  } catch (error) {
    await out.abort();
    if (error instanceof SwarmdeckError) throw error;
    throw new SwarmdeckError('INTERNAL', `RDB export to ${outFile} failed: ${(error as Error).message}`);
  }
}

// ---------------------------------------------------------------- import

/** The RDB version in a file's 9-byte header; anything that is not `REDIS` + 4 digits is refused. */
export async function rdbVersionOfFile(rdbFile: string): Promise<number> {
  const fh = await open(rdbFile, 'r').catch(() => {
    throw new SwarmdeckError('NOT_FOUND', `No RDB file at ${rdbFile}`, { file: rdbFile });
  });
  try {
    const head = Buffer.alloc(9);
    const { bytesRead } = await fh.read(head, 0, 9, 0);
    const text = head.subarray(0, bytesRead).toString('latin1');
    if (bytesRead < 9 || !text.startsWith(RDB_MAGIC) || !/^[0-9]{4}$/.test(text.slice(5))) {
      throw new SwarmdeckError('CORRUPT_FILE', `${rdbFile} is not an RDB file: it does not start with REDIS and a 4-digit version`, {
        reason: 'not-rdb',
        file: rdbFile,
      });
    }
    return Number(text.slice(5));
  } finally {
    await fh.close();
  }
}

function runCapture(binary: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', () => resolve(out));
  });
}

export interface ImportRdbOptions {
  signal?: AbortSignal;
  onProgress?: (p: BackupProgress) => void;
  /** The backup's source; by default named after the file. */
  source?: Partial<SourceProfile>;
  /** How long the scratch server may take to load the file (default 10 minutes). */
  loadTimeoutMs?: number;
}

/** A profile id from a file name: `dump (3).rdb` → `dump-3`. */
function sourceOfFile(rdbFile: string): SourceProfile {
  const stem = basename(rdbFile, extname(rdbFile));
  const id =
    stem
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 64) || 'rdb-import';
  return { id, name: basename(rdbFile), environment: 'development' };
}

/**
 * Takes an `.rdb` file in as a Swarmdeck backup: a private scratch redis-server loads a copy
 * of it, `createBackup` reads that server like any other, then the server and the copy go.
 * The file itself is never modified, and the server listens on no port at all: only on a
 * socket in a folder of ours that no other user can enter (see `redis/private-server.ts`).
 */
export async function importRdb(rdbFile: string, backupsDir: string, opts: ImportRdbOptions = {}): Promise<BackupResult> {
  const binary = findOnPath('redis-server');
  if (!binary)
    throw new SwarmdeckError(
      'UNAVAILABLE',
      'Importing an RDB file needs redis-server on the PATH (Debian/Ubuntu: "sudo apt-get install redis-server")',
    );
  const version = await rdbVersionOfFile(rdbFile);
  const localRedis = /v=([0-9.]+)/.exec(await runCapture(binary, ['--version']))?.[1] ?? '0.0.0';
  const localRdb = rdbVersionOfRedis(localRedis);
  if (version > localRdb) {
    throw new SwarmdeckError(
      'VALIDATION',
      `${basename(rdbFile)} is RDB version ${version}, newer than the local redis-server ${localRedis} reads (up to ${localRdb}); import it with a newer Redis installed`,
      {
        reason: 'rdb-version',
        fileRdbVersion: version,
        localRdbVersion: localRdb,
        localRedisVersion: localRedis,
      },
    );
  }
  const source = { ...sourceOfFile(rdbFile), ...opts.source };
  if (!(await stat(rdbFile)).isFile()) throw new SwarmdeckError('VALIDATION', `${rdbFile} is not a file`, { reason: 'not-rdb' });
  let scratch: PrivateServer;
  try {
    scratch = await startPrivateServer(binary, {
      purpose: 'the RDB import',
      // The server loads a copy inside its private folder: the file itself is never modified.
      prepare: (dir) => copyFile(rdbFile, join(dir, 'import.rdb')),
      args: ['--dbfilename', 'import.rdb'],
      readyTimeoutMs: opts.loadTimeoutMs ?? 600_000,
      signal: opts.signal,
    });
  } catch (error) {
    // The file is the only thing that differs between imports: a server that exits while loading it is refusing it.
    if (error instanceof SwarmdeckError && error.details?.reason === 'server-exited') {
      throw new SwarmdeckError(
        'CORRUPT_FILE',
        `${rdbFile} could not be loaded by redis-server: ${String(error.details.log ?? '') || 'it exited'}`,
        { reason: 'corrupt', file: rdbFile },
      );
    }
    throw error;
  }
  try {
    const { client } = scratch;
    // A Swarmdeck backup holds one database (a cluster has no other): keys elsewhere would be silently lost.
    const others = (await client.info('keyspace'))
      .split('\n')
      .map((l) => /^db(\d+):keys=(\d+)/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null && m[1] !== '0');
    if (others.length > 0) {
      throw new SwarmdeckError(
        'VALIDATION',
        `${basename(rdbFile)} holds keys in database ${others.map((m) => `${m[1]} (${m[2]} keys)`).join(', ')}; a backup holds database 0 only`,
        {
          reason: 'other-databases',
          databases: others.map((m) => Number(m[1])),
        },
      );
    }
    return await createBackup(client, source, { root: backupsDir, signal: opts.signal, onProgress: opts.onProgress });
  } finally {
    await scratch.stop();
  }
}
