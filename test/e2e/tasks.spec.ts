import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { TaskQueue } from '../../src/main/features/queues/task-queue';
import { bed } from './bed-ports';
import { expect, test } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../..');
const cli = (home: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/swarmdeck.js'), ...args, '--home', home], { encoding: 'utf8' });

test('enqueue from the CLI, watch the counts move, fail a task, retry it from the UI, see it complete', async ({ app, home }) => {
  const queue = `e2e-${Date.now().toString(36)}`;
  expect(cli(home, 'profiles', 'add', 'bed', '--url', `redis://127.0.0.1:${bed.standalone.port}`).status).toBe(0);
  for (let i = 0; i < 3; i += 1) {
    const r = cli(
      home,
      'queue',
      'enqueue',
      queue,
      '--profile',
      'bed',
      '--data',
      JSON.stringify({ n: i }),
      '--priority',
      i === 0 ? 'critical' : 'normal',
    );
    expect(r.status, r.stderr).toBe(0);
  }

  await app.reload();
  await app.getByTestId('profile-bed').getByRole('button', { name: 'Connect', exact: true }).click();
  await app.getByRole('button', { name: 'Tasks' }).click();
  await app.getByTestId(`queue-${queue}`).click();
  await expect(app.getByTestId('count-waiting')).toContainText('3');

  // A worker (this test) takes the critical task and fails it for good.
  const client = new Redis(bed.standalone.port, '127.0.0.1');
  const q = new TaskQueue(client, queue);
  const { tasks } = await q.take({ count: 1, leaseMs: 30_000, holder: 'e2e-worker' });
  const first = tasks[0];
  expect(first?.data).toEqual({ n: 0 });
  await q.fail(
    first?.id ?? '',
    first?.token ?? '',
    { message: 'model refused the prompt', stack: 'Error: model refused the prompt\n    at agent.ts:42', retryable: false },
    'e2e-worker',
  );
  await expect(app.getByTestId('count-waiting')).toContainText('2');
  await expect(app.getByTestId('count-dead')).toContainText('1');

  await app.getByTestId('count-dead').click();
  await app
    .getByTestId('task-table')
    .getByText(first?.id ?? '')
    .click();
  const detail = app.getByTestId('task-detail');
  await expect(detail).toContainText('model refused the prompt (not retryable)');
  await expect(detail).toContainText('at agent.ts:42');
  await detail.getByRole('button', { name: 'Retry' }).click();
  await expect(detail.getByTestId('task-state')).toHaveText('waiting');
  await expect(app.getByTestId('count-dead')).toContainText('0');
  await expect(app.getByTestId('audit')).toContainText('queue.retry');
  await expect(app.getByTestId('queue-events')).toContainText('retried');

  const again = await q.take({ count: 1, leaseMs: 30_000, holder: 'e2e-worker' });
  expect(again.tasks[0]?.id).toBe(first?.id);
  await q.complete(first?.id ?? '', again.tasks[0]?.token ?? '', { ok: true });
  await detail.getByRole('button', { name: 'Close task' }).click();
  await app.getByTestId('count-finished').click();
  await expect(app.getByTestId('task-table')).toContainText(first?.id ?? '');
  await app
    .getByTestId('task-table')
    .getByText(first?.id ?? '')
    .click();
  await expect(detail.getByTestId('task-state')).toHaveText('completed');
  client.disconnect();
});

test('on a read-only profile the queue buttons are disabled and say why, next to a read-only badge', async ({ app, home }) => {
  const queue = `e2e-ro-${Date.now().toString(36)}`;
  expect(cli(home, 'profiles', 'add', 'writer', '--url', `redis://127.0.0.1:${bed.standalone.port}`).status).toBe(0);
  expect(cli(home, 'profiles', 'add', 'reader', '--url', `redis://127.0.0.1:${bed.standalone.port}`, '--read-only').status).toBe(0);
  const r = cli(home, 'queue', 'enqueue', queue, '--profile', 'writer', '--data', '{"n":1}');
  expect(r.status, r.stderr).toBe(0);

  await app.reload();
  await app.getByTestId('profile-reader').getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(app.locator('.topbar').getByTestId('read-only-badge')).toBeVisible();
  await app.getByRole('button', { name: 'Tasks' }).click();
  await app.getByTestId(`queue-${queue}`).click();
  await expect(app.getByTestId('count-waiting')).toContainText('1');
  const pause = app.getByRole('button', { name: 'Pause', exact: true });
  await expect(pause).toBeDisabled();
  await expect(pause).toHaveAttribute('title', 'profile "reader" is read-only: pausing the queue was not done');
  await expect(pause).toHaveAttribute('aria-disabled', 'true');
  await expect(app.getByRole('button', { name: 'Purge waiting' })).toHaveAttribute(
    'title',
    'profile "reader" is read-only: purging tasks was not done',
  );
});
