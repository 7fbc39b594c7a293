import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { Page } from '@playwright/test';
import { queueKeys, swarmKeys } from '../../src/main/redis/keyspace';
import { bed } from './bed-ports';
import { expect, test } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../..');

/** Connect, wait until the profile is live (Connect stays on Connections), then open Backups. */
async function openBackups(app: Page, profile: string): Promise<void> {
  const card = app.getByTestId(`profile-${profile}`);
  await card.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(card.getByRole('button', { name: 'Disconnect' })).toBeVisible();
  await app.getByRole('button', { name: 'Backups' }).click();
}

const cli = (home: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/swarmdeck.js'), ...args, '--home', home], { encoding: 'utf8' });

/** A database of the bed's standalone server (checked by bed-ports) that only this spec uses, so it may be flushed. */
const DB = 7;

/** The application's keys only: backups and restores add audit entries beside them. */
async function appKeys(redis: Redis): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', 'app:*', 'COUNT', 100);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  return n;
}

test('back up from the UI, lose keys, restore them through the wizard, then undo the restore', async ({ app, home }) => {
  const redis = new Redis(bed.standalone.port, '127.0.0.1', { db: DB });
  await redis.flushdb();
  for (let i = 0; i < 20; i += 1) await redis.set(`app:item:${i}`, `value-${i}`);
  await redis.hset('app:config', { mode: 'primary', replicas: '2' });
  await redis.rpush('app:log', 'a', 'b', 'c');
  expect(cli(home, 'profiles', 'add', 'shop', '--url', `redis://127.0.0.1:${bed.standalone.port}/${DB}`).status).toBe(0);

  await app.reload();
  await openBackups(app, 'shop');
  await expect(app.getByTestId('backups-empty')).toContainText('No backups yet');

  // Back up now, the application's keys only (Swarmdeck's own keys of a live profile come and
  // go): the job's bar runs to the end and the new backup is listed with its key count.
  await app.getByRole('radio', { name: 'Key patterns' }).click();
  await app.getByLabel('Key patterns').fill('app:*');
  await app.getByRole('button', { name: 'Back up now' }).click();
  const bar = app.getByTestId('job-backup');
  await expect(bar).toContainText('done');
  // A pattern scope has no total up front: the finished bar is full and green, with the count.
  await expect(bar).toHaveClass(/job-done/);
  await expect(bar.locator('.job-bar i').first()).toHaveAttribute('style', /width: 100%/);
  await expect(bar).toContainText('22 keys');
  const row = app.getByTestId('backup-table').locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row.locator('td.num').first()).toHaveText('22');
  await expect(row).toContainText('app:*');

  // Lose five keys, change one, and add one the backup never saw.
  await redis.del('app:item:0', 'app:item:1', 'app:item:2', 'app:item:3', 'app:item:4');
  await redis.set('app:item:5', 'changed after the backup');
  await redis.set('app:new', 'only in the target');
  expect(await appKeys(redis)).toBe(18);

  await row.getByRole('button', { name: 'Restore…' }).click();
  const wizard = app.getByTestId('wizard');
  await expect(wizard.getByTestId('preflight')).toContainText('The target can take this backup.');
  await expect(wizard.getByTestId('check-rdb-version')).toContainText('payload RDB version');
  const next = wizard.getByRole('button', { name: 'Next →' });
  await next.click();
  // Only the application's keys: the audit stream the backup itself wrote is left alone.
  await wizard.getByLabel('Restore patterns').fill('app:*');
  await next.click();
  // Policies: the defaults (skip existing keys, absolute TTLs) are what this restore wants.
  await expect(wizard.getByRole('radio', { name: 'Conflict: Skip' })).toBeChecked();
  await wizard.getByRole('button', { name: 'Dry run →' }).click();

  const dry = wizard.getByTestId('dry-run');
  await expect(dry.getByTestId('dry-new')).toContainText('5');
  await expect(dry.getByTestId('dry-different')).toContainText('1');
  await expect(dry.getByTestId('dry-identical')).toContainText('16');
  await expect(dry.getByTestId('dry-onlyInTarget')).toContainText('1');
  await expect(dry).toContainText('app:item:5');
  await expect(wizard.getByTestId('dry-run-chart').locator('canvas')).toBeVisible();
  // A dry run writes nothing.
  expect(await redis.exists('app:item:0')).toBe(0);

  await next.click();
  await expect(wizard.getByTestId('snapshot-step')).toContainText('5 keys the restore creates');
  await next.click();
  await wizard.getByRole('button', { name: 'Run the restore…' }).click();
  await app.getByRole('dialog', { name: 'Run the restore?' }).getByRole('button', { name: 'Run the restore' }).click();
  await expect(wizard.getByTestId('job-backup.restore')).toContainText('done');
  await wizard.getByRole('button', { name: 'Verification report →' }).click();

  const report = wizard.getByTestId('restore-report');
  await expect(report.getByTestId('restore-status')).toContainText('Restore completed');
  await expect(report.getByTestId('report-written')).toHaveText('5');
  await expect(report.getByTestId('report-verified')).toHaveText('5 / 5');
  expect(await redis.mget('app:item:0', 'app:item:4')).toEqual(['value-0', 'value-4']);
  expect(await redis.get('app:item:5')).toBe('changed after the backup');
  expect(await redis.get('app:new')).toBe('only in the target');
  expect(await appKeys(redis)).toBe(23);

  await report.getByRole('button', { name: 'Undo this restore…' }).click();
  await app.getByRole('dialog', { name: 'Undo the restore?' }).getByRole('button', { name: 'Undo the restore' }).click();
  await expect(report.getByTestId('undo-result')).toContainText('5 created keys deleted');
  expect(await redis.exists('app:item:0', 'app:item:1', 'app:item:2', 'app:item:3', 'app:item:4')).toBe(0);
  expect(await redis.get('app:item:5')).toBe('changed after the backup');
  expect(await redis.get('app:new')).toBe('only in the target');
  expect(await appKeys(redis)).toBe(18);

  await wizard.getByRole('button', { name: 'Close' }).click();
  await expect(app.getByTestId('restores-panel').locator('tbody tr')).toHaveCount(1);
  await expect(app.getByTestId('restores-panel')).toContainText('undone');
  redis.disconnect();
});

