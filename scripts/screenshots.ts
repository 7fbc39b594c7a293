/**
 * `npm run screenshots`: drives the real UI (web host + Debian's Chromium) against the test
 * bed and writes docs/screenshots/*.png. Needs `npm run build` and `npm run test:redis start`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { Redis } from 'ioredis';
import { TaskQueue } from '../src/main/coordination/queue/task-queue';
import { PermanentTaskError, Worker } from '../src/main/coordination/queue/worker';
import { CHROMIUM_ARGS } from '../playwright.config';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'docs/screenshots');
const bed = JSON.parse(readFileSync(join(ROOT, '.test-redis/bed.json'), 'utf8')) as { standalone: { port: number }; cluster: { ports: number[] } };

const child = spawn(process.execPath, [join(ROOT, 'out/main/serve.js'), '--home', mkdtempSync(join(tmpdir(), 'sd-shots-'))], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((ok) => child.stdout.on('data', (d: Buffer) => {
  const m = /Swarmdeck web host: (\S+)/.exec(d.toString());
  if (m) ok(m[1] as string);
}));
mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
page.setDefaultTimeout(15_000);
await page.goto(url);

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
await page.getByTestId('node-table').locator('tbody tr').nth(5).waitFor();
await page.waitForTimeout(12_000);
await page.screenshot({ path: join(OUT, 'overview-cluster.png') });

await page.getByRole('button', { name: 'Connections' }).click();
await page.getByTestId('profile-prod-eu').getByRole('button', { name: 'Connect', exact: true }).click();
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
  void agentTasks.enqueueMany(Array.from({ length: 8 }, () => ({ data: { prompt: `summarise document ${(n += 1)}`, agent: `planner-${n % 5}` }, priority: priorities[n % priorities.length], maxAttempts: 3, backoffMs: 200 })));
  void embeddings.enqueueMany(Array.from({ length: 3 }, (_, i) => ({ data: { chunk: n * 3 + i }, delayMs: i * 500 })));
}, 250);
const workers = ['agent-a', 'agent-b'].map((holder) =>
  new Worker(agentTasks, loadClient, async (task) => {
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
    if (Math.random() < 0.04) throw new PermanentTaskError(`tool call rejected: ${String((task.data as { prompt: string }).prompt)}`);
    if (Math.random() < 0.12) throw new Error('upstream model timed out after 30000 ms');
    return { tokens: Math.round(Math.random() * 900) };
  }, { concurrency: 4, holder, leaseMs: 5000 }).start(),
);
const embedder = new Worker(embeddings, loadClient, async () => new Promise((r) => setTimeout(r, 150)), { concurrency: 2, holder: 'embedder-1' }).start();
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

await browser.close();
child.kill();
console.log(`screenshots in ${OUT}`);
