/**
 * One big random string value through backup, verify and restore, at growing sizes: reading a
 * backup must be linear in the size of a value. The peer, in the same run, is the floor any
 * reader of the file pays — the same file streamed through gunzip and SHA-256 — so the ratio
 * verify / floor should stay flat as the value grows (it grew with the size while the reader
 * joined its pending buffer once per 16 KiB chunk). Prints one JSON line.
 * Env: BENCH_BIG_MIB (default "8,32,128"; Redis allows a string of up to 512 MiB).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Redis } from 'ioredis';
import { createBackup, openBackup, restoreBackup, verifyBackup } from '../src/main/features/backup';
import { bed } from '../test/support/bed';

const SIZES = (process.env.BENCH_BIG_MIB ?? '8,32,128').split(',').map(Number);
const note = (text: string) => process.stderr.write(`[bench/backup-big-value] ${text}\n`);
const root = mkdtempSync(join(tmpdir(), 'swarmdeck-bench-big-'));
const client = new Redis(bed.standalone.port, '127.0.0.1', { maxRetriesPerRequest: null });
const profile = { id: 'bench-big', name: 'bench', environment: 'development' as const };
const run = Date.now().toString(36);

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
}

async function floor(file: string): Promise<void> {
  const hash = createHash('sha256');
  const sink = new Writable({ write: (chunk: Buffer, _e, cb) => cb() });
  const tap = createReadStream(file);
  tap.on('data', (c) => hash.update(c));
  await pipeline(tap, createGunzip(), sink);
}

const rows = [];
try {
  for (const mib of SIZES) {
    const key = `bench-big:${run}:${mib}`;
    await client.set(key, randomBytes(mib * 1024 * 1024));
    const [backup, backupMs] = await timed(() => createBackup(client, profile, { root, scope: { kind: 'prefixes', prefixes: [key] } }));
    const id = backup.manifest.id;
    const [report, verifyMs] = await timed(() => verifyBackup(root, profile.id, id));
    if (!report.ok) throw new Error(`verify failed at ${mib} MiB`);
    const [, floorMs] = await timed(async () => floor((await openBackup(root, profile.id, id)).paths.data));
    await client.del(key);
    const [, restoreMs] = await timed(() =>
      restoreBackup({
        root,
        target: client,
        targetProfile: profile,
        backup: { profileId: profile.id, id },
        conflict: 'replace',
        ttl: 'remaining',
        verify: false,
      }),
    );
    const row = {
      mib,
      backupMs: Math.round(backupMs),
      verifyMs: Math.round(verifyMs),
      floorMs: Math.round(floorMs),
      restoreMs: Math.round(restoreMs),
    };
    note(JSON.stringify(row));
    rows.push({ ...row, verifyPerMiBMs: +(verifyMs / mib).toFixed(1), verifyOverFloor: +(verifyMs / floorMs).toFixed(2) });
    await client.del(key);
  }
  console.log(JSON.stringify({ bench: 'backup-big-value', rows }));
} finally {
  client.disconnect();
  rmSync(root, { recursive: true, force: true });
}
