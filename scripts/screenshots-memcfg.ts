/**
 * Screenshots of the Memory view (namespaces, search, a kept conflict), the Config diff of one
 * scope between two environments, the Locks view (held leases, one with waiters) and the State
 * view (a key's versions diffed). Part of `npm run screenshots`; `npx tsx scripts/screenshots-memcfg.ts`
 * re-takes them alone (needs the build and the test bed).
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { Cluster, Redis } from 'ioredis';
import { ConfigStore } from '../src/main/features/config/config-store';
import { FencedLocks } from '../src/main/features/locks/fenced-locks';
import { AgentMemory } from '../src/main/features/memory/agent-memory';
import { MemorySync } from '../src/main/features/memory/memory-sync';
import { VersionedState } from '../src/main/features/state/versioned-state';
import { isEntry, openWebSession, SCREENSHOTS } from './screenshot-support';

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
  await memory.set(shared, 'release', JSON.stringify({ version: '1.4', owner: 'coordinator', steps: ['test', 'stage', 'ship'] }), {
    by: 'coordinator',
  });
  // A real manual conflict: two agents wrote from the same version.
  const a = new MemorySync(memory, { agent: 'planner', space: shared, strategy: 'manual' });
  const b = new MemorySync(memory, { agent: 'reviewer', space: shared, strategy: 'manual' });
  await a.pull('release');
  await b.pull('release');
  a.set('release', { version: '1.5', owner: 'planner', steps: ['test', 'stage', 'ship'] });
  b.set('release', { version: '1.4', owner: 'coordinator', steps: ['test', 'security review', 'stage', 'ship'] });
  await a.sync();
  await b.sync();

  await new ConfigStore(dev, prefix).set(
    'monitoring',
    { metricsIntervalSec: 15, alerts: { responseTimeMs: 2000, errorRatePercent: 5, memoryPercent: 90 } },
    { by: 'ops@workstation', reason: 'tighter alerts in dev' },
  );
  await new ConfigStore(prod, prefix).set('monitoring', { metricsIntervalSec: 60 }, { by: 'ops@workstation' });

  // Leases long enough to outlive the shots, and agents queued behind one of them until the shots end.
  const locks = new FencedLocks(dev, prefix);
  await locks.acquire('deploy/main', { ttlMs: 120_000, owner: 'coordinator@build-7' });
  await locks.acquire('index/rebuild', { ttlMs: 90_000, owner: 'researcher-1@gpu-2' });
  await locks.acquire('tenants/acme-corporation/billing/monthly-invoice-run', {
    ttlMs: 60_000,
    owner: 'billing-agent-0f3c9a2e7d@worker-pool-east-1',
  });
  const waiting = new AbortController();
  // Waiters for the picture only: abandoned (aborted, then their connection closed) once it is taken.
  for (const owner of ['coder-2@ws-4', 'reviewer-1@ws-9'])
    locks.acquire('deploy/main', { ttlMs: 10_000, waitMs: 120_000, owner, signal: waiting.signal }).catch(() => undefined);
  const state = new VersionedState(dev, prefix);
  const plan = { goal: 'ship 1.5', steps: ['test', 'stage', 'ship'], owner: 'coordinator' };
  await state.set('plan:release', JSON.stringify(plan, null, 2), { source: 'coordinator' });
  await state.set('plan:release', JSON.stringify({ ...plan, steps: ['test', 'security review', 'stage', 'ship'] }, null, 2), {
    source: 'reviewer-1',
  });
  await state.set(
    'plan:release',
    JSON.stringify({ ...plan, steps: ['test', 'security review', 'stage', 'ship'], owner: 'planner', eta: '2026-12-01' }, null, 2),
    { source: 'planner' },
  );
  await state.set('plan:leader', 'coordinator', { source: 'consensus' });
  await state.set('agents:researcher-1:status', 'reading papers/retrieval', { source: 'researcher-1' });
  await state.set('agents:coder-2:status', 'building', { source: 'coder-2' });
  await state.set('feature-flags', '{"reranker":true}', { source: 'ops' });
  return () => {
    waiting.abort();
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

    await page.getByRole('button', { name: 'Locks' }).click();
    await page.getByTestId('lock-deploy/main').getByText('2 waiting').waitFor();
    await page.screenshot({ path: join(out, 'locks.png') });

    await page.getByRole('button', { name: 'State' }).click();
    await page.getByRole('button', { name: /plan:release/ }).click();
    await page.getByTestId('state-diff').getByText('owner').first().waitFor();
    await page.screenshot({ path: join(out, 'state.png') });
  } finally {
    close();
  }
}

if (isEntry(import.meta.filename)) {
  const { bed } = await import('../test/support/bed');
  const web = await openWebSession({ homePrefix: 'sd-shots-memcfg-' });
  try {
    await shootMemoryConfig(web.page, SCREENSHOTS, bed.standalone.port, bed.cluster.ports[0] as number);
  } finally {
    await web.close();
  }
}
