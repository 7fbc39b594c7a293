/**
 * A recorded series of 100,000 one-second points (~28 h, written through the SDK's `Metrics`
 * with an injected clock) on the Analytics page in Chromium (web host, the real UI): time from
 * choosing the series to the first drawn line, and frame times while the operator zooms with the
 * dataZoom slider and with the mouse wheel. The peer is the same chart of a 1,000-point series in
 * the same run. The page reads what its range asks (1 h → 1 s buckets, 7 d → 1 m buckets) and
 * thins each line with LTTB; the points it reads and draws are reported for each case. Prints
 * one JSON line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { Redis } from 'ioredis';
import { Metrics } from '../src/main/features/metrics/metrics';
import { readRange } from '../src/main/features/metrics/query';
import { toBucket } from '../src/main/features/metrics/histogram';
import { percentile } from '../src/main/features/health/latency-window';
import { chartModel, RANGES } from '../src/renderer/src/features/analytics/chart-model';
import { bed } from '../test/support/bed';
import { countFrames, openWebSession, ROOT } from '../scripts/screenshot-support';
import { ManualClock } from '../test/support/clock';

const DB = 12;
const PREFIX = 'sd';
const FRAME_SECONDS = 4;
const SERIES = [
  { name: 'bench.chart100k', swarm: 'chart100k', points: 100_000 },
  { name: 'bench.chart1k', swarm: 'chart1k', points: 1_000 },
] as const;
const RANGE_IDS = ['1h', '7d'] as const;
const note = (text: string) => process.stderr.write(`[bench/metrics-chart] ${text}\n`);

/**
 * Resolves at the first frame where a fresh chart canvas (one not marked stale before the
 * series was chosen) shows the line's colour inside the plot area: the legend swatch, drawn
 * before any data arrives, sits above it and must not count.
 */
const FIRST_LINE = `new Promise((done, fail) => {
  const started = performance.now();
  const tick = () => {
    for (const canvas of document.querySelectorAll('[data-testid="series-chart"] canvas:not([data-stale])')) {
      const ctx = canvas.getContext('2d');
      if (!ctx || canvas.width === 0) continue;
      const dpr = canvas.width / canvas.clientWidth;
      const top = Math.ceil(32 * dpr);
      const height = canvas.height - top - Math.ceil(56 * dpr);
      const px = ctx.getImageData(0, top, canvas.width, height).data;
      for (let i = 0; i < px.length; i += 4) {
        if (px[i] < 120 && px[i + 1] > 140 && px[i + 1] < 190 && px[i + 2] > 235) return done(performance.now() - started);
      }
    }
    if (performance.now() - started > 60000) return fail(new Error('no line drawn within 60 s'));
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})`;

/** A wavy load with rare spikes, so LTTB has shape to keep. */
const value = (i: number) => 50 + 20 * Math.sin(i / 900) + ((i * 7919) % 97) / 10 + (i % 4999 === 0 ? 200 : 0);

async function seed(client: Redis, now: number): Promise<void> {
  for (const s of SERIES) {
    const clock = new ManualClock(now - s.points * 1000);
    // The default keeps 6 h of 1 s buckets; the bench keeps every one of its ~28 h.
    const metrics = new Metrics(client, { prefix: PREFIX, clock, retention: { '1s': 30 * 3_600_000 } });
    for (let i = 0; i < s.points; i++) {
      metrics.record(s.name, value(i), { swarm: s.swarm });
      clock.advance(1000);
      if ((i & 4095) === 0) await new Promise((r) => setImmediate(r));
    }
    await metrics.close();
  }
}

/** Buckets the page reads for a range, and the points one chart of it draws after LTTB. */
async function drawn(client: Redis, series: string, rangeId: string, to: number) {
  const range = RANGES.find((r) => r.id === rangeId);
  if (!range) throw new Error(`no range ${rangeId}`);
  const read = await readRange(client, PREFIX, { series, from: to - range.ms, to: to + 1, resolution: range.resolution });
  const model = chartModel(
    [...read].map(([start, agg]) => toBucket(start, agg)),
    false,
  );
  return {
    resolution: range.resolution,
    bucketsRead: read.size,
    lineDrawn: model.line.length,
    allSeriesDrawn: model.line.length + model.bandLower.length + model.bandWidth.length + (model.trendLine?.length ?? 0),
  };
}

async function frames(page: Page, gesture: () => Promise<void>) {
  const counting = countFrames(page, FRAME_SECONDS);
  const until = Date.now() + FRAME_SECONDS * 1000;
  while (Date.now() < until) await gesture();
  const deltas = (await counting).slice(1).sort((a, b) => a - b);
  const r = (v: number | undefined) => Math.round((v ?? 0) * 10) / 10;
  return { p50Ms: r(percentile(deltas, 50)), p95Ms: r(percentile(deltas, 95)), maxMs: r(deltas.at(-1)), frames: deltas.length };
}

