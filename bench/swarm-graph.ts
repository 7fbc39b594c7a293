/**
 * The topology graph of 1,000 agents in Chromium (web host, the real UI): time from opening
 * the swarm to the first drawn graph, and frame times while the operator zooms, pans and
 * hovers (the detail view keeps refreshing underneath). The peer is the same swarm shape
 * with 100 agents in the same run. Hierarchical and mesh. Prints one JSON line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { Redis } from 'ioredis';
import { SwarmRegistry } from '../src/main/features/swarms/swarm-registry';
import { percentile } from '../src/main/features/health/latency-window';
import { bed } from '../test/support/bed';
import { countFrames, openWebSession, ROOT } from '../scripts/screenshot-support';

const DB = 11;
const FRAME_SECONDS = 4;
async function seed(client: Redis, id: string, topology: 'hierarchical' | 'mesh', agents: number): Promise<void> {
  const registry = new SwarmRegistry(client);
  await registry.create({ id, name: id, topology, strategy: 'quorum', maxAgents: agents });
  const leads = Math.round(agents / 12);
  for (let i = 0; i < agents; i += 1) {
    await registry.register(id, {
      id: `agent-${i}`,
      role: i === 0 ? 'coordinator' : topology === 'hierarchical' && i <= leads ? 'lead' : 'worker',
      ttlMs: 3_600_000,
    });
  }
  await registry.heartbeatMany(
    id,
    Array.from({ length: agents }, (_, i) => ({
      agentId: `agent-${i}`,
      status: i % 3 === 0 ? 'busy' : 'idle',
      task: i % 3 === 0 ? `t-${i}` : '',
      load: (i % 10) / 10,
    })),
  );
}

async function measure(page: Page, id: string) {
  await page.getByRole('button', { name: 'Swarms' }).click();
  const started = Date.now();
  await page.getByTestId('swarms-table').locator(`[data-key="swarmdeck:${id}"]`).click();
  const graph = page.getByTestId('topology-graph');
  await graph.and(page.locator('[data-first-render-ms]')).waitFor({ timeout: 60_000 });
  const openToGraphMs = Date.now() - started;
  const chartFirstRenderMs = Number(await graph.getAttribute('data-first-render-ms'));
  const box = await page.locator('.graph canvas').first().boundingBox();
  if (!box) throw new Error('no canvas');
  const frames = countFrames(page, FRAME_SECONDS);
  // Zoom in and out, pan, and sweep the pointer over nodes while the page counts frames.
  const until = Date.now() + FRAME_SECONDS * 1000;
  for (let i = 0; Date.now() < until; i += 1) {
    const x = box.x + (box.width * ((i * 37) % 100)) / 100;
    const y = box.y + (box.height * ((i * 53) % 100)) / 100;
    await page.mouse.move(x, y);
    await page.mouse.wheel(0, i % 8 < 4 ? -120 : 120);
  }
  const deltas = (await frames).slice(1).sort((a, b) => a - b);
  await page.getByRole('button', { name: '← Swarms' }).click();
  const r = (v: number | undefined) => Math.round((v ?? 0) * 10) / 10;
  return {
    openToGraphMs,
    chartFirstRenderMs: r(chartFirstRenderMs),
    frameP50Ms: r(percentile(deltas, 50)),
    frameP95Ms: r(percentile(deltas, 95)),
    frameMaxMs: r(deltas.at(-1)),
    frames: deltas.length,
  };
}

const client = new Redis(bed.standalone.port, '127.0.0.1', { db: DB });
await client.flushdb();
const cases = [
  ['graph-1000-hierarchical', 'hierarchical', 1000],
  ['graph-100-hierarchical', 'hierarchical', 100],
  ['graph-1000-mesh', 'mesh', 1000],
  ['graph-100-mesh', 'mesh', 100],
] as const;
for (const [id, topology, n] of cases) await seed(client, id, topology, n);

const home = mkdtempSync(join(tmpdir(), 'sd-bench-graph-'));
spawnSync(
  process.execPath,
  [join(ROOT, 'bin/swarmdeck.js'), 'profiles', 'add', 'lab', '--url', `redis://127.0.0.1:${bed.standalone.port}/${DB}`, '--home', home],
  { stdio: 'ignore' },
);
const { browser, page, close } = await openWebSession({ home, timeoutMs: 30_000, echoPageErrors: true });
await page.getByTestId('profile-lab').getByRole('button', { name: 'Connect', exact: true }).click();
// Connect keeps the operator on Connections; the card's Overview opens the live view.
await page.getByTestId('profile-lab').getByRole('button', { name: 'Overview', exact: true }).click();
await page.getByTestId('node-table').waitFor();
const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
for (const [id] of cases) {
  process.stderr.write(`measuring ${id}\n`);
  results[id] = await measure(page, id).catch(async (e: unknown) => {
    await page.screenshot({ path: '/tmp/look/graph-fail.png' });
    throw e;
  });
}
await close();
await client.flushdb();
client.disconnect();

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const compare = (big: string, small: string) => ({
  [big]: results[big],
  [small]: results[small],
  firstRenderRatio: ratio(results[big]?.chartFirstRenderMs ?? 0, results[small]?.chartFirstRenderMs ?? 1),
  frameP95Ratio: ratio(results[big]?.frameP95Ms ?? 0, results[small]?.frameP95Ms ?? 1),
});
console.log(
  JSON.stringify({
    bench: 'swarm-graph',
    chromium: browser.version(),
    hierarchical: compare('graph-1000-hierarchical', 'graph-100-hierarchical'),
    mesh: compare('graph-1000-mesh', 'graph-100-mesh'),
  }),
);
process.exit(0);