test('on a read-only profile restore is refused with the reason, and the wizard stops at preflight', async ({ app, home }) => {
  const redis = new Redis(bed.standalone.port, '127.0.0.1', { db: DB });
  await redis.flushdb();
  await redis.set('app:one', '1');
  const url = `redis://127.0.0.1:${bed.standalone.port}/${DB}`;
  expect(cli(home, 'profiles', 'add', 'viewer', '--url', url, '--read-only').status).toBe(0);

  await app.reload();
  await openBackups(app, 'viewer');
  // Reading is allowed on a read-only profile: a backup only SCANs and DUMPs.
  await app.getByRole('button', { name: 'Back up now' }).click();
  await expect(app.getByTestId('job-backup')).toContainText('done');
  const row = app.getByTestId('backup-table').locator('tbody tr');
  await expect(row).toHaveCount(1);
  const restore = row.getByRole('button', { name: 'Restore…' });
  await expect(restore).toBeDisabled();
  await expect(restore).toHaveAttribute('title', 'profile "viewer" is read-only: restoring the backup was not done');
  // Deleting a backup file changes nothing in Redis, so read-only allows it (always confirmed).
  await expect(row.getByRole('button', { name: 'Delete' })).toBeEnabled();

  // The wizard from the page head: the preflight refuses, says why, and Next stays off.
  await app.getByRole('button', { name: 'Restore from .rdb file…' }).click();
  const wizard = app.getByTestId('wizard');
  await wizard.locator('.choice').first().click();
  await wizard.getByRole('button', { name: 'Next →' }).click();
  await expect(wizard.getByTestId('preflight')).toContainText('The target cannot take this backup.');
  await expect(wizard.getByTestId('check-acl')).toContainText('read-only');
  await expect(wizard.getByRole('status')).toContainText('Refused: profile "viewer" is read-only');
  await expect(wizard.getByRole('button', { name: 'Next →' })).toBeDisabled();
  expect(await redis.dbsize()).toBe(1);
  redis.disconnect();
});

