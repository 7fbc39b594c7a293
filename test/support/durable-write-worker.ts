/**
 * Writes one file the way the home does, in its own process, so that a test can give it a
 * umask or a file-size limit (`ulimit -f`) of its own. Prints one JSON line: what came of it.
 *   write PATH BYTES [MODE] [shared]   writeFileDurably
 *   stream PATH BYTES                  a DurableFile at the end of a pipeline
 *   backup ROOT BYTES                  a backup file (gzip stream, then the manifest)
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DurableFile, writeFileDurably } from '../../src/main/durable-file';
import { BackupFileWriter } from '../../src/main/features/backup/file-writer';
import type { Manifest } from '../../src/main/features/backup/format';
import { SwarmdeckError } from '../../src/shared/errors';

const [what, path, bytes, mode, shared] = process.argv.slice(2) as [string, string, string, string | undefined, string | undefined];
const size = Number(bytes);

async function stream(): Promise<void> {
  const file = await DurableFile.create(path);
  try {
    await pipeline(Readable.from([randomBytes(size / 2), randomBytes(size / 2)]), file);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

async function backup(): Promise<void> {
  const writer = await BackupFileWriter.create(path, 'p-worker', '20260101T000000000Z-worker', 'backup', new Date().toISOString());
  try {
    await writer.shard(0, 'worker');
    // Random bytes do not compress: the gzip stream reaches the file-size limit.
    await writer.batch(0, Date.now(), [{ key: Buffer.from('big'), type: 'string', expireAt: -1, payload: randomBytes(size) }]);
    await writer.finish((file) => ({ file }) as unknown as Manifest);
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

async function main(): Promise<void> {
  if (what === 'write')
    await writeFileDurably(path, 'x'.repeat(size), {
      ...(mode ? { mode: parseInt(mode, 8) } : {}),
      ...(shared === 'shared' ? { privateFolder: false } : {}),
    });
  else if (what === 'stream') await stream();
  else if (what === 'backup') await backup();
  else throw new Error(`unknown ${what}`);
}

main().then(
  () => console.log(JSON.stringify({ ok: true })),
  (error: unknown) => {
    const e = error instanceof SwarmdeckError ? error : undefined;
    console.log(
      JSON.stringify({ ok: false, code: e?.code ?? 'untyped', errno: e?.details?.errno, message: String((error as Error).message) }),
    );
  },
);
