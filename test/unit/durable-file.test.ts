/**
 * The one durable file writer of the home, on real files in a temp folder: the content is there
 * whole after the rename, the modes are the home's whatever the umask, and a write that fails
 * midway (a file-size limit set with `ulimit -f` in a child process, as a full disk would) leaves
 * the previous file as it was and no temporary file behind, with a typed FILE_ERROR.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DurableFile, writeFileDurably } from '../../src/main/durable-file';
import { SwarmdeckError } from '../../src/shared/errors';

const ROOT = join(import.meta.dirname, '../..');
const WORKER = join(ROOT, 'test/support/durable-write-worker.ts');
const base = mkdtempSync(join(tmpdir(), 'sd-durable-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let n = 0;
const folder = () => {
  const dir = join(base, `case-${(n += 1)}`);
  mkdirSync(dir);
  return dir;
};

interface Outcome {
  ok: boolean;
  code?: string;
  errno?: string;
  message?: string;
}

/** Runs the worker under `limits` (shell lines such as `umask 022`, `ulimit -f 8`); it must exit cleanly whatever happened. */
function worker(limits: string, ...args: string[]): Outcome {
  const r = spawnSync('/bin/sh', ['-c', `${limits} && exec "$@"`, 'sh', process.execPath, '--import', 'tsx', WORKER, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  // A crash (an unhandled 'error' event among them) exits non-zero with a stack on stderr.
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as Outcome;
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe('writeFileDurably', () => {
  it('puts the whole content under the real name, 0600 in a 0700 folder, whatever the umask', () => {
    const dir = folder();
    chmodSync(dir, 0o755);
    const file = join(dir, 'doc.json');
    expect(worker('umask 022', 'write', file, '5000')).toEqual({ ok: true });
    expect(readFileSync(file, 'utf8')).toBe('x'.repeat(5000));
    expect(mode(file)).toBe(0o600);
    // An existing folder of the home is closed too, as the home's folders are.
    expect(mode(dir)).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['doc.json']);
    // A umask that takes the owner's own bits away cannot make a private file anything but 0600.
    const nested = join(dir, 'made', 'here.json');
    expect(worker('umask 022', 'write', nested, '10')).toEqual({ ok: true });
    expect(worker('umask 0277', 'write', nested, '20')).toEqual({ ok: true });
    expect([mode(nested), mode(join(dir, 'made'))]).toEqual([0o600, 0o700]);
    expect(readFileSync(nested, 'utf8')).toBe('x'.repeat(20));
  });

  it('leaves a file the operator places elsewhere to the umask and their folder as it is', () => {
    const dir = folder();
    chmodSync(dir, 0o755);
    const file = join(dir, 'report.html');
    expect(worker('umask 022', 'write', file, '10', '666', 'shared')).toEqual({ ok: true });
    expect([mode(file), mode(dir)]).toEqual([0o644, 0o755]);
  });

  it('keeps the mode an operator gave a file already there, and writes through a symlink to its target', () => {
    const dir = folder();
    const file = join(dir, 'report.html');
    writeFileSync(file, 'old');
    chmodSync(file, 0o600);
    expect(worker('umask 022', 'write', file, '10', '666', 'shared')).toEqual({ ok: true });
    expect([mode(file), readFileSync(file, 'utf8')]).toEqual([0o600, 'x'.repeat(10)]);

    const target = join(dir, 'www-report.html');
    writeFileSync(target, 'old');
    const link = join(dir, 'link.html');
    symlinkSync(target, link);
    expect(worker('umask 022', 'write', link, '12', '666', 'shared')).toEqual({ ok: true });
    expect([lstatSync(link).isSymbolicLink(), readFileSync(target, 'utf8')]).toEqual([true, 'x'.repeat(12)]);
  });

  it('replaces a file whole: a reader sees the old content or the new one', async () => {
    const file = join(folder(), 'doc.json');
    await writeFileDurably(file, 'old');
    await writeFileDurably(file, 'new and longer');
    expect(readFileSync(file, 'utf8')).toBe('new and longer');
  });

  for (const kind of ['write', 'stream'] as const)
    it(`a ${kind} that fails midway (ulimit -f) is a FILE_ERROR, keeps the previous file and leaves no temporary file`, () => {
      const dir = folder();
      const file = join(dir, 'doc.json');
      writeFileSync(file, 'previous', { mode: 0o600 });
      // 8 blocks of 1 KiB: the first writes go through, then the file-size limit stops them (EFBIG).
      const outcome = worker('ulimit -f 8', kind, file, String(200 * 1024));
      expect(outcome).toMatchObject({ ok: false, code: 'FILE_ERROR', errno: 'EFBIG' });
      expect(outcome.message).toContain(file);
      expect(readFileSync(file, 'utf8')).toBe('previous');
      expect(readdirSync(dir)).toEqual(['doc.json']);
    });

  it('a folder that is not there (or vanished before the rename) is a FILE_ERROR, not an untyped error', async () => {
    const dir = folder();
    const missing = writeFileDurably(join(dir, 'gone', 'doc.json'), 'x', { privateFolder: false });
    await expect(missing).rejects.toBeInstanceOf(SwarmdeckError);
    await expect(missing).rejects.toMatchObject({ code: 'FILE_ERROR', details: { errno: 'ENOENT' } });
    const vanishing = join(dir, 'vanishing');
    const file = await DurableFile.create(join(vanishing, 'doc.json'));
    await file.put(Buffer.from('x'));
    rmSync(vanishing, { recursive: true });
    await expect(file.commit()).rejects.toMatchObject({ code: 'FILE_ERROR', details: { errno: 'ENOENT' } });
    await file.abort();
  });
});

describe('the backup data file, a durable stream', () => {
  it('fails the backup as a FILE_ERROR when the disk stops taking it, and leaves no file, finished-looking or not', () => {
    const root = folder();
    const outcome = worker('ulimit -f 64', 'backup', root, String(1024 * 1024));
    expect(outcome).toMatchObject({ ok: false, code: 'FILE_ERROR', errno: 'EFBIG' });
    expect(readdirSync(join(root, 'p-worker'))).toEqual([]);
  });

  it('is in place, with its manifest, once finished', () => {
    const root = folder();
    expect(worker('umask 022', 'backup', root, String(1024))).toEqual({ ok: true });
    const names = readdirSync(join(root, 'p-worker')).sort();
    expect(names).toEqual(['20260101T000000000Z-worker.manifest.json', '20260101T000000000Z-worker.sdbk']);
    for (const name of names) expect(mode(join(root, 'p-worker', name))).toBe(0o600);
  });
});
