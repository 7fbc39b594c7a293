import { bed } from './bed-ports';
import { expect, test } from './fixtures';

test('the connected profile is in view, stays in view across a reload, and Connect keeps the operator where they are', async ({ app }) => {
  await app.getByRole('button', { name: '+ New profile' }).click();
  await app.getByLabel('Name', { exact: true }).fill('in view');
  await app.getByLabel('Port', { exact: true }).fill(String(bed.standalone.port));
  await app.getByRole('button', { name: 'Save profile' }).click();
  const card = app.getByTestId('profile-in-view');
  await card.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(card.getByTestId('status-pill')).toContainText('connected');
  // Still on the connections page: connecting is not navigating.
  await expect(app.getByRole('button', { name: '+ New profile' })).toBeVisible();
  await expect(app.getByLabel('Active connection')).toHaveValue('in-view');

  await app.reload();
  await expect(app.getByTestId('profile-in-view').getByTestId('status-pill')).toContainText('connected');
  await expect(app.getByLabel('Active connection')).toHaveValue('in-view');
  await expect(app.getByText('choose a connection')).toHaveCount(0);
  await app
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('button', { name: /Overview/ })
    .click();
  await expect(app.getByTestId('node-table')).toBeVisible();
  await expect(app.getByText('No live connection')).toHaveCount(0);
  await app.screenshot({ path: 'test-results/p1/connection-after-reload.png' });
});
