import { Redis } from 'ioredis';
import { bed } from './bed-ports';
import { expect, test } from './fixtures';

test('no fragmentation flag on a tiny instance; a node that stops answering keeps its last figures greyed with their age, and no live-looking PING', async ({
  app,
}) => {
  await app.getByRole('button', { name: '+ New profile' }).click();
  await app.getByLabel('Name', { exact: true }).fill('stale');
  await app.getByLabel('Port', { exact: true }).fill(String(bed.standalone.port));
  await app.getByRole('button', { name: 'Save profile' }).click();
  const card = app.getByTestId('profile-stale');
  await card.getByRole('button', { name: 'Connect', exact: true }).click();
  await card.getByRole('button', { name: 'Overview', exact: true }).click();
  const row = app.getByTestId('node-table').locator('tbody tr').first();
  await expect(row.locator('td').nth(9)).not.toHaveText('—');
  const memory = await row.locator('td').nth(5).innerText();
  // A test server of a few MiB is not flagged whatever its ratio (allocator overhead on a small
  // dataset); its ratio depends on what earlier tests left, so the rule's cases live in
  // test/unit/health-math.test.ts and this only checks the page shows no flag.
  await expect(row.locator('td').nth(6)).not.toHaveClass(/warn-text/);

  // A paused server answers nothing within the probe timeout: the collector cannot read it.
  const admin = new Redis(bed.standalone.port, '127.0.0.1');
  await admin.call('CLIENT', 'PAUSE', '8000', 'ALL');
  try {
    await expect(row.getByTestId('node-last-seen')).toContainText('last read', { timeout: 10_000 });
    await expect(row).toHaveClass(/row-stale/);
    await expect(row.locator('td').nth(5)).toHaveText(memory);
    await expect(row.locator('td').nth(9)).toHaveText('—');
    await expect(row.locator('td').nth(10)).toHaveText('—');
    await expect(app.locator('.kpi').filter({ hasText: 'Clients' })).toContainText('1 node not read');
    await expect(app.locator('.kpi').filter({ hasText: 'PING p50' }).locator('.kpi-value')).toHaveText('—');
    await app.screenshot({ path: 'test-results/p1/overview-stale.png' });
  } finally {
    await admin.call('CLIENT', 'UNPAUSE');
    admin.disconnect();
  }
  await expect(row).not.toHaveClass(/row-stale/, { timeout: 15_000 });
});
