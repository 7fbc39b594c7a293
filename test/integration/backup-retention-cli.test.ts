import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackupSummary, DryRunView, RetentionPlanView } from '../../src/shared/model/backup';
import { bed, ROOT, tempHome } from '../support/bed';
import { dropMany, seedMany } from './backup-seed';

const CLI = join(ROOT, 'bin/swarmdeck.js');
const home = tempHome();
const elsewhere = tempHome();

function swarmdeck(at: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args, '--home', at], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const json = <T>(r: { code: number | null; stdout: string; stderr: string }): T => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};

const run = Date.now().toString(36);
const data = `bret:${run}:`;
const client = new Redis(bed.standalone.port, '127.0.0.1');
afterAll(async () => {
  await dropMany(client, data, 30);
  client.disconnect();
});

const url = `redis://127.0.0.1:${bed.standalone.port}`;
const backups = (at: string) => json<BackupSummary[]>(swarmdeck(at, 'backups', 'list', '--profile', 'ret dev', '--json'));

// One scenario, in order: the backups each step makes are what the next one prunes.
describe('backups prune and restore of an .rdb, as the CLI runs them (issue 20)', { shuffle: false }, () => {
  let full = '';
  let pattern = '';

  it('keeps the verified whole-database backup when a 0-key pattern backup follows it, and says why', async () => {
    await seedMany(client, data, 30);
    expect(swarmdeck(home, 'profiles', 'add', 'ret dev', '--url', url).code).toBe(0);
    full = json<{ backup: BackupSummary }>(swarmdeck(home, 'backup', '--profile', 'ret dev', '--json')).backup.id;
    const manifest = join(home, 'backups', 'ret-dev', `${full}.manifest.json`);
    expect(json<{ ok: boolean }>(swarmdeck(home, 'verify', manifest, '--json')).ok).toBe(true);
    const empty = swarmdeck(home, 'backup', '--profile', 'ret dev', '--scope', 'pattern', '--match', `nothing:${run}:*`, '--json');
    const made = json<{ backup: BackupSummary }>(empty).backup;
    expect(made.keys).toBe(0);
    pattern = made.id;

    const policy = ['--daily', '7', '--weekly', '4', '--monthly', '12'];
    const plan = json<RetentionPlanView>(swarmdeck(home, 'backups', 'prune', '--profile', 'ret dev', ...policy, '--dry-run', '--json'));
    expect(plan.remove).toEqual([]);
    expect(plan.keep.map((k) => [k.backupId, k.series, k.reason.split(', ')[0]])).toEqual([
      [pattern, `pattern nothing:${run}:*`, expect.stringMatching(/^daily 1 of 7 \(/)],
      [full, 'whole database', 'newest verified full backup'],
    ]);
    const text = swarmdeck(home, 'backups', 'prune', '--profile', 'ret dev', ...policy, '--dry-run');
    expect(text.stdout).toContain(`keep   ${full}  whole database: newest verified full backup, daily 1 of 7 (`);

    expect(json<{ removed: string[] }>(swarmdeck(home, 'backups', 'prune', '--profile', 'ret dev', ...policy, '--json')).removed).toEqual(
      [],
    );
    expect(backups(home).map((b) => b.id)).toEqual([pattern, full]);
  });

  it('dry-runs a foreign .rdb leaving nothing behind, and labels a restored one as the import it is', async () => {
    // The .rdb comes from another home, as a file handed over by someone else would.
    expect(swarmdeck(elsewhere, 'profiles', 'add', 'ret dev', '--url', url).code).toBe(0);
    const out = mkdtempSync(join(tmpdir(), 'sd-ret-rdb-'));
    const exported = swarmdeck(
      elsewhere,
      'backup',
      '--profile',
      'ret dev',
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
    const foreign = json<{ files: string[] }>(exported).files.find((f) => f.endsWith('.rdb')) as string;
    await client.del(`${data}0`, `${data}1`);

    const before = readdirSync(join(home, 'backups', 'ret-dev')).sort();
    const dry = json<DryRunView>(swarmdeck(home, 'restore', foreign, '--profile', 'ret dev', '--dry-run', '--json'));
    expect([dry.selected, dry.new.count, dry.identical.count]).toEqual([30, 2, 28]);
    // Nothing in the profile's folder, and no temporary folder left in the backups root.
    expect(readdirSync(join(home, 'backups', 'ret-dev')).sort()).toEqual(before);
    expect(readdirSync(join(home, 'backups'))).toEqual(['ret-dev']);
    expect(backups(home).map((b) => b.id)).toEqual([pattern, full]);

    const copy = `bret-copy:${run}:`;
    const restored = swarmdeck(home, 'restore', foreign, '--profile', 'ret dev', '--into-prefix', `${data}=${copy}`, '--json');
    const restoreId = json<{ restoreId: string }>(restored).restoreId;
    const imported = backups(home).find((b) => b.origin === 'rdb-import') as BackupSummary;
    expect(imported.importedFrom).toBe(foreign);
    const list = swarmdeck(home, 'backups', 'list', '--profile', 'ret dev');
    const name = foreign.split('/').pop() as string;
    expect(list.stdout).toMatch(new RegExp(`${imported.id} .* imported from ${name.replace(/\./g, '\\.')}`));
    const plan = json<RetentionPlanView>(
      swarmdeck(home, 'backups', 'prune', '--profile', 'ret dev', '--daily', '1', '--weekly', '0', '--monthly', '0', '--dry-run', '--json'),
    );
    expect(plan.keep.find((k) => k.backupId === imported.id)).toEqual({
      backupId: imported.id,
      series: `imported from ${name}`,
      reason: `imported from ${name}: retention leaves imports alone (delete it by hand)`,
    });
    expect(plan.remove.map((r) => r.backupId)).toEqual([]);
    expect(swarmdeck(home, 'undo', restoreId, '--profile', 'ret dev', '--json').code).toBe(0);
  });
});
