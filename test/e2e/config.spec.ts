import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { bed } from './bed-ports';
import { expect, test } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/swarmdeck.js');
const cli = (home: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--home', home], { encoding: 'utf8' });

test('a schema error is shown inline in the config editor, and one scope is compared between two environments', async ({ app, home }) => {
  const prefix = `e2ecfg${process.pid}`;
  expect(
    cli(home, 'profiles', 'add', 'cfgprod', '--cluster', `127.0.0.1:${bed.cluster.ports[0]}`, '--prefix', prefix, '--env', 'production')
      .status,
  ).toBe(0);
  expect(cli(home, 'profiles', 'add', 'cfgdev', '--url', `redis://127.0.0.1:${bed.standalone.port}`, '--prefix', prefix).status).toBe(0);
  const set = cli(home, 'config', 'set', 'monitoring', '{"metricsIntervalSec":15}', '--profile', 'cfgdev');
  expect(set.status, set.stderr).toBe(0);

  await app.reload();
  for (const name of ['cfgprod', 'cfgdev']) {
    await app.getByTestId(`profile-${name}`).getByRole('button', { name: 'Connect', exact: true }).click();
    await app.getByTestId(`profile-${name}`).getByRole('button', { name: 'Disconnect' }).waitFor();
  }
  await app.getByRole('button', { name: 'Config' }).click();
  await expect(app.getByText('cfgdev against')).toBeVisible();

  // The swarm scope's editor: a maxAgents below the schema's minimum is flagged where it is typed.
  const editor = app.getByTestId('config-editor');
  await expect(editor).toContainText('maxAgents');
  await editor.click();
  await app.keyboard.press('ControlOrMeta+A');
  await app.keyboard.insertText('{\n  "maxAgents": 0,\n  "topology": "mesh"\n}');
  await expect(app.getByTestId('config-problems')).toContainText(/line 2: .*minimum/i);
  await expect(editor.locator('.squiggly-error').first()).toBeAttached();
  await expect(app.getByRole('button', { name: 'Save' })).toBeDisabled();

  // Completion comes from the schema: a field name the operator has not typed yet is offered.
  await app.keyboard.press('ControlOrMeta+A');
  await app.keyboard.insertText('{\n  \n}');
  await app.keyboard.press('ArrowUp');
  await app.keyboard.press('End');
  await app.keyboard.press('Control+Space');
  await expect(app.locator('.suggest-widget')).toContainText('consensusQuorum');
  await app.keyboard.press('Escape');

  await app.getByRole('tab', { name: 'monitoring' }).click();
  await app.getByLabel('Other environment').selectOption({ label: 'cfgprod (production)' });
  const diff = app.getByTestId('config-diff');
  const row = diff.locator('tr', { hasText: 'metricsIntervalSec' });
  await expect(row).toContainText('15');
  await expect(row).toContainText('60');
  await expect(diff).not.toContainText('alerts.memoryPercent');
  await expect(app.getByRole('button', { name: 'Promote cfgdev → cfgprod' })).toBeEnabled();
});
