import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { claudeFlowNoviceKeys as cfn } from '../../src/main/redis/keyspace';
import { writeCfnDeployment } from '../support/claude-flow-novice';
import { bed } from './bed-ports';
import { expect, test } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../..');
const cli = (home: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/swarmdeck.js'), ...args, '--home', home], { encoding: 'utf8' });

test('run the demo, open its swarm, watch a crashed agent go offline, open a proposal and see it resolve', async ({ app, home }) => {
  test.setTimeout(120_000);
  // Database 9 keeps this swarm list to the demo's own swarm.
  expect(cli(home, 'profiles', 'add', 'bed', '--url', `redis://127.0.0.1:${bed.standalone.port}/9`).status).toBe(0);
  const demo = spawn(
    process.execPath,
    [join(ROOT, 'bin/swarmdeck.js'), 'demo', '--profile', 'bed', '--home', home, '--swarms', '1', '--agents', '12', '--duration', '100'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const swarmId = await new Promise<string>((ok, fail) => {
      demo.stdout.on('data', (d: Buffer) => {
        const m = /^(demo-mesh-\S+): 12 agents/m.exec(d.toString());
        if (m) ok(m[1] as string);
      });
      demo.once('exit', (code) => fail(new Error(`demo exited with ${code}`)));
    });

    await app.reload();
    await app.getByTestId('profile-bed').getByRole('button', { name: 'Connect', exact: true }).click();
    await app.getByRole('button', { name: 'Swarms' }).click();
    await app.getByTestId('swarms-table').getByText(swarmId).click();

    const graph = app.getByTestId('topology-graph');
    await expect(graph).toHaveAttribute('data-nodes', '12');
    await expect(graph).toHaveAttribute('data-edges', '66');
    await expect(graph).toHaveAttribute('data-first-render-ms', /\d/);
    await expect(app.getByTestId('leader')).toContainText('epoch');
    await expect(app.getByTestId('event-timeline')).toContainText('leader.elected');

    // reviewer-7 crashes about 8 s in and stops heartbeating; its 4 s TTL runs out.
    const crashed = app.getByTestId('agents-table').locator('[data-key="reviewer-7"]');
    await expect(crashed).toContainText('offline', { timeout: 30_000 });
    await expect(crashed).toContainText('says');
    await expect(app.getByTestId('findings')).toContainText('reviewer-7 is offline');
    await expect(app.getByTestId('live-count')).toHaveText('11');

    await crashed.click();
    await expect(app.getByTestId('neighbours')).toContainText('mesh: every agent talks to every other');

    await app.getByRole('button', { name: 'Open a proposal' }).click();
    await app.getByLabel('Proposal title').fill('Ship the e2e build');
    await app.getByLabel('Seconds open').fill('40');
    await app.getByRole('button', { name: 'Open proposal' }).click();
    const detail = app.getByTestId('proposal-detail');
    await expect(detail).toContainText('Ship the e2e build');
    await expect(detail.getByTestId('proposal-status')).toHaveText(/accepted|rejected/, { timeout: 20_000 });
    await expect(detail).toContainText('participation');

    await app.getByRole('button', { name: 'Pause', exact: true }).click();
    await app.getByRole('dialog').getByRole('button', { name: 'Pause' }).click();
    await expect(app.locator('.swarm-detail h2')).toContainText('paused');
    await expect(app.getByTestId('swarm-audit')).toContainText('swarm.pause');
  } finally {
    demo.kill('SIGINT');
  }
});

test('a claude-flow-novice registry on the same Redis is detected and shown read-only', async ({ app, home }) => {
  const client = new Redis(bed.standalone.port, '127.0.0.1', { db: 13 });
  const now = Date.now();
  const id = `swarm_${now}_e2e`;
  // Written the way claude-flow-novice's SwarmRegistry writes it.
  await client.setex(
    cfn.swarm(id),
    86_400,
    JSON.stringify({
      id,
      objective: 'Port the billing service',
      strategy: 'development',
      mode: 'hierarchical',
      topology: 'hierarchical',
      maxAgents: 8,
      status: 'active',
      createdAt: now - 60_000,
      lastActivity: now,
      lastHeartbeat: now,
      agents: [
        { id: 'coordinator', type: 'coordinator', status: 'idle', lastHeartbeat: now },
        { id: 'coder-1', type: 'coder', status: 'busy', currentTask: 'invoices', lastHeartbeat: now },
      ],
    }),
  );
  await client.zadd(cfn.index, now, id);
  await client.sadd(cfn.status('active'), id);
  try {
    expect(cli(home, 'profiles', 'add', 'legacy', '--url', `redis://127.0.0.1:${bed.standalone.port}/13`).status).toBe(0);
    await app.reload();
    await app.getByTestId('profile-legacy').getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(app.getByTestId('profile-legacy').getByTestId('status-pill')).toContainText('connected');
    await app.getByRole('button', { name: 'Swarms' }).click();
    await expect(app.getByTestId('cfn-detected')).toBeVisible();
    const row = app.getByTestId('swarms-table').locator(`[data-key="claude-flow-novice:${id}"]`);
    await expect(row).toContainText('Port the billing service');
    await expect(row).toContainText('2 / 2');
    await row.click();
    await expect(app.locator('.swarm-detail h2')).toContainText('claude-flow-novice · read-only');
    await expect(app.getByRole('button', { name: 'Pause', exact: true })).toBeDisabled();
    await expect(app.getByRole('button', { name: 'Open a proposal' })).toBeDisabled();
    await expect(app.getByTestId('topology-graph')).toHaveAttribute('data-nodes', '2');
    await expect(app.getByTestId('agents-table')).toContainText('invoices');
  } finally {
    await client.flushdb();
    client.disconnect();
  }
});

test('a claude-flow-novice deployment: every swarm with its evidence, the ghosts, and the stuck coordinator on its swarm page', async ({
  app,
  home,
}) => {
  // Database 12 holds only this deployment.
  const client = new Redis(bed.standalone.port, '127.0.0.1', { db: 12 });
  const { ids, coord } = await writeCfnDeployment(client, 'e2e');
  try {
    expect(cli(home, 'profiles', 'add', 'cfn', '--url', `redis://127.0.0.1:${bed.standalone.port}/12`).status).toBe(0);
    await app.reload();
    await app.getByTestId('profile-cfn').getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(app.getByTestId('profile-cfn').getByTestId('status-pill')).toContainText('connected');
    await app.getByRole('button', { name: 'Swarms' }).click();
    const table = app.getByTestId('swarms-table');
    for (const id of [ids.cliRunning, ids.cliDone, ids.healthy, ids.stale, ids.orphaned, ids.archived])
      await expect(table.locator(`[data-key="claude-flow-novice:${id}"]`)).toBeVisible();
    const stale = table.locator(`[data-key="claude-flow-novice:${ids.stale}"]`);
    await expect(stale).toContainText('stale');
    await expect(stale).toContainText('stored: active');
    await expect(app.getByTestId('cfn-ghosts')).toContainText('2 ghosts');

    await stale.click();
    await expect(app.getByTestId('findings')).toContainText(`${coord.stuck} is stuck on ${coord.silent}`);
    const wait = app.getByTestId(`wait-${coord.stuck}`);
    await expect(wait.getByTestId('wait-verdict')).toHaveText('stuck');
    await expect(wait).toContainText('sig-e2e-2');
    await expect(wait).toContainText('sig-e2e-1');
    await app.getByTestId('cfn-saved').getByRole('button', { name: 'View' }).last().click();
    await expect(app.getByTestId('cfn-saved-view')).toContainText('[redacted]');
    await expect(app.locator('body')).not.toContainText('hunter2');

    await app.getByRole('button', { name: 'Tasks' }).click();
    await expect(app.getByTestId('cfn-queue-depth')).toHaveText('3');
    await expect(app.getByTestId('cfn-failures')).toContainText('security-review');
  } finally {
    await client.flushdb();
    client.disconnect();
  }
});
