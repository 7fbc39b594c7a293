/**
 * Everything the Swarmdeck home holds is its owner's alone (issue 19): another user read a
 * production password out of a backup with `zcat`. Files 0600, folders 0700, whatever the umask;
 * a secret file others can read is refused rather than used.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { KEYS_FILE } from '../../src/main/features/messaging/service';
import { createServices } from '../../src/main/services';
import { SwarmdeckError } from '../../src/shared/errors';
import { ROOT, bed, tempHome } from '../support/bed';

const CLI = join(ROOT, 'bin/swarmdeck.js');
const run = `perm${process.pid}`;
const prefix = `${run}:`;
const outside = mkdtempSync(join(tmpdir(), 'sd-perm-out-'));
const client = new Redis(bed.standalone.port, '127.0.0.1');
afterAll(async () => {
  const keys = await client.keys(`${run}*`);
  if (keys.length > 0) await client.del(...keys);
  client.disconnect();
  rmSync(outside, { recursive: true, force: true });
});

/** The CLI under the umask most systems give users, which makes 0644 files of default modes. */
function swarmdeck(home: string, ...args: string[]) {
  const r = spawnSync('/bin/sh', ['-c', 'umask 022 && exec "$@"', 'sh', process.execPath, CLI, ...args, '--home', home, '--json'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status, `swarmdeck ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** Every entry under `root` (itself included) whose mode is not the private one, as "mode path". */
function notPrivate(root: string): string[] {
  const bad: string[] = [];
  const walk = (path: string) => {
    const info = lstatSync(path);
    const mode = info.mode & 0o777;
    const want = info.isDirectory() ? 0o700 : 0o600;
    if (mode !== want) bad.push(`${mode.toString(8)} ${path}`);
    if (info.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(root);
  return bad;
}

const mode = (path: string) => lstatSync(path).mode & 0o777;

describe('the Swarmdeck home under umask 022', () => {
  it('holds only 0600 files in 0700 folders after a backup, its export, a restore with its safety snapshot and undo, an import, a test restore, a copied-in backup and reports', async () => {
    const home = tempHome();
    const elsewhere = tempHome();
    await client.set(`${prefix}db-password`, 'Sup3rSecret-Prod-Passw0rd');
    await client.set(`${prefix}other`, 'x');
    for (const h of [home, elsewhere]) swarmdeck(h, 'profiles', 'add', 'perm', '--url', `redis://127.0.0.1:${bed.standalone.port}`);

    // A backup with its .rdb export, then a restore over it (safety snapshot, written-key log) and its undo.
    const made = swarmdeck(home, 'backup', '--profile', 'perm', '--scope', 'pattern', '--match', `${prefix}*`, '--format', 'rdb') as {
      files: string[];
    };
    const manifest = made.files.find((f) => f.endsWith('.manifest.json')) as string;
    const rdb = made.files.find((f) => f.endsWith('.rdb')) as string;
    const restored = swarmdeck(home, 'restore', manifest, '--profile', 'perm', '--policy', 'replace') as { restoreId: string };
    swarmdeck(home, 'undo', restored.restoreId, '--profile', 'perm');
    // The .rdb dry-run through a scratch server (its import lives in a temporary folder, gone after), and a test restore.
    swarmdeck(home, 'restore', rdb, '--profile', 'perm', '--dry-run');
    swarmdeck(home, 'verify', manifest, '--test-restore');

    // A backup that arrives from elsewhere as 0644 files is copied into the home to be verified.
    const foreign = swarmdeck(elsewhere, 'backup', '--profile', 'perm', '--scope', 'pattern', '--match', `${prefix}*`) as {
      files: string[];
    };
    for (const f of foreign.files) chmodSync(f, 0o644);
    swarmdeck(home, 'verify', foreign.files.find((f) => f.endsWith('.manifest.json')) as string);

    // A report saved into the home is the home's; saved elsewhere, the operator's umask decides.
    swarmdeck(home, 'report', '--profile', 'perm', '--out', join(home, 'report.html'));
    swarmdeck(home, 'diagnose', 'clients', '--profile', 'perm', '--out', join(home, 'clients.json'));
    swarmdeck(home, 'report', '--profile', 'perm', '--out', join(outside, 'report.html'));
    expect(mode(join(outside, 'report.html'))).toBe(0o644);

    // The backup, the safety snapshot and the copy (a dry run leaves nothing that counts as a backup); beside them the .rdb, the restore's journal and sidecars.
    const files = readdirSync(join(home, 'backups', 'perm'));
    expect(files.filter((f) => f.endsWith('.sdbk')).length).toBe(3);
    expect(files.filter((f) => f.startsWith('.dry-run-'))).toEqual([]);
    expect(files.filter((f) => /\.(rdb|written|meta\.json)$/.test(f)).length).toBeGreaterThanOrEqual(4);
    expect(notPrivate(home)).toEqual([]);
  });

  it('closes the backups an older build left open when the services start', async () => {
    const home = tempHome();
    const dir = join(home, 'backups', 'old');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, '20261201T000000000Z-abcdef.sdbk');
    writeFileSync(file, 'x');
    for (const [p, m] of [
      [join(home, 'backups'), 0o755],
      [dir, 0o755],
      [file, 0o644],
    ] as const)
      chmodSync(p, m);
    const services = createServices({ home, env: {} });
    await services.dispose();
    expect(notPrivate(home)).toEqual([]);
  });
});

describe('messaging-keys.json', () => {
  const home = tempHome();
  const services = createServices({ home, env: {} });
  afterAll(() => services.dispose());

  it('is refused while others can read it, naming the file and the chmod to run, and used once it is 0600', async () => {
    const path = join(home, KEYS_FILE);
    writeFileSync(path, JSON.stringify({ secret: randomBytes(32).toString('base64'), keys: ['k1'] }));
    chmodSync(path, 0o644);
    // Every use of the keyring (watch, publish, routes) loads it through here.
    const refused = await services.messaging.keyring().then(
      () => 'loaded a key file others can read',
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(SwarmdeckError);
    expect((refused as SwarmdeckError).toPayload()).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining(`run "chmod 600 ${path}"`),
      details: { file: path, reason: 'readable-by-others' },
    });
    expect((refused as SwarmdeckError).message.startsWith(`${path} is open to other users (mode 644)`)).toBe(true);

    chmodSync(path, 0o600);
    expect((await services.messaging.keyring())?.current).toBe('k1');
  });
});
