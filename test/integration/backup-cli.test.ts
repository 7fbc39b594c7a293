import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { bed, ROOT, tempHome } from '../support/bed';
import { seedMany } from './backup-seed';

const CLI = join(ROOT, 'bin/swarmdeck.js');

function swarmdeck(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args, '--home', home], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const json = <T>(r: { stdout: string }): T => JSON.parse(r.stdout) as T;
const errorCode = (r: { stderr: string }): string => (JSON.parse(r.stderr) as { error: { code: string } }).error.code;

const home = tempHome();
const out = mkdtempSync(join(tmpdir(), 'swarmdeck-cli-out-'));
const run = Date.now().toString(36);
const data = `bcli:${run}:`;
const client = new Redis(bed.standalone.port, '127.0.0.1');
afterAll(() => client.disconnect());

// A scenario: each test uses what the one before it made (a backup, its id, a queue), so its order is kept under --sequence.shuffle.
describe('swarmdeck backup, verify, restore, backups', { shuffle: false }, () => {
  let manifest = '';
  let rdb = '';

  it('backs up a pattern with --out, lists it and verifies the copy', async () => {
    await seedMany(client, data, 40);
    expect(swarmdeck('profiles', 'add', 'bk dev', '--url', `redis://127.0.0.1:${bed.standalone.port}`).code).toBe(0);
    expect(swarmdeck('profiles', 'add', 'bk prod', '--url', `redis://127.0.0.1:${bed.standalone.port}`, '--env', 'production').code).toBe(
      0,
    );

    const r = swarmdeck(
      'backup',
      '--profile',
      'bk dev',
      '--scope',
      'pattern',
      '--match',
      `${data}*`,
      '--format',
      'rdb',
      '--out',
      out,
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const made = json<{ backup: { id: string; keys: number }; files: string[] }>(r);
    expect(made.backup.keys).toBe(40);
    expect(made.files.every((f) => f.startsWith(out) && existsSync(f))).toBe(true);
    manifest = made.files.find((f) => f.endsWith('.manifest.json')) as string;
    rdb = made.files.find((f) => f.endsWith('.rdb')) as string;
    expect(rdb).toBeDefined();

    const listed = json<{ id: string }[]>(swarmdeck('backups', 'list', '--profile', 'bk dev', '--json'));
    expect(listed.map((b) => b.id)).toEqual([made.backup.id]);
    const verified = swarmdeck('verify', manifest, '--test-restore', '--json');
    expect(verified.code, verified.stderr).toBe(0);
    expect(json<{ ok: boolean; testRestore: { restored: number } }>(verified)).toMatchObject({ ok: true, testRestore: { restored: 40 } });
  });

  it('dry-runs and restores the backup file, and restores from the .rdb', async () => {
    for (let i = 0; i < 6; i += 1) await client.del(Buffer.concat([Buffer.from(data), Buffer.from(String(i))]));
    const dry = swarmdeck('restore', manifest, '--profile', 'bk dev', '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    expect(json<{ new: { count: number }; identical: { count: number } }>(dry)).toMatchObject({
      new: { count: 6 },
      identical: { count: 34 },
    });

    const done = swarmdeck('restore', manifest, '--profile', 'bk dev', '--policy', 'skip', '--json');
    expect(done.code, done.stderr).toBe(0);
    expect(json<{ status: string; writtenCount: number; verification: { mismatchedCount: number } }>(done)).toMatchObject({
      status: 'completed',
      writtenCount: 6,
      verification: { mismatchedCount: 0 },
    });
    expect(await client.get(`${data}0`)).toBe('value-0');

    // The .rdb goes through a scratch redis-server into a backup, then restores under another prefix.
    const copy = `bcli-copy:${run}:`;
    const fromRdb = swarmdeck('restore', rdb, '--profile', 'bk dev', '--into-prefix', `${data}=${copy}`, '--json');
    expect(fromRdb.code, fromRdb.stderr).toBe(0);
    expect(json<{ writtenCount: number }>(fromRdb).writtenCount).toBe(40);
    expect(await client.get(`${copy}7`)).toBe('value-7');

    // The restore says how to undo it, and the CLI can: the keys it created are gone again.
    const undone = swarmdeck('undo', json<{ restoreId: string }>(fromRdb).restoreId, '--profile', 'bk dev', '--json');
    expect(undone.code, undone.stderr).toBe(0);
    expect(json<{ deleted: number }>(undone).deleted).toBe(40);
    expect(await client.exists(`${copy}7`)).toBe(0);
  });

  it('exits 2 on a usage mistake and 1 with a typed error on a refusal or a damaged file', () => {
    expect(swarmdeck('restore', manifest, '--profile', 'bk dev', '--policy', 'merge').code).toBe(2);
    expect(swarmdeck('backup', '--profile', 'bk dev', '--scope', 'pattern').code).toBe(2);
    expect(swarmdeck('verify', join(out, 'notes.txt')).code).toBe(2);

    const refused = swarmdeck('restore', manifest, '--profile', 'bk prod', '--policy', 'replace', '--json');
    expect(refused.code).toBe(1);
    expect(errorCode(refused)).toBe('CONFIRMATION_REQUIRED');
    const typed = swarmdeck('restore', manifest, '--profile', 'bk prod', '--policy', 'replace', '--confirm', 'bk prod', '--json');
    expect(typed.code, typed.stderr).toBe(0);

    const damaged = mkdtempSync(join(tmpdir(), 'swarmdeck-cli-bad-'));
    const id = readdirSync(out)
      .find((n) => n.endsWith('.manifest.json'))
      ?.replace('.manifest.json', '') as string;
    writeFileSync(join(damaged, `${id}.manifest.json`), JSON.stringify({ source: { profileId: 'bk-other' } }));
    writeFileSync(join(damaged, `${id}.sdbk`), 'not gzip');
    const bad = swarmdeck('verify', join(damaged, `${id}.sdbk`), '--json');
    expect(bad.code).toBe(1);
    expect(errorCode(bad)).toBe('CORRUPT_FILE');

    // A damaged copy of a backup the home holds never replaces the good one.
    const copy = mkdtempSync(join(tmpdir(), 'swarmdeck-cli-copy-'));
    for (const name of readdirSync(out).filter((n) => n.startsWith(id))) writeFileSync(join(copy, name), readFileSync(join(out, name)));
    const sdbk = join(copy, `${id}.sdbk`);
    const bytes = readFileSync(sdbk);
    bytes.fill(0, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 16);
    writeFileSync(sdbk, bytes);
    const clash = swarmdeck('verify', sdbk, '--json');
    expect(clash.code).toBe(1);
    expect(errorCode(clash)).toBe('CONFLICT');
    expect(swarmdeck('verify', manifest).code).toBe(0);
  });
});