test('on production the restore waits for the profile name typed, and a "fail" policy that would stop half-way is sent back after the dry run', async ({
  app,
  home,
}) => {
  const redis = new Redis(bed.standalone.port, '127.0.0.1', { db: DB });
  await redis.flushdb();
  for (let i = 0; i < 6; i += 1) await redis.set(`app:item:${i}`, `value-${i}`);
  expect(
    cli(home, 'profiles', 'add', 'prod-orders', '--url', `redis://127.0.0.1:${bed.standalone.port}/${DB}`, '--env', 'production').status,
  ).toBe(0);

  await app.reload();
  await openBackups(app, 'prod-orders');
  await app.getByRole('button', { name: 'Back up now' }).click();
  await expect(app.getByTestId('job-backup')).toContainText('done');
  await redis.del('app:item:0', 'app:item:1');
  await redis.set('app:item:2', 'changed');

  await app.getByTestId('backup-table').locator('tbody tr').getByRole('button', { name: 'Restore…' }).click();
  const wizard = app.getByTestId('wizard');
  await expect(wizard.getByTestId('preflight')).toContainText('The target can take this backup.');
  await wizard.getByRole('button', { name: 'Next →' }).click();
  await wizard.getByLabel('Restore patterns').fill('app:*');
  await wizard.getByRole('button', { name: 'Next →' }).click();
  await wizard.getByRole('radio', { name: 'Conflict: Fail' }).check();
  await wizard.getByRole('button', { name: 'Dry run →' }).click();
  await expect(wizard.getByTestId('dry-different')).toContainText('1');
  await expect(wizard.getByRole('status')).toContainText('1 key differs and the conflict policy is "fail"');
  await expect(wizard.getByRole('button', { name: 'Next →' })).toBeDisabled();

  // Back to the policies: a new choice needs a new dry run before going on.
  await wizard.getByRole('button', { name: '← Back' }).click();
  await wizard.getByRole('radio', { name: 'Conflict: Skip' }).check();
  await wizard.getByRole('button', { name: 'Dry run →' }).click();
  await expect(wizard.getByTestId('dry-new')).toContainText('2');
  await wizard.getByRole('button', { name: 'Next →' }).click();
  await wizard.getByRole('button', { name: 'Next →' }).click();
  await expect(wizard).toContainText('prod-orders is production: type "prod-orders" to confirm');
  await wizard.getByRole('button', { name: 'Run the restore…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Run the restore?' });
  const run = dialog.getByRole('button', { name: 'Run the restore' });
  await expect(run).toBeDisabled();
  await dialog.getByLabel('confirmation').fill('prod-order');
  await expect(run).toBeDisabled();
  expect(await redis.exists('app:item:0')).toBe(0);
  await dialog.getByLabel('confirmation').fill('prod-orders');
  await run.click();
  await expect(wizard.getByTestId('job-backup.restore')).toContainText('done');
  expect(await redis.mget('app:item:0', 'app:item:1', 'app:item:2')).toEqual(['value-0', 'value-1', 'changed']);
  redis.disconnect();
});

test('step 3 selects components and swarms, and the dry run counts only their keys; Verify can test-restore', async ({ app, home }) => {
  const redis = new Redis(bed.standalone.port, '127.0.0.1', { db: DB });
  await redis.flushdb();
  // Swarmdeck's own keys under the profile's prefix (the default, sd), beside application keys.
  const q = queueKeys('sd', 'e2e-orders');
  const [s1, s2] = [swarmKeys('sd', 'e2e-s1'), swarmKeys('sd', 'e2e-s2')];
  await redis.hset(q.meta, 'paused', '0');
  await redis.hset(q.task('t1'), 'state', 'waiting');
  await redis.zadd(q.wait, 1, 't1');
  await redis.hset(s1.swarm, 'status', 'running');
  await redis.hset(s1.agent('a1'), 'role', 'worker');
  await redis.hset(s2.swarm, 'status', 'running');
  for (let i = 0; i < 6; i += 1) await redis.set(`app:item:${i}`, `value-${i}`);
  expect(cli(home, 'profiles', 'add', 'swarmy', '--url', `redis://127.0.0.1:${bed.standalone.port}/${DB}`).status).toBe(0);

  await app.reload();
  await openBackups(app, 'swarmy');
  await app.getByRole('button', { name: 'Back up now' }).click();
  await expect(app.getByTestId('job-backup')).toContainText('done');
  const row = app.getByTestId('backup-table').locator('tbody tr');
  await expect(row).toHaveCount(1);

  // Verify with a test restore: the backup is restored into a scratch server, not into the profile.
  await app.getByLabel('Verify with a test restore into a scratch server').check();
  await row.getByRole('button', { name: 'Verify' }).click();
  await expect(row.getByTestId('verification')).toHaveText('verified');
  await expect(row).toContainText('test-restored');

  await row.getByRole('button', { name: 'Restore…' }).click();
  const wizard = app.getByTestId('wizard');
  await expect(wizard.getByTestId('preflight')).toContainText('The target can take this backup.');
  const next = wizard.getByRole('button', { name: 'Next →' });
  const dryRun = async (): Promise<void> => {
    await next.click();
    await wizard.getByRole('button', { name: 'Dry run →' }).click();
  };
  await next.click();
  await dryRun();
  // Nothing selected: every key of the backup (the application's too).
  const dry = wizard.getByTestId('dry-run');
  await expect(dry).toContainText(/keys selected/);
  const all = Number((/([\d,]+) keys selected/.exec((await dry.textContent()) ?? '')?.[1] ?? '0').replace(/,/g, ''));
  expect(all).toBeGreaterThanOrEqual(12);

  await wizard.getByTitle('Back to Select').click();
  await wizard.getByRole('group', { name: 'Restore components' }).getByRole('checkbox', { name: 'queues' }).check();
  await dryRun();
  await expect(dry).toContainText('3 keys selected');

  // One swarm more, typed in (the picker lists what swarms.list finds on the server).
  await wizard.getByTitle('Back to Select').click();
  await wizard.getByLabel('Other swarm ids').fill('e2e-s1');
  await dryRun();
  await expect(dry).toContainText('5 keys selected');
  await expect(dry).toContainText(s1.agent('a1'));
  expect(await redis.exists(s1.agent('a1'))).toBe(1);
  redis.disconnect();
});
