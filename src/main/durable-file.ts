/**
 * The one way Swarmdeck puts a file in place: written under a temporary name in the same folder,
 * synced, renamed over the real name, and the folder synced, so a crash, a power cut or a full
 * disk leaves either the previous file or the whole new one, never half of it, and a reader
 * never sees a file in the making. Every file the home holds goes through here, streams too.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { SwarmdeckError } from '../shared/errors';
import { PRIVATE_FILE, privateDirSync } from './private-files';

export interface DurableFileOptions {
  /**
   * The file's mode (default 0600). A private mode (nothing for group or others) is set exactly,
   * whatever the umask; a wider one is left to the umask, as for any file a command writes where told.
   */
  mode?: number;
  /**
   * Whether the folder is the home's: made (with missing parents) and kept 0700 (the default).
   * False for a file the operator places elsewhere, whose folder must already exist and stays as
   * it is; a file already there keeps its mode and a symlink is written through, as a plain write would.
   */
  privateFolder?: boolean;
}

/** Where an operator's file really goes and the mode it keeps: a symlink's target, an existing file's own mode. */
async function operatorTarget(path: string, mode: number): Promise<{ path: string; mode: number; exact: boolean }> {
  const real = await realpath(path).catch(() => path);
  const existing = await stat(real).catch(() => undefined);
  return existing?.isFile() ? { path: real, mode: existing.mode & 0o777, exact: true } : { path, mode, exact: false };
}

/** Temporary files end so; whoever lists a folder of the home passes over them (they start with a dot too). */
export const PARTIAL_SUFFIX = '.partial';

const FILE_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EFBIG: 'the file is larger than this process may write',
  EROFS: 'the file system is read-only',
  ENOENT: 'its folder does not exist (any more)',
  EISDIR: 'a folder is where a file should be',
  ENOTDIR: 'a file is where a folder should be',
};

