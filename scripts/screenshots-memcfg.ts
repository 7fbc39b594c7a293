/**
 * Screenshots of the Memory view (namespaces, search, a kept conflict) and the Config diff of one
 * scope between two environments. Part of `npm run screenshots`; `npx tsx scripts/screenshots-memcfg.ts`
 * re-takes them alone (needs the build and the test bed).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { Cluster, Redis } from 'ioredis';
import { CHROMIUM_ARGS } from '../playwright.config';
import { ConfigStore } from '../src/main/features/config/config-store';
import { AgentMemory } from '../src/main/features/memory/agent-memory';
import { MemorySync } from '../src/main/features/memory/memory-sync';

async function seed(prefix: string, standalonePort: number, clusterPort: number): Promise<() => void> {
  const dev = new Redis(standalonePort, '127.0.0.1');
  const prod = new Cluster([{ host: '127.0.0.1', port: clusterPort }]);
  const memory = new AgentMemory(dev, prefix);
  const notes = { agent: 'researcher-1', namespace: 'findings' };
  const facts = [
    ['papers/attention', { title: 'Attention is all you need', relevance: 0.92 }, ['papers', 'nlp']],
    ['papers/rlhf', { title: 'Training language models to follow instructions', relevance: 0.81 }, ['papers', 'alignment']],
    ['papers/retrieval', { title: 'Retrieval-augmented generation', relevance: 0.88 }, ['papers', 'rag']],
    ['summary/week-47', { text: 'Retrieval beats fine-tuning for fresh facts; deploy the index first.' }, ['summary']],
    ['todo/next', { items: ['benchmark the reranker', 'deploy the index'] }, ['plan']],
  ] as const;
  for (const [key, value, tags] of facts) await memory.set(notes, key, JSON.stringify(value), { tags: [...tags] });
  await memory.set({ agent: 'coder-2', namespace: 'scratch' }, 'build/last', '{"ok":true,"ms":5230}', { ttlMs: 3_600_000 });
  const shared = { namespace: 'plan' };
  await memory.set(shared, 'release', JSON.stringify({ version: '1.4', owner: 'coordinator', steps: ['test', 'stage', 'ship'] }), { by: 'coordinator' });
  // A real manual conflict: two agents wrote from the same version.
  const a = new MemorySync(memory, { agent: 'planner', space: shared, strategy: 'manual' });
  const b = new MemorySync(memory, { agent: 'reviewer', space: shared, strategy: 'manual' });
  await a.pull('release');
  await b.pull('release');
  a.set('release', { version: '1.5', owner: 'planner', steps: ['test', 'stage', 'ship'] });
  b.set('release', { version: '1.4', owner: 'coordinator', steps: ['test', 'security review', 'stage', 'ship'] });
  await a.sync();
  await b.sync();

  await new ConfigStore(dev, prefix).set('monitoring', { metricsIntervalSec: 15, alerts: { responseTimeMs: 2000, errorRatePercent: 5, memoryPercent: 90 } }, { by: 'ops@workstation', reason: 'tighter alerts in dev' });
  await new ConfigStore(prod, prefix).set('monitoring', { metricsIntervalSec: 60 }, { by: 'ops@workstation' });
  return () => {
    dev.disconnect();
    prod.disconnect();
  };
}

async function addProfile(page: Page, name: string, env: string, prefix: string, topology: () => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: 'Connections' }).click();
  await page.getByRole('button', { name: '+ New profile' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('radio', { name: env }).click();
  await topology();
  await page.getByLabel('Key prefix').fill(prefix);
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByTestId(`profile-${name}`).getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByTestId(`profile-${name}`).getByRole('button', { name: 'Disconnect' }).waitFor();
}

export async function shootMemoryConfig(page: Page, out: string, standalonePort: number, clusterPort: number): Promise<void> {
  const prefix = `shots${Date.now().toString(36)}`;
  const close = await seed(prefix, standalonePort, clusterPort);
  try {
    await addProfile(page, 'agents-prod', 'production', prefix, async () => {
      await page.getByRole('radio', { name: 'Redis Cluster' }).click();
      await page.getByLabel('Seed nodes').fill(`127.0.0.1:${clusterPort}`);
    });
    await addProfile(page, 'agents-dev', 'development', prefix, async () => {
      await page.getByLabel('Port', { exact: true }).fill(String(standalonePort));
    });
    await page.getByTestId('profile-agents-dev').getByRole('button', { name: 'Overview', exact: true }).click();

    await page.getByRole('button', { name: 'Memory' }).click();
    await page.getByTestId('memory-space-shared/plan').click();
    await page.getByTestId('conflict-release').waitFor();
    await page.getByRole('button', { name: 'release' }).click();
    await page.getByTestId('memory-entry').waitFor();
    await page.screenshot({ path: join(out, 'memory-conflict.png') });
    await page.getByTestId('memory-space-researcher-1/findings').click();
    await page.getByLabel('Tag').fill('papers');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: 'papers/retrieval' }).click();
    await page.getByTestId('memory-entry').filter({ hasText: 'Retrieval-augmented' }).waitFor();
    await page.screenshot({ path: join(out, 'memory.png') });

    await page.getByRole('button', { name: 'Config' }).click();
    await page.getByRole('tab', { name: 'monitoring' }).click();
    await page.getByLabel('Other environment').selectOption({ label: 'agents-prod (production)' });
    await page.getByTestId('config-diff').locator('tr', { hasText: 'metricsIntervalSec' }).waitFor();
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(out, 'config-diff.png') });
  } finally {
    close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const root = resolve(import.meta.dirname, '..');
  const { bed } = await import('../test/support/bed');
  const child = spawn(process.execPath, [join(root, 'out/main/serve.js'), '--home', mkdtempSync(join(tmpdir(), 'sd-shots-memcfg-'))], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((ok) => child.stdout.on('data', (d: Buffer) => {
    const m = /Swarmdeck web host: (\S+)/.exec(d.toString());
    if (m) ok(m[1] as string);
  }));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(15_000);
  await page.goto(url);
  try {
    await shootMemoryConfig(page, join(root, 'docs/screenshots'), bed.standalone.port, bed.cluster.ports[0] as number);
  } finally {
    await browser.close();
    child.kill();
  }
}
