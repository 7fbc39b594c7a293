/**
 * The Console and Diagnostics part of `npm run screenshots`, on the `dev-cluster` profile the
 * main script created: completion open, an INFO fan-out, the profiler under load, a memory
 * diagnosis. Its own file so it can be re-taken alone (`tsx scripts/screenshots-console.ts`).
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { Cluster } from 'ioredis';

export async function shootConsole(page: Page, out: string, clusterPort: number): Promise<void> {
  const cluster = new Cluster([{ host: '127.0.0.1', port: clusterPort }]);
  // Agent-shaped data: namespaces of several sizes, keys without TTL, and one big hash.
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < 1500; i += 1) writes.push(cluster.set(`session:${i}`, JSON.stringify({ user: i, at: Date.now() }), 'EX', 3600 + i));
  for (let i = 0; i < 600; i += 1)
    writes.push(cluster.hset(`agent:${i}:memory`, { role: 'worker', context: 'x'.repeat(200 + (i % 50) * 20) }));
  for (let i = 0; i < 300; i += 1) writes.push(cluster.rpush(`queue:embed:${i % 30}`, `chunk-${i}`));
  await Promise.all(writes);
  const fields: Record<string, string> = {};
  for (let i = 0; i < 15_000; i += 1) fields[`doc-${i}`] = `embedding-${i}-${'v'.repeat(40)}`;
  await cluster.hset('cache:embeddings:index', fields);
  await cluster.set('blob:model-weights', Buffer.alloc(1_200_000, 7));

  await page.getByLabel('Active connection').selectOption({ label: 'dev-cluster (development)' });
  await page.getByRole('button', { name: 'Console' }).click();
  await page.getByTestId('catalogue-source').filter({ hasText: 'COMMAND DOCS' }).waitFor();
  const editor = page.locator('[data-testid="console-editor"] .view-lines');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('HSET agent:7:memory role planner\nHGETALL agent:7:memory\nXR');
  await page.locator('.suggest-widget.visible').waitFor();
  // The details side panel carries the summary, complexity and since.
  await page.keyboard.press('ControlOrMeta+Space');
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(out, 'console-completion.png') });

  await page.keyboard.press('Escape');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('INFO memory');
  await page.keyboard.press('Escape');
  await page.getByTestId('console-run').click();
  await page.getByTestId('fanout-table').waitFor();
  await page.getByLabel('filter fields').fill('used_memory');
  await page.screenshot({ path: join(out, 'console-fanout.png') });

  // Traffic for the profiler: agents reading and writing their memory across the slots.
  let n = 0;
  const load = setInterval(() => {
    for (let i = 0; i < 25; i += 1) {
      n += 1;
      void cluster.hget(`agent:${n % 600}:memory`, 'role');
      if (n % 3 === 0) void cluster.hincrby(`agent:${n % 600}:memory`, 'steps', 1);
      if (n % 7 === 0) void cluster.set(`session:${n % 1500}`, String(n), 'EX', 3600);
    }
  }, 50);
  await page.getByRole('tab', { name: 'Profiler' }).click();
  await page.getByTestId('profiler-start').click();
  await page.getByTestId('profiler-stop').waitFor();
  await page.waitForTimeout(7000);
  await page.screenshot({ path: join(out, 'console-profiler.png') });
  await page.getByTestId('profiler-stop').click();
  clearInterval(load);

  // The report is longer than the window: a taller one shows findings, bars and big keys at once.
  await page.setViewportSize({ width: 1440, height: 1600 });
  await page.getByRole('button', { name: 'Diagnostics' }).click();
  await page.getByTestId('run-memory').click();
  await page.getByTestId('report-memory').waitFor({ timeout: 60_000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, 'diagnostics-memory.png') });
  await page.getByTestId('run-performance').click();
  await page.getByTestId('report-performance').waitFor({ timeout: 60_000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, 'diagnostics-performance.png') });
  await page.setViewportSize({ width: 1440, height: 900 });

  const keys: string[] = [];
  for (const node of cluster.nodes('master'))
    keys.push(...(await node.keys('*')).filter((k) => /^(session|agent|queue|cache|blob):/.test(k)));
  await Promise.all(keys.map((k) => cluster.del(k)));
  cluster.disconnect();
}
