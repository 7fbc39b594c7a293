import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { bed } from './bed-ports';
import { expect, test } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../..');
const cli = (home: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/swarmdeck.js'), ...args, '--home', home], { encoding: 'utf8' });

test('switching the active connection closes the queue and the task opened on the other one', async ({ app, home }) => {
  const run = Date.now().toString(36);
  const queue = `switch-${run}`;
  const url = `redis://127.0.0.1:${bed.standalone.port}`;
  expect(cli(home, 'profiles', 'add', 'bed-a', '--url', url).status).toBe(0);
  // Another prefix on the same server: a connection where this queue does not exist.
  expect(cli(home, 'profiles', 'add', 'bed-b', '--url', url, '--prefix', `other${run}`).status).toBe(0);
  const r = cli(home, 'queue', 'enqueue', queue, '--profile', 'bed-a', '--data', '{"n":1}');
  expect(r.status, r.stderr).toBe(0);

  await app.reload();
  await app.getByTestId('profile-bed-b').getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(app.getByTestId('profile-bed-b').getByTestId('status-pill')).toContainText('connected');
  await app.getByTestId('profile-bed-a').getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(app.getByTestId('profile-bed-a').getByTestId('status-pill')).toContainText('connected');
  await app.getByRole('button', { name: 'Tasks' }).click();
  await app.getByTestId(`queue-${queue}`).click();
  await expect(app.getByTestId('count-waiting')).toContainText('1');
  await app.getByTestId('task-table').locator('tbody tr').first().click();
  await expect(app.getByTestId('task-detail')).toBeVisible();

  await app.getByLabel('Active connection').selectOption('bed-b');
  // The task belongs to bed-a: its panel (and its Retry/Cancel buttons) must not act on bed-b.
  await expect(app.getByTestId('task-detail')).toHaveCount(0);
  await app.getByLabel('Active connection').selectOption('bed-a');
  await expect(app.getByTestId('task-detail')).toHaveCount(0);
  await expect(app.getByTestId('count-waiting')).toHaveCount(0);
});
