/**
 * The Analytics part of `npm run screenshots`: the demo running on database 7, with an hour of
 * per-agent task times recorded the way an agent's SDK `Metrics` records them (one of them
 * with a stall), then the Analytics page, a real latency spike (DEBUG SLEEP) marked as an
 * anomaly, the alerts view with the rule it fired, and the HTML report opened in the browser.
 * Re-take these alone with `tsx scripts/screenshots-analytics.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { Redis } from 'ioredis';
import { runDemo } from '../src/main/features/demo/demo';
import { Metrics } from '../src/main/features/metrics/metrics';
import { isEntry, openWebSession, ROOT, SCREENSHOTS } from './screenshot-support';

const DB = 7;

/** An hour of task times per agent at 1 s, one agent stalling for a minute 20 minutes ago. */
async function seedAgentHistory(client: Redis): Promise<void> {
  let now = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
  const m = new Metrics(client, { clock: { now: () => now }, maxPendingSamples: 1_000_000 });
  let seed = 11;
  const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let s = 0; s < 3600; s += 2) {
    for (const agent of ['coder-1', 'coder-2', 'reviewer-1']) {
      const base = agent === 'reviewer-1' ? 240 : 120 + s / 60;
      const stall = agent === 'coder-2' && s >= 2400 && s < 2406 ? 1500 : 0;
      m.record('agent.task_ms', base + 30 * rnd() + stall, { swarm: 'demo', agent });
    }
    now += 2000;
  }
  await m.close();
}

export async function shootAnalytics(page: Page, out: string, port: number): Promise<void> {
  const client = new Redis(port, '127.0.0.1', { db: DB });
  await client.flushdb();
  const demos = new AbortController();
  const demo = runDemo(client, { swarms: 1, agents: 8, signal: demos.signal });
  try {
    await seedAgentHistory(client);
    await page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('button', { name: /Connections/ })
      .click();
    await page.getByRole('button', { name: '+ New profile' }).click();
    await page.getByLabel('Name', { exact: true }).fill('analytics-demo');
    await page.getByLabel('Port', { exact: true }).fill(String(port));
    await page.getByLabel('Database').fill(String(DB));
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByTestId('profile-analytics-demo').getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByLabel('Active connection').selectOption({ label: 'analytics-demo (development)' });
    await page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('button', { name: /Analytics/ })
      .click();

    await page.getByRole('tab', { name: /Alerts/ }).click();
    await page.getByRole('button', { name: 'New rule' }).click();
    await page.getByLabel('Rule name').fill('PING stall');
    await page.getByLabel('Rule series').selectOption('redis.ping_ms');
    await page.getByLabel('Rule stat').selectOption('max');
    await page.getByLabel('Rule window').fill('120');
    await page.getByLabel('Rule threshold').fill('300');
    await page.getByLabel('Rule severity').selectOption('critical');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByTestId('alert-rule').filter({ hasText: 'PING stall' }).waitFor();

    await page.getByRole('tab', { name: 'Series' }).click();
    await page.setViewportSize({ width: 1440, height: 1500 });
    await page.waitForTimeout(40_000);
    await page.screenshot({ path: join(out, 'analytics-demo.png') });

    await client.call('DEBUG', 'SLEEP', '2.5');
    const node = `node=127.0.0.1:${port}`;
    await page.getByLabel('Drill down').selectOption({ value: node });
    const ping = page.locator('[data-testid="series-chart"][data-series="redis.ping_ms"]');
    await ping.getByTestId('anomaly-count').waitFor({ timeout: 30_000 });
    await ping.scrollIntoViewIfNeeded();
    // The marker's tooltip: the value and the band it left.
    const marker = await ping.locator('canvas').first().boundingBox();
    if (marker) await page.mouse.move(marker.x + marker.width - 30, marker.y + marker.height / 2);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, 'analytics-anomaly.png') });

    await page.getByRole('tab', { name: /Alerts/ }).click();
    await page.getByTestId('firing-alert').filter({ hasText: 'PING stall' }).waitFor({ timeout: 30_000 });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: join(out, 'analytics-alerts.png') });
    await page.getByTestId('firing-alert').filter({ hasText: 'PING stall' }).getByRole('button', { name: 'Acknowledge' }).click();

    const report = join(mkdtempSync(join(tmpdir(), 'sd-report-')), 'report.html');
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bin/swarmdeck.js'),
        'report',
        '--url',
        `redis://127.0.0.1:${port}/${DB}`,
        '--since',
        '1h',
        '--out',
        report,
        '--home',
        mkdtempSync(join(tmpdir(), 'sd-report-home-')),
      ],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`report failed: ${r.stderr}`);
    // The report opens from disk, as an operator would open the file; then back to the app.
    const app = page.url();
    await page.setViewportSize({ width: 1200, height: 1400 });
    await page.goto(`file://${report}`);
    await page.screenshot({ path: join(out, 'analytics-report.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(app);
  } finally {
    demos.abort();
    await demo.catch(() => undefined);
    await client.flushdb();
    client.disconnect();
  }
}

if (isEntry(import.meta.filename)) {
  const { bed } = await import('../test/support/bed');
  const web = await openWebSession({ homePrefix: 'sd-shots-analytics-' });
  try {
    await shootAnalytics(web.page, SCREENSHOTS, bed.standalone.port);
  } finally {
    await web.close();
  }
}
