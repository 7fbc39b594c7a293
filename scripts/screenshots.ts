/**
 * `npm run screenshots`: drives the real UI (web host + Debian's Chromium) against the test
 * bed and writes docs/screenshots/*.png. Needs `npm run build` and `npm run test:redis start`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { Redis } from 'ioredis';
import { TaskQueue } from '../src/main/features/queues/task-queue';
import { PermanentTaskError, Worker } from '../src/main/features/queues/worker';
import { SwarmRegistry } from '../src/main/features/swarms/swarm-registry';
import { runDemo } from '../src/main/features/demo/demo';
import { claudeFlowNoviceKeys as cfn } from '../src/main/redis/keyspace';
import { STRATEGIES, TOPOLOGIES } from '../src/shared/model/swarm';
import { bed } from '../test/support/bed';
import { shootAnalytics } from './screenshots-analytics';
import { shootBackups } from './screenshots-backup';
import { shootCfn } from './screenshots-cfn';
import { shootConsole } from './screenshots-console';
import { shootMemoryConfig } from './screenshots-memcfg';
import { shootMessages } from './screenshots-messages';
import { openWebSession, SCREENSHOTS as OUT } from './screenshot-support';

mkdirSync(OUT, { recursive: true });
const web = await openWebSession();
const { page } = web;

async function addProfile(p: Page, name: string, env: string, setup: () => Promise<void>): Promise<void> {
  await p.getByRole('button', { name: '+ New profile' }).click();
  await p.getByLabel('Name', { exact: true }).fill(name);
  await p.getByRole('radio', { name: env }).click();
  await setup();
  await p.getByRole('button', { name: 'Save profile' }).click();
  await p.getByTestId(`profile-${name}`).waitFor();
}

await page.screenshot({ path: join(OUT, 'connections-first-run.png') });
await addProfile(page, 'dev-cluster', 'development', async () => {
  await page.getByRole('radio', { name: 'Redis Cluster' }).click();
  await page.getByLabel('Seed nodes').fill(`127.0.0.1:${bed.cluster.ports[0]}`);
});
await addProfile(page, 'staging-cache', 'staging', async () => {
  await page.getByLabel('Port', { exact: true }).fill(String(bed.standalone.port));
  await page.getByLabel('ACL username').fill('ops');
});
await addProfile(page, 'prod-eu', 'production', async () => {
  await page.getByLabel('Port', { exact: true }).fill(String(bed.standalone.port));
  await page.getByLabel('Read-only').check();
});
await page.getByTestId('profile-dev-cluster').getByRole('button', { name: 'Edit' }).click();
await page.getByRole('button', { name: 'Test connection' }).click();
await page.getByTestId('test-result').waitFor();
await page.screenshot({ path: join(OUT, 'connections.png') });

await page.getByRole('button', { name: 'Cancel' }).click();
await page.getByTestId('profile-dev-cluster').getByRole('button', { name: 'Connect', exact: true }).click();
// Connect keeps the operator on Connections; the card's Overview opens the live view.
await page.getByTestId('profile-dev-cluster').getByRole('button', { name: 'Overview', exact: true }).click();
await page.getByTestId('node-table').locator('tbody tr').nth(5).waitFor();
await page.waitForTimeout(12_000);
await page.screenshot({ path: join(OUT, 'overview-cluster.png') });

await page.getByRole('button', { name: 'Connections' }).click();
await page.getByTestId('profile-prod-eu').getByRole('button', { name: 'Connect', exact: true }).click();
await page.getByTestId('profile-prod-eu').getByRole('button', { name: 'Overview', exact: true }).click();
await page.getByTestId('production-banner').waitFor();
await page.waitForTimeout(8_000);
await page.screenshot({ path: join(OUT, 'overview-production.png') });
await page.getByRole('button', { name: 'Connections' }).click();
await page.getByTestId('profile-prod-eu').getByRole('button', { name: 'Edit' }).click();
await page.screenshot({ path: join(OUT, 'connections-production.png') });

// Queue traffic for the Tasks page: agents that sometimes fail, some for good.
const loadClient = new Redis(bed.standalone.port, '127.0.0.1');
const agentTasks = new TaskQueue(loadClient, 'agent-tasks');
const embeddings = new TaskQueue(loadClient, 'embeddings');
const priorities = ['critical', 'high', 'normal', 'normal', 'low', 'background'] as const;
let n = 0;
const feed = setInterval(() => {
  void agentTasks.enqueueMany(
    Array.from({ length: 8 }, () => ({
      data: { prompt: `summarise document ${(n += 1)}`, agent: `planner-${n % 5}` },
      priority: priorities[n % priorities.length],
      maxAttempts: 3,
      backoffMs: 200,
    })),
  );
  void embeddings.enqueueMany(Array.from({ length: 3 }, (_, i) => ({ data: { chunk: n * 3 + i }, delayMs: i * 500 })));
}, 250);
const workers = ['agent-a', 'agent-b'].map((holder) =>
  new Worker(
    agentTasks,
    loadClient,
    async (task) => {
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
      if (Math.random() < 0.04) throw new PermanentTaskError(`tool call rejected: ${String((task.data as { prompt: string }).prompt)}`);
      if (Math.random() < 0.12) throw new Error('upstream model timed out after 30000 ms');
      return { tokens: Math.round(Math.random() * 900) };
    },
    { concurrency: 4, holder, leaseMs: 5000 },
  ).start(),
);
const embedder = new Worker(embeddings, loadClient, async () => new Promise((r) => setTimeout(r, 150)), {
  concurrency: 2,
  holder: 'embedder-1',
}).start();
await page.getByRole('button', { name: 'Tasks' }).click();
await page.getByTestId('queue-agent-tasks').click();
await page.waitForTimeout(40_000);
await page.screenshot({ path: join(OUT, 'tasks.png') });
await page.getByTestId('audit').scrollIntoViewIfNeeded();
await page.screenshot({ path: join(OUT, 'tasks-streams.png') });
await page.getByTestId('count-dead').click();
await page.getByTestId('task-table').locator('tbody tr').first().click();
await page.getByTestId('task-detail').waitFor();
await page.screenshot({ path: join(OUT, 'task-dead-letter.png') });
clearInterval(feed);
await Promise.all([...workers, embedder].map((w) => w.close()));
loadClient.disconnect();

// Swarms: a fleet of quieter swarms, a claude-flow-novice registry, and live demo swarms — all in database 10.
const lab = new Redis(bed.standalone.port, '127.0.0.1', { db: 10 });
await lab.flushdb();
const fleet = new SwarmRegistry(lab);
const statuses = ['running', 'running', 'running', 'paused', 'stopped', 'archived'] as const;
for (let i = 0; i < 60; i += 1) {
  const id = `fleet-${String(i).padStart(3, '0')}`;
  await fleet.create({
    id,
    name: `${['Ingest', 'Triage', 'Refactor', 'Eval', 'Docs'][i % 5]} crew ${i}`,
    topology: TOPOLOGIES[i % 4] as 'mesh',
    strategy: STRATEGIES[i % 4] as 'quorum',
    maxAgents: 20,
  });
  const agents = 3 + (i % 6);
  for (let a = 0; a < agents; a += 1)
    await fleet.register(id, {
      id: `agent-${a}`,
      role: a === 0 ? 'coordinator' : 'worker',
      ttlMs: a === agents - 1 && i % 3 === 0 ? 1000 : 3_600_000,
    });
  await fleet.heartbeatMany(
    id,
    Array.from({ length: agents - (i % 4 === 1 ? 1 : 0) }, (_, a) => ({
      agentId: `agent-${a}`,
      status: a % 2 ? 'busy' : 'idle',
      task: a % 2 ? `t-${i}-${a}` : '',
    })),
  );
  const status = statuses[i % statuses.length] as string;
  if (status === 'paused') await fleet.setStatus(id, 'paused');
  if (status === 'stopped' || status === 'archived') await fleet.setStatus(id, 'stopped');
  if (status === 'archived') await fleet.setStatus(id, 'archived');
}
const now = Date.now();
for (const [n, objective] of ['Build the REST API', 'Migrate auth to OAuth'].entries()) {
  const id = `swarm_${now}_cfn${n}`;
  await lab.setex(
    cfn.swarm(id),
    86_400,
    JSON.stringify({
      id,
      objective,
      strategy: 'development',
      mode: 'mesh',
      topology: 'mesh',
      maxAgents: 10,
      status: 'active',
      createdAt: now - 3_600_000,
      lastActivity: now - 2000,
      lastHeartbeat: now - 2000,
      agents: [
        { id: 'coder-1', type: 'coder', status: 'busy', lastHeartbeat: now - 1000 },
        { id: 'tester-1', type: 'tester', status: 'idle', lastHeartbeat: now - 1500 },
        { id: 'reviewer-1', type: 'reviewer', status: 'idle', lastHeartbeat: now - 900_000 },
      ],
    }),
  );
  await lab.zadd(cfn.index, now - 3_600_000, id);
  await lab.sadd(cfn.status('active'), id);
}
const demos = new AbortController();
const small = runDemo(lab, { swarms: 4, agents: 12, signal: demos.signal });
const large = runDemo(lab, { swarms: 2, agents: 200, signal: demos.signal });
await page.getByRole('button', { name: 'Connections' }).click();
await addProfile(page, 'swarms-lab', 'development', async () => {
  await page.getByLabel('Port', { exact: true }).fill(String(bed.standalone.port));
  await page.getByLabel('Database').fill('10');
});
await page.getByTestId('profile-swarms-lab').getByRole('button', { name: 'Connect', exact: true }).click();
await page.getByLabel('Active connection').selectOption({ label: 'swarms-lab (development)' });
await page.getByRole('button', { name: 'Swarms' }).click();
await page.waitForTimeout(16_000);
await page.screenshot({ path: join(OUT, 'swarms.png') });

const swarmRow = (name: string, agents: number) =>
  page
    .getByTestId('swarms-table')
    .getByRole('row')
    .filter({ hasText: name })
    .filter({ hasText: `/ ${agents}` });
await swarmRow('Research mesh 1', 12).click();
await page.getByTestId('agents-table').locator('[data-key="reviewer-7"]').click();
await page.waitForTimeout(3000);
await page.screenshot({ path: join(OUT, 'swarm-mesh.png') });
await page.getByRole('button', { name: 'Open a proposal' }).click();
await page.getByLabel('Proposal title').fill('Pin the embeddings model for this sprint');
await page.getByLabel('Seconds open').fill('20');
await page.getByRole('button', { name: 'Open proposal' }).click();
await page
  .getByTestId('proposal-detail')
  .filter({ hasText: 'Pin the embeddings model' })
  .getByTestId('proposal-status')
  .filter({ hasText: /accepted|rejected|expired/ })
  .waitFor({ timeout: 30_000 });
await page.getByTestId('consensus-panel').scrollIntoViewIfNeeded();
await page.waitForTimeout(1500);
await page.screenshot({ path: join(OUT, 'swarm-consensus.png') });

await page.getByRole('button', { name: '← Swarms' }).click();
await swarmRow('Build hierarchy 2', 200).click();
await page.getByTestId('topology-graph').waitFor();
await page.waitForTimeout(3000);
await page.getByRole('button', { name: 'Fold all teams' }).click();
await page.getByRole('button', { name: 'Unfold all' }).click();
await page.waitForTimeout(2000);
await page.screenshot({ path: join(OUT, 'swarm-hierarchy.png') });
demos.abort();
await Promise.all([small, large]);
lab.disconnect();

await shootConsole(page, OUT, bed.cluster.ports[0] as number);

await shootBackups(page, OUT, bed.standalone.port);

await shootCfn(page, OUT, bed.standalone.port);

await shootAnalytics(page, OUT, bed.standalone.port);

await shootMemoryConfig(page, OUT, bed.standalone.port, bed.cluster.ports[0] as number);

// This run's home has no messaging keyring: sealed messages show why they stay closed.
await shootMessages(page, OUT, bed.standalone.port, undefined);

await web.close();
console.log(`screenshots in ${OUT}`);
