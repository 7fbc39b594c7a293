import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { bed } from './bed-ports';
import { expect, test } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../..');
/** A database of the bed's standalone server that only this spec uses, so it may be flushed. */
const DB = 14;

const cli = (home: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/swarmdeck.js'), ...args, '--home', home], { encoding: 'utf8' });

test('the Backups page lists a restore made elsewhere with its state, target and undo id, and undoes it', async ({ app, home }) => {
  const redis = new Redis(bed.standalone.port, '127.0.0.1', { db: DB });
  await redis.flushdb();
  for (let i = 0; i < 3; i += 1) await redis.set(`rt:item:${i}`, `value-${i}`);
  expect(cli(home, 'profiles', 'add', 'rt shop', '--url', `redis://127.0.0.1:${bed.standalone.port}/${DB}`).status).toBe(0);
  const made = cli(home, 'backup', '--profile', 'rt shop', '--scope', 'pattern', '--match', 'rt:*', '--json');
  expect(made.status, made.stderr).toBe(0);
  const manifest = (JSON.parse(made.stdout) as { files: string[] }).files.find((f) => f.endsWith('.manifest.json')) as string;
  await redis.del('rt:item:0', 'rt:item:1');
  // Restored by the CLI, not this window: the page finds it from the home.
  const restored = cli(home, 'restore', manifest, '--profile', 'rt shop', '--policy', 'skip', '--json');
  expect(restored.status, restored.stderr).toBe(0);
  const restoreId = (JSON.parse(restored.stdout) as { restoreId: string }).restoreId;

  await app.reload();
  const card = app.getByTestId('profile-rt-shop');
  await card.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(card.getByRole('button', { name: 'Disconnect' })).toBeVisible();
  await app.getByRole('button', { name: 'Backups' }).click();

  const row = app.getByTestId(`restore-${restoreId}`);
  await expect(row).toContainText('completed');
  await expect(row).toContainText('rt shop');
  await expect(row.getByTestId('restore-undo-id')).toHaveText(restoreId);
  await expect(row.locator('td.num')).toHaveText('2 of 2');

  await row.getByRole('button', { name: 'Undo…' }).click();
  await app.getByRole('dialog', { name: 'Undo the restore?' }).getByRole('button', { name: 'Undo the restore' }).click();
  await expect(row).toContainText('undone');
  await expect(row.getByRole('button', { name: 'Undo…' })).toBeDisabled();
  expect(await redis.exists('rt:item:0', 'rt:item:1')).toBe(0);
  redis.disconnect();
});
