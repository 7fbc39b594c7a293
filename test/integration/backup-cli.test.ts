import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { queueKeys, swarmKeys } from '../../src/main/redis/keyspace';
import { bed, ROOT, tempHome } from '../support/bed';
import { dropMany, seedMany } from './backup-seed';

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

interface Listed {
  restoreId: string;
  state: string;
  backupId: string;
  target: { profileName: string };
  keys: number;
  written?: number;
}

const WORKER = join(ROOT, 'test/support/restore-worker.ts');

/** A restore in a process of its own, stopped (SIGSTOP) after its first journaled batch: alive, holding the target, writing nothing. */
async function stoppedRestore(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', () => reject(new Error('the restore ended before its first batch')));
    child.stdout?.on('data', (d: Buffer) => {
      if (!/^progress \d+/m.test(d.toString())) return;
      child.kill('SIGSTOP');
      resolve();
    });
  });
  return child;
}

describe('swarmdeck restores list, and restore --components/--swarm', { shuffle: false }, () => {
  const P = `bc${run}`;
  const cli = (...args: string[]) => swarmdeck(...args, '--profile', 'bk comp');
  let manifest = '';

  it('restores only the components and swarms named, like the wizard', async () => {
    expect(swarmdeck('profiles', 'add', 'bk comp', '--url', `redis://127.0.0.1:${bed.standalone.port}`, '--prefix', P).code).toBe(0);
    const queue = [queueKeys(P, 'jobs').meta, queueKeys(P, 'jobs').wait];
    const alpha = [swarmKeys(P, 'alpha').swarm, swarmKeys(P, 'alpha').agents];
    const beta = [swarmKeys(P, 'beta').swarm];
    const other = [`${P}:plain`];
    await client.hset(queue[0] as string, { name: 'jobs' });
    await client.zadd(queue[1] as string, 1, 't1');
    for (const k of [...alpha, ...beta, ...other]) await client.set(k, `v-${k}`);
    const made = cli('backup', '--scope', 'pattern', '--match', `${P}*`, '--json');
    expect(made.code, made.stderr).toBe(0);
    manifest = json<{ files: string[] }>(made).files.find((f) => f.endsWith('.manifest.json')) as string;
    await client.del(...queue, ...alpha, ...beta, ...other);

    const r = cli('restore', manifest, '--components', 'queues', '--swarm', 'alpha', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ writtenCount: number }>(r).writtenCount).toBe(queue.length + alpha.length);
    expect(await client.exists(...queue, ...alpha)).toBe(queue.length + alpha.length);
    expect(await client.exists(...beta, ...other)).toBe(0);
    // An unknown component is named by the contract (a usage mistake: exit 2), and nothing is written.
    const bad = cli('restore', manifest, '--components', 'queues,nonsense', '--json');
    expect(bad.code).toBe(2);
    expect(errorCode(bad)).toBe('VALIDATION');
    expect(await client.exists(...beta, ...other)).toBe(0);
    // A list flag that names nothing (an unset shell variable) is refused, never read as "everything".
    for (const [flag, value] of [
      ['--swarm', ''],
      ['--swarm', ','],
      ['--components', ''],
    ]) {
      const empty = cli('restore', manifest, flag as string, value as string, '--json');
      expect(empty.code, `${flag} ${JSON.stringify(value)}`).toBe(2);
      expect(errorCode(empty)).toBe('VALIDATION');
    }
    expect(await client.exists(...beta, ...other)).toBe(0);
    await client.del(...queue, ...alpha);
  });

  it('lists the restores with their state and undo id, as a table and as JSON', () => {
    const listed = cli('restores', 'list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const all = json<Listed[]>(listed);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ state: 'completed', target: { profileName: 'bk comp' }, written: 4, keys: 4 });
    const text = cli('restores', 'list');
    expect(text.stdout).toMatch(/^UNDO ID\s+STATE\s+TARGET\s+BACKUP\s+KEYS\s+WRITTEN\s+CREATED/);
    expect(text.stdout).toContain(`${all[0]?.restoreId}  completed  bk comp`);

    expect(cli('undo', all[0]?.restoreId as string, '--json').code).toBe(0);
    expect(json<Listed[]>(cli('restores', 'list', '--json'))[0]).toMatchObject({ restoreId: all[0]?.restoreId, state: 'undone' });
    expect(swarmdeck('restores', 'list', '--profile', 'no such profile').code).toBe(1);
    expect(cli('restores').code).toBe(2);
  });

  it('shows a restore still writing as running, and one SIGKILLed as interrupted with its undo id', { timeout: 60_000 }, async () => {
    const src = `bkill:${run}:src:`;
    const to = `bkill:${run}:to:`;
    await seedMany(client, src, 300);
    const made = swarmdeck('backup', '--profile', 'bk dev', '--scope', 'pattern', '--match', `${src}*`, '--json');
    expect(made.code, made.stderr).toBe(0);
    const backupId = json<{ backup: { id: string } }>(made).backup.id;
    const profileId = json<{ id: string; name: string }[]>(swarmdeck('profiles', 'list', '--json')).find((p) => p.name === 'bk dev')
      ?.id as string;
    const args = ['standalone', String(bed.standalone.port), join(home, 'backups'), profileId, backupId, profileId, src, to, '10'];
    const child = await stoppedRestore(args);
    const find = () => json<Listed[]>(swarmdeck('restores', 'list', '--profile', 'bk dev', '--json')).find((r) => r.backupId === backupId);
    try {
      expect(find()).toMatchObject({ state: 'running' });
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    const killed = find() as Listed;
    expect(killed.state).toBe('interrupted');
    const text = swarmdeck('restores', 'list', '--profile', 'bk dev').stdout;
    expect(text).toContain(`${killed.restoreId}  interrupted`);
    // Its undo id undoes it: the keys it wrote before it was killed are gone again.
    const undone = swarmdeck('undo', killed.restoreId, '--profile', 'bk dev', '--json');
    expect(undone.code, undone.stderr).toBe(0);
    const written = Array.from({ length: 300 }, (_, i) => `${to}${i}`);
    expect(await client.exists(...written)).toBe(0);
    expect(find()).toMatchObject({ restoreId: killed.restoreId, state: 'undone' });
    await dropMany(client, src, 300);
  });
});