/** A failed file operation as the project's typed error, in the operator's words; a SwarmdeckError passes through. */
export function fileFailure(error: unknown, path: string, doing: string): SwarmdeckError {
  if (error instanceof SwarmdeckError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === undefined ? String((error as Error).message ?? error) : `${FILE_REASONS[code] ?? code} (${code})`;
  return new SwarmdeckError('FILE_ERROR', `Swarmdeck could not ${doing} ${path}: ${reason}`, {
    file: path,
    ...(code === undefined ? {} : { errno: code }),
  });
}

/** Writes `data` to `path` durably; on failure the previous file (if any) is untouched and no temporary file is left. */
export async function writeFileDurably(path: string, data: string | Uint8Array, options: DurableFileOptions = {}): Promise<void> {
  const file = await DurableFile.create(path, options);
  try {
    await file.put(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/** Copies `from` to `to` durably; the copy takes the mode of `options`, never its source's (often 0644). */
export async function copyFileDurably(from: string, to: string, options: DurableFileOptions = {}): Promise<void> {
  const file = await DurableFile.create(to, options);
  try {
    await pipeline(createReadStream(from), file);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw fileFailure(error, (error as NodeJS.ErrnoException).path ?? to, 'copy');
  }
}

/**
 * A file in the making, as a Writable (the end of a pipeline, or fed with `put`). Ending the
 * stream syncs the data to disk; `commit` then renames it into place and syncs the folder entry,
 * and only then is the file there. Every failure is a FILE_ERROR SwarmdeckError, from `put`,
 * `commit` or the pipeline; the stream never raises an 'error' event that nobody hears.
 */
export class DurableFile extends Writable {
  private failure: SwarmdeckError | undefined;
  private handleClosed = false;

  private constructor(
    readonly path: string,
    private readonly tmp: string,
    private readonly handle: FileHandle,
  ) {
    super();
    this.on('error', (error: Error) => (this.failure ??= fileFailure(error, path, 'write')));
  }

  static async create(requested: string, options: DurableFileOptions = {}): Promise<DurableFile> {
    const placed = options.privateFolder === false;
    const { path, mode, exact } = placed
      ? await operatorTarget(requested, options.mode ?? PRIVATE_FILE)
      : { path: requested, mode: options.mode ?? PRIVATE_FILE, exact: false };
    const dir = dirname(path);
    const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}${PARTIAL_SUFFIX}`);
    let handle: FileHandle;
    try {
      if (options.privateFolder !== false) privateDirSync(dir);
      handle = await open(tmp, 'wx', mode);
    } catch (error) {
      throw fileFailure(error, path, 'create');
    }
    // The umask may have taken bits from a private mode (it must be exactly the owner's) or from
    // the mode an existing file had.
    if ((exact || (mode & 0o077) === 0) && process.platform !== 'win32')
      await handle.chmod(mode).catch(async (error: unknown) => {
        await handle.close();
        await unlink(tmp).catch(() => undefined);
        throw fileFailure(error, path, 'create');
      });
    return new DurableFile(path, tmp, handle);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    writeAll(this.handle, chunk).then(
      () => callback(),
      (error: unknown) => callback(fileFailure(error, this.path, 'write')),
    );
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    writevAll(
      this.handle,
      chunks.map((c) => c.chunk),
    ).then(
      () => callback(),
      (error: unknown) => callback(fileFailure(error, this.path, 'write')),
    );
  }

  /** Without the sync a power cut after the rename can leave an empty file under the real name. */
  override _final(callback: (error?: Error | null) => void): void {
    this.handle
      .sync()
      .then(() => this.closeHandle())
      .then(
        () => callback(),
        (error: unknown) => callback(fileFailure(error, this.path, 'write')),
      );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.closeHandle().then(
      () => callback(error),
      () => callback(error),
    );
  }

  private async closeHandle(): Promise<void> {
    if (this.handleClosed) return;
    this.handleClosed = true;
    await this.handle.close();
  }

  /** Writes one chunk, waiting while the file catches up; rejects once the file has failed. */
  async put(chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    this.write(chunk);
    await this.drained();
  }

  /** Resolves once what was written fits the stream's buffer again; rejects once the file has failed. */
  async drained(): Promise<void> {
    if (this.writableNeedDrain && !this.destroyed)
      await new Promise<void>((resolve) => {
        const settle = () => {
          this.off('drain', settle);
          this.off('close', settle);
          resolve();
        };
        this.once('drain', settle);
        this.once('close', settle);
      });
    if (this.failure) throw this.failure;
  }

  /** Ends the stream if it is not ended yet, then puts the synced file in place and makes that durable. */
  async commit(): Promise<void> {
    if (!this.writableEnded) this.end();
    await finished(this).catch(() => undefined);
    if (this.failure) throw this.failure;
    try {
      await rename(this.tmp, this.path);
      await syncFolder(dirname(this.path));
    } catch (error) {
      throw fileFailure(error, this.path, 'write');
    }
  }

  /** Drops the file in the making: the real name keeps what it held before. */
  async abort(): Promise<void> {
    this.destroy();
    await finished(this).catch(() => undefined);
    await unlink(this.tmp).catch(() => undefined);
  }
}

/**
 * An append-only file that is there under its real name from the start (a journal): each `append`
 * returns once its bytes are on disk (fdatasync), so a crash keeps every record appended before
 * it, and at worst the one being appended torn at the end. Its reader must expect that tail.
 * Failures are FILE_ERRORs; nothing raises an event.
 */
export class DurableLog {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /** Creates the file (it must not exist) and makes its folder entry durable before the first record. */
  static async create(path: string): Promise<DurableLog> {
    try {
      privateDirSync(dirname(path));
      const handle = await open(path, 'wx', PRIVATE_FILE);
      if (process.platform !== 'win32') await handle.chmod(PRIVATE_FILE);
      await syncFolder(dirname(path));
      return new DurableLog(path, handle);
    } catch (error) {
      throw fileFailure(error, path, 'create');
    }
  }

  /** Appends `data`; with `sync` (the default) it is on disk when this resolves. */
  async append(data: Uint8Array, sync = true): Promise<void> {
    try {
      await writeAll(this.handle, data);
      if (sync) await this.handle.datasync();
    } catch (error) {
      throw fileFailure(error, this.path, 'write');
    }
  }

  /** Syncs what was appended without `sync` and closes; the handle is closed whatever happens. */
  async close(): Promise<void> {
    try {
      await this.handle.datasync();
    } catch (error) {
      throw fileFailure(error, this.path, 'write');
    } finally {
      await this.handle.close().catch(() => undefined);
    }
  }
}

/** A write may take part of a buffer (a file-size limit reached midway): the rest is written, or its error raised. */
async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  for (let at = 0; at < chunk.length;) at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
}

async function writevAll(handle: FileHandle, chunks: Buffer[]): Promise<void> {
  let written = (await handle.writev(chunks)).bytesWritten;
  for (const chunk of chunks) {
    if (written >= chunk.length) written -= chunk.length;
    else {
      await writeAll(handle, chunk.subarray(written));
      written = 0;
    }
  }
}

/** Makes a rename or a removal in `dir` durable; Windows cannot open a folder for syncing. */
export async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
