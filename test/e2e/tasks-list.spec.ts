import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { TaskQueue } from '../../src/main/features/queues/task-queue';
import { bed } from './bed-ports';
import { expect, test } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../..');
const cli = (home: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/swarmdeck.js'), ...args, '--home', home], { encoding: 'utf8' });

test('finished tasks read newest first, stay put while new ones arrive, and a removed one says so', async ({ app, home }) => {
  const queue = `e2e-list-${Date.now().toString(36)}`;
  expect(cli(home, 'profiles', 'add', 'bed', '--url', `redis://127.0.0.1:${bed.standalone.port}`).status).toBe(0);
  const client = new Redis(bed.standalone.port, '127.0.0.1');
  let now = Date.now() - 60_000;
  // Retention of 3 stands in for the default 1,000, so trimming happens within the test.
  const q = new TaskQueue(client, queue, { keepFinished: 3, clock: { now: () => now } });
  await q.enqueueMany([
    { data: { n: 0 }, priority: 'critical' },
    { data: { n: 1 }, priority: 'high' },
    { data: { n: 2 }, priority: 'normal' },
    { data: { n: 3 }, priority: 'low' },
    { data: { n: 4 }, priority: 600 },
  ]);
  const done: string[] = [];
  const finishOne = async (): Promise<void> => {
    now += 1000;
    const held = (await q.take({ count: 1, leaseMs: 30_000, holder: 'e2e-worker' })).tasks[0];
    if (!held) throw new Error('nothing to take');
    await q.complete(held.id, held.token);
    done.push(held.id);
  };
  try {
    for (let i = 0; i < 3; i += 1) await finishOne();

    await app.reload();
    await app.getByTestId('profile-bed').getByRole('button', { name: 'Connect', exact: true }).click();
    await app.getByRole('button', { name: 'Tasks' }).click();
    await app.getByTestId(`queue-${queue}`).click();
    await app.getByTestId('count-finished').click();
    await expect(app.getByTestId('count-finished')).toContainText('newest 1,000 kept');
    const rows = app.getByTestId('task-table').locator('tbody tr');
    await expect(rows).toHaveCount(3);
    await expect(rows.first()).toContainText(done[2] as string);
    await expect(rows.last()).toContainText(done[0] as string);
    const priority = rows.last().locator('td').nth(2);
    await expect(priority).toHaveText('critical');
    await expect(priority).toHaveAttribute('title', /priority 0/);

    // Two more finish: retention trims the two oldest; the rows read stay where they were.
    await finishOne();
    await finishOne();
    await expect(app.getByTestId('tasks-fresh')).toHaveText('2 new ↑');
    await expect(rows.first()).toContainText(done[2] as string);
    await expect(rows).toHaveCount(1);

    // Removed between the list read and the click (retention deletes the hash): said, not silent.
    await client.del(q.keys.task(done[2] as string));
    await rows.first().click();
    await expect(app.getByTestId('task-gone')).toContainText(`Task ${done[2]} was removed by retention`);
    await app.screenshot({ path: 'test-results/p1/tasks-list.png', fullPage: true });

    await app.getByTestId('tasks-fresh').click();
    await expect(rows.first()).toContainText(done[4] as string);
    await expect(rows.nth(1)).toContainText(done[3] as string);
    await expect(rows.nth(1).locator('td').nth(2)).toHaveText('≈ normal');
    await expect(app.getByTestId('tasks-fresh')).toHaveCount(0);
  } finally {
    await q.destroy();
    client.disconnect();
  }
});
