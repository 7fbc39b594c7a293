/**
 * The claude-flow-novice part of `npm run screenshots`: a realistic deployment in database 12
 * (the same fixture the tests use), then the swarm list with stored vs evidenced status and
 * ghosts, the Coordination panel of the swarm whose coordinator is stuck, and its routing
 * queue on the Tasks page. Re-take these alone with `tsx scripts/screenshots-cfn.ts`.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { Redis } from 'ioredis';
import { writeCfnDeployment } from '../test/support/claude-flow-novice';
import { isEntry, openWebSession, SCREENSHOTS } from './screenshot-support';

const DB = 12;

export async function shootCfn(page: Page, out: string, port: number): Promise<void> {
  const client = new Redis(port, '127.0.0.1', { db: DB });
  const { ids, coord } = await writeCfnDeployment(client, 'shot');
  try {
    await page.getByRole('button', { name: 'Connections' }).click();
    await page.getByRole('button', { name: '+ New profile' }).click();
    await page.getByLabel('Name', { exact: true }).fill('cfn-deployment');
    await page.getByLabel('Port', { exact: true }).fill(String(port));
    await page.getByLabel('Database').fill(String(DB));
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByTestId('profile-cfn-deployment').getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByLabel('Active connection').selectOption({ label: 'cfn-deployment (development)' });
    await page.getByRole('button', { name: 'Swarms' }).click();
    await page.getByTestId('swarms-table').locator(`[data-key="claude-flow-novice:${ids.archived}"]`).waitFor();
    await page.getByTestId('cfn-ghosts').locator('summary').click();
    await page.screenshot({ path: join(out, 'cfn-swarms.png') });

    await page.getByTestId('swarms-table').locator(`[data-key="claude-flow-novice:${ids.stale}"]`).click();
    await page.getByTestId(`wait-${coord.stuck}`).waitFor();
    await page.getByTestId('cfn-saved').getByRole('button', { name: 'View' }).last().click();
    // A tall window shows the findings and the whole panel at once.
    await page.setViewportSize({ width: 1440, height: 1700 });
    await page.getByTestId('coordination-panel').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, 'cfn-coordination.png'), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.getByRole('button', { name: '← Swarms' }).click();
    await page.getByRole('button', { name: 'Tasks' }).click();
    await page.getByTestId('cfn-queue').waitFor();
    await page.screenshot({ path: join(out, 'cfn-queue.png') });
  } finally {
    await client.flushdb();
    client.disconnect();
  }
}

if (isEntry(import.meta.filename)) {
  const { bed } = await import('../test/support/bed');
  const web = await openWebSession({ homePrefix: 'sd-shots-cfn-' });
  try {
    await shootCfn(web.page, SCREENSHOTS, bed.standalone.port);
  } finally {
    await web.close();
  }
}
