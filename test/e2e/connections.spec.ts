import { bed } from './bed-ports';
import { expect, test } from './fixtures';

test('create a cluster profile, test it, connect, and see 3 masters and 3 replicas', async ({ app }) => {
  await app.getByRole('button', { name: '+ New profile' }).click();
  await app.getByLabel('Name', { exact: true }).fill('bed cluster');
  await app.getByRole('radio', { name: 'Redis Cluster' }).click();
  await app.getByLabel('Seed nodes').fill(`127.0.0.1:${bed.cluster.ports[2]}`);
  await app.getByRole('button', { name: 'Test connection' }).click();
  const result = app.getByTestId('test-result');
  await expect(result).toContainText('Connection works');
  await expect(result).toContainText('6 nodes (3 masters, 3 replicas) discovered from 1 seed');

  await app.getByRole('button', { name: 'Save profile' }).click();
  const card = app.getByTestId('profile-bed-cluster');
  await expect(card).toContainText('cluster 127.0.0.1');
  await card.getByRole('button', { name: 'Connect', exact: true }).click();
  await card.getByRole('button', { name: 'Overview', exact: true }).click();

  const table = app.getByTestId('node-table');
  await expect(table.locator('tbody tr')).toHaveCount(6);
  await expect(table.locator('tr[data-role="master"]')).toHaveCount(3);
  await expect(table.locator('tr[data-role="replica"]')).toHaveCount(3);
  await expect(app.locator('.kpi').first()).toContainText('ok');
  await expect(app.getByTestId('status-pill').first()).toContainText('connected');
});

test('invalid profile input shows field errors and saves nothing', async ({ app }) => {
  await app.getByRole('button', { name: '+ New profile' }).click();
  await app.getByLabel('Port', { exact: true }).fill('abc');
  await app.getByLabel('Key prefix').fill('has spaces');
  await app.getByRole('button', { name: 'Save profile' }).click();

  await expect(app.locator('[data-field="name"] .field-error')).toHaveText('Name is required');
  await expect(app.locator('[data-field="topology.port"] .field-error')).toHaveText('Port must be a number');
  await expect(app.locator('[data-field="keyPrefix"] .field-error')).toContainText('Key prefix');
  await expect(app.getByRole('status')).toContainText('3 fields need attention');
  await expect(app.locator('[data-testid^="profile-"]')).toHaveCount(0);

  // A name that main refuses (taken) is shown on the field too, and nothing is added.
  await app.getByLabel('Name', { exact: true }).fill('dup');
  await app.getByLabel('Port', { exact: true }).fill(String(bed.standalone.port));
  await app.getByLabel('Key prefix').fill('sd');
  await app.getByRole('button', { name: 'Save profile' }).click();
  await expect(app.locator('[data-testid^="profile-"]')).toHaveCount(1);
  await app.getByRole('button', { name: '+ New profile' }).click();
  await app.getByLabel('Name', { exact: true }).fill('DUP');
  await app.getByRole('button', { name: 'Save profile' }).click();
  await expect(app.locator('[data-field="name"] .field-error')).toHaveText('This name is taken');
  await expect(app.locator('[data-testid^="profile-"]')).toHaveCount(1);
});

test('a production profile shows the banner and guards deletion with typed confirmation', async ({ app }) => {
  await app.getByRole('button', { name: '+ New profile' }).click();
  await app.getByLabel('Name', { exact: true }).fill('prod-standalone');
  await app.getByRole('radio', { name: 'production' }).click();
  await app.getByLabel('Port', { exact: true }).fill(String(bed.standalone.port));
  await app.getByRole('button', { name: 'Save profile' }).click();
  const card = app.getByTestId('profile-prod-standalone');
  await card.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(app.getByTestId('production-banner')).toContainText('PRODUCTION — prod-standalone');
  await card.getByRole('button', { name: 'Overview', exact: true }).click();
  await expect(app.getByTestId('node-table').locator('tbody tr')).toHaveCount(1);

  await app.getByRole('button', { name: 'Connections' }).click();
  await card.getByRole('button', { name: 'Delete' }).click();
  const dialog = app.getByRole('dialog');
  const confirm = dialog.getByRole('button', { name: 'Delete profile' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('confirmation').fill('prod');
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('confirmation').fill('prod-standalone');
  await confirm.click();
  await expect(app.locator('[data-testid^="profile-"]')).toHaveCount(0);
  await expect(app.getByTestId('production-banner')).toHaveCount(0);
});

test('a first run offers the local sandbox and lands on a live overview', async ({ app }) => {
  await app.getByRole('button', { name: 'Start sandbox' }).click();
  await expect(app.getByTestId('node-table').locator('tr[data-role="master"]')).toHaveCount(1);
  await expect(app.locator('.page-head')).toContainText('Local sandbox');
});
