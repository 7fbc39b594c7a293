import { bed } from './bed-ports';
import { expect, test } from './fixtures';

test("the Overview shows Swarmdeck's own data on the target; with recording switched off it and Analytics say so", async ({ app }) => {
  const panel = app.getByRole('region', { name: "Swarmdeck's own data here" });
  await app.getByRole('button', { name: '+ New profile' }).click();
  await app.getByLabel('Name', { exact: true }).fill('records');
  await app.getByLabel('Port', { exact: true }).fill(String(bed.standalone.port));
  await expect(app.getByLabel('Record metrics')).toBeChecked();
  await app.getByRole('button', { name: 'Save profile' }).click();
  const card = app.getByTestId('profile-records');
  await card.getByRole('button', { name: 'Connect', exact: true }).click();
  await card.getByRole('button', { name: 'Overview', exact: true }).click();
  await expect(panel).toContainText('records its built-in series here');
  // The first flush lands within a beat: counted again, the metric series are there.
  await expect(async () => {
    await panel.getByRole('button', { name: 'Count again' }).click();
    await expect(panel.getByRole('listitem').filter({ hasText: 'metric series' })).not.toContainText('0 keys', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(panel.locator('.own-data-total')).toHaveText(/^[\d,]+ keys, [\d.]+ (B|KiB|MiB)/);
  await panel.screenshot({ path: '/tmp/sd24600-own-data-panel.png' });
  await app.screenshot({ path: '/tmp/sd24600-overview.png', fullPage: true });

  await app.getByRole('button', { name: 'Connections' }).click();
  await app.getByRole('button', { name: '+ New profile' }).click();
  await app.getByLabel('Name', { exact: true }).fill('quiet');
  await app.getByLabel('Port', { exact: true }).fill(String(bed.standalone.port));
  await app.getByLabel('Key prefix', { exact: true }).fill('quiet-e2e');
  await app.getByLabel('Record metrics').uncheck();
  await app.getByRole('button', { name: 'Save profile' }).click();
  const quiet = app.getByTestId('profile-quiet');
  await quiet.getByRole('button', { name: 'Connect', exact: true }).click();
  await quiet.getByRole('button', { name: 'Overview', exact: true }).click();
  await expect(panel).toContainText('Recording metrics is switched off for profile "quiet"');
  await expect(panel.getByRole('listitem').filter({ hasText: 'metric series' })).toContainText('0 keys');
  await app.screenshot({ path: '/tmp/sd24600-overview-off.png', fullPage: true });
  await app.getByRole('button', { name: 'Analytics' }).click();
  await expect(app.getByText('Recording metrics is switched off for quiet')).toBeVisible();
});
