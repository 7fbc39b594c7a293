import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { Consensus } from '../../src/main/features/swarms/consensus';
import { SwarmRegistry } from '../../src/main/features/swarms/swarm-registry';
import { TaskQueue } from '../../src/main/features/queues/task-queue';
import { bed } from './bed-ports';
import { expect, test } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../..');
const cli = (home: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/swarmdeck.js'), ...args, '--home', home], { encoding: 'utf8' });

test('an edit clears the stale connection-test result', async ({ app }) => {
  await app.getByRole('button', { name: '+ New profile' }).click();
  await app.getByLabel('Name', { exact: true }).fill('tested');
  await app.getByLabel('Port', { exact: true }).fill(String(bed.standalone.port));
  await app.getByRole('button', { name: 'Test connection' }).click();
  await expect(app.getByTestId('test-result')).toContainText('Connection works');
  await app.getByLabel('Port', { exact: true }).fill('abc');
  await app.getByRole('button', { name: 'Save profile' }).click();
  await expect(app.locator('[data-field="topology.port"] .field-error')).toHaveText('Port must be a number');
  await expect(app.getByTestId('test-result')).toHaveCount(0);
});

test('swarm page: no error before typing, a sentence after pausing, the vote reason in full; tasks streams inside their panels', async ({
  app,
  home,
}) => {
  // Database 11 keeps this page to the swarm and queue made here.
  expect(cli(home, 'profiles', 'add', 'lay', '--url', `redis://127.0.0.1:${bed.standalone.port}/11`).status).toBe(0);
  const client = new Redis(bed.standalone.port, '127.0.0.1', { db: 11 });
  const id = `lay-${Date.now().toString(36)}`;
  const registry = new SwarmRegistry(client);
  const queue = new TaskQueue(client, `lay-${Date.now().toString(36)}`);
  try {
    await registry.create({ id, name: 'layout swarm', topology: 'mesh', strategy: 'quorum', maxAgents: 4 });
    for (const agent of ['planner-1', 'coder-2']) await registry.register(id, { id: agent, ttlMs: 600_000 });
    await registry.heartbeatMany(id, [
      { agentId: 'planner-1', status: 'idle' },
      { agentId: 'coder-2', status: 'idle' },
    ]);
    const consensus = new Consensus(registry);
    const proposal = await consensus.propose(id, { title: 'Adopt the new schema', ttlMs: 600_000, proposer: 'planner-1' });
    const reason = 'The migration is reversible, the tests cover every reader of the old columns, and the backfill finished overnight';
    await consensus.vote(id, proposal, { voter: 'coder-2', value: 'yes', confidence: 0.9, reason });

    await queue.enqueue({ data: { n: 1 } });
    const held = (await queue.take({ count: 1, leaseMs: 30_000, holder: 'worker-with-a-rather-long-holder-name-7' })).tasks[0];
    await queue.fail(
      held?.id ?? '',
      held?.token ?? '',
      { message: 'The model refused the prompt because the context window was exceeded by a wide margin', retryable: false },
      'worker-with-a-rather-long-holder-name-7',
    );

    await app.reload();
    await app.getByTestId('profile-lay').getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(app.getByTestId('profile-lay').getByTestId('status-pill')).toContainText('connected');
    await app.getByRole('button', { name: 'Tasks' }).click();
    await app.getByTestId(`queue-${queue.name}`).click();
    const events = app.getByTestId('queue-events');
    await expect(events).toContainText('dead');
    const panel = await events.boundingBox();
    const lastHead = await events.locator('th').last().boundingBox();
    expect((lastHead?.x ?? 0) + (lastHead?.width ?? 0)).toBeLessThanOrEqual((panel?.x ?? 0) + (panel?.width ?? 0));
    const holder = events.locator('td', { hasText: 'worker-with' }).first();
    const holderBox = await holder.boundingBox();
    expect(holderBox?.height ?? 99).toBeLessThan(30);
    await app.screenshot({ path: 'test-results/p1/layout-tasks.png', fullPage: true });

    await app.getByRole('button', { name: 'Swarms' }).click();
    await app.getByTestId('swarms-table').getByText(id).click();
    const votes = app.getByTestId('proposal-detail').locator('table.votes');
    await expect(votes.locator('th')).toHaveText(['Voter', 'Vote', 'Conf.', 'Reason']);
    const reasonCell = votes.locator('td.vote-reason').first();
    await expect(reasonCell).toHaveText(reason);
    expect(
      await reasonCell.evaluate((el) => {
        // The node project has no DOM types; the page function runs in Chromium, where these exist.
        const e = el as unknown as { scrollWidth: number; clientWidth: number };
        return e.scrollWidth <= e.clientWidth;
      }),
    ).toBe(true);

    await app.getByRole('button', { name: 'Open a proposal' }).click();
    const dialog = app.getByRole('dialog', { name: 'Open a proposal' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByText('A title is required')).toHaveCount(0);
    await expect(dialog.getByRole('button', { name: 'Open proposal' })).toBeDisabled();
    await dialog.getByLabel('Proposal title').fill('x');
    await dialog.getByLabel('Proposal title').fill('');
    await expect(dialog.getByText('A title is required')).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await app.getByRole('button', { name: 'Pause', exact: true }).click();
    await app.getByRole('dialog').getByRole('button', { name: 'Pause' }).click();
    await expect(app.getByRole('status').filter({ hasText: 'paused' })).toHaveText(`Swarm ${id} is now paused`);
    await app.screenshot({ path: 'test-results/p1/layout-swarm.png', fullPage: true });
  } finally {
    await client.flushdb();
    client.disconnect();
  }
});