async function measure(page: Page, swarm: string, rangeId: string) {
  const select = page.getByLabel('Drill down');
  // A neutral scope first, so choosing the series below mounts a fresh chart.
  await select.selectOption('all');
  await page
    .locator('.analytics-toolbar')
    .getByRole('button', { name: RANGES.find((r) => r.id === rangeId)?.label ?? rangeId, exact: true })
    .click();
  await page.evaluate(`document.querySelectorAll('[data-testid="series-chart"] canvas').forEach((c) => c.setAttribute('data-stale', ''))`);
  const started = Date.now();
  const [firstLineInPageMs] = await Promise.all([page.evaluate(FIRST_LINE) as Promise<number>, select.selectOption(`swarm=${swarm}`)]);
  const openToLineMs = Date.now() - started;
  const chart = page.getByTestId('series-chart');
  const canvas = chart.locator('canvas').first();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('no canvas');
  // The slider sits 6 px above the canvas' bottom edge, 18 px high, spanning the grid (54 px from the left, 16 from the right).
  const sliderY = box.y + box.height - 6 - 9;
  const left = box.x + 54;
  const right = box.x + box.width - 16;
  let step = 0;
  const slider = await frames(page, async () => {
    // Drag the slider's left handle towards the right edge and back: zoom in, then out.
    await page.mouse.move(left + 2, sliderY);
    await page.mouse.down();
    await page.mouse.move(left + (right - left) * 0.8, sliderY, { steps: 20 });
    await page.mouse.move(left + 2, sliderY, { steps: 20 });
    await page.mouse.up();
  });
  const wheel = await frames(page, async () => {
    const x = left + ((right - left) * ((step * 37) % 100)) / 100;
    await page.mouse.move(x, box.y + box.height / 2);
    await page.mouse.wheel(0, step % 8 < 4 ? -120 : 120);
    step += 1;
  });
  return { openToLineMs, firstLineInPageMs: Math.round(firstLineInPageMs * 10) / 10, sliderZoom: slider, wheelZoom: wheel };
}

const client = new Redis(bed.standalone.port, '127.0.0.1', { db: DB });
await client.flushdb();
const now = Date.now();
const t0 = performance.now();
await seed(client, now);
note(`recorded ${SERIES.map((s) => s.points).join(' + ')} points in ${Math.round(performance.now() - t0)} ms`);

const home = mkdtempSync(join(tmpdir(), 'sd-bench-chart-'));
// Read-only: main records no built-in series of its own, so the page shows only the bench's.
spawnSync(
  process.execPath,
  [
    join(ROOT, 'bin/swarmdeck.js'),
    'profiles',
    'add',
    'lab',
    '--url',
    `redis://127.0.0.1:${bed.standalone.port}/${DB}`,
    '--read-only',
    '--home',
    home,
  ],
  { stdio: 'ignore' },
);
const { browser, page, close } = await openWebSession({ home, timeoutMs: 60_000, echoPageErrors: true });
await page.getByTestId('profile-lab').getByRole('button', { name: 'Connect', exact: true }).click();
// A read-only profile stays on the connections page after connecting; go to the page from the nav.
await page
  .getByRole('button', { name: /Analytics$/ })
  .click()
  .catch(async (e: unknown) => {
    await page.screenshot({ path: '/tmp/chartbench-fail.png' });
    throw e;
  });
// A fixed window: live mode would re-read and redraw the chart underneath the zoom.
await page.locator('.analytics-live input').uncheck();
await page.getByLabel('Drill down').locator(`option[value="swarm=${SERIES[0].swarm}"]`).waitFor({ state: 'attached' });

// Untimed once: the page's first chart pays for loading and compiling the chart code, which
// would otherwise land on whichever case runs first.
await measure(page, SERIES[1].swarm, RANGE_IDS[0]);
type Case = Awaited<ReturnType<typeof measure>> & Awaited<ReturnType<typeof drawn>>;
const results: Record<string, Case> = {};
for (const rangeId of RANGE_IDS) {
  for (const s of SERIES) {
    const id = `${s.swarm}-${rangeId}`;
    note(`measuring ${id}`);
    const m = await measure(page, s.swarm, rangeId).catch(async (e: unknown) => {
      await page.screenshot({ path: '/tmp/chartbench-fail.png' });
      throw e;
    });
    results[id] = { ...(await drawn(client, s.name, rangeId, Date.now())), ...m };
  }
}
await close();
await client.flushdb();
client.disconnect();

const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? Math.round((a / b) * 100) / 100 : null);
const compare = (rangeId: string) => {
  const big = results[`chart100k-${rangeId}`];
  const small = results[`chart1k-${rangeId}`];
  return {
    points100k: big,
    points1k: small,
    openToLineRatio: ratio(big?.openToLineMs, small?.openToLineMs),
    sliderP50Ratio: ratio(big?.sliderZoom.p50Ms, small?.sliderZoom.p50Ms),
    sliderP95Ratio: ratio(big?.sliderZoom.p95Ms, small?.sliderZoom.p95Ms),
    wheelP50Ratio: ratio(big?.wheelZoom.p50Ms, small?.wheelZoom.p50Ms),
    wheelP95Ratio: ratio(big?.wheelZoom.p95Ms, small?.wheelZoom.p95Ms),
  };
};
console.log(
  JSON.stringify({
    bench: 'metrics-chart',
    chromium: browser.version(),
    recorded: Object.fromEntries(SERIES.map((s) => [s.name, s.points])),
    ranges: Object.fromEntries(RANGE_IDS.map((r) => [r, compare(r)])),
  }),
);
process.exit(0);
