import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { Locator, Page } from '@playwright/test';
import { auditKey } from '../../src/main/redis/keyspace';
import { bed } from './bed-ports';
import { expect, test } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/swarmdeck.js');
const cli = (home: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--home', home], { encoding: 'utf8' });
const URL = `redis://127.0.0.1:${bed.standalone.port}`;
/** Screenshots of the dialogs, kept with the test's other output for a person to look at. */
const shot = (name: string): string => test.info().outputPath(name);

async function connect(app: Page, name: string): Promise<void> {
  await app.getByTestId(`profile-${name}`).getByRole('button', { name: 'Connect', exact: true }).click();
  await app.getByTestId(`profile-${name}`).getByRole('button', { name: 'Disconnect' }).waitFor();
}

/** The dialog asks for `name`: its button stays disabled for anything else typed, then runs. */
async function confirmTyped(app: Page, name: string, button: string, screenshot?: string): Promise<void> {
  const dialog = app.getByRole('dialog');
  await expect(dialog).toContainText(`Type ${name} to confirm`);
  const run = dialog.getByRole('button', { name: button, exact: true });
  await expect(run).toBeDisabled();
  await dialog.getByLabel('confirmation').fill(name.slice(0, -1));
  await expect(run).toBeDisabled();
  await dialog.getByLabel('confirmation').fill(`${name} `);
  await expect(run).toBeDisabled();
  await dialog.getByLabel('confirmation').fill(name);
  if (screenshot) await app.screenshot({ path: shot(screenshot) });
  await run.click();
  await expect(dialog).toBeHidden();
}

async function replaceEditorText(app: Page, text: string): Promise<void> {
  const editor = app.getByTestId('config-editor');
  await expect(editor).toContainText('maxAgents');
  await editor.click();
  await app.keyboard.press('ControlOrMeta+A');
  await app.keyboard.insertText(text);
  // Monaco closes the brace typed first: whatever it added after the cursor goes.
  await app.keyboard.press('ControlOrMeta+Shift+End');
  await app.keyboard.press('Delete');
  await expect(app.getByTestId('config-problems')).toBeEmpty();
}

/** A refused button: disabled, with main's reason as its title and accessible description. */
async function expectRefused(button: Locator, reason: string): Promise<void> {
  await expect(button).toBeDisabled();
  await expect(button).toHaveAttribute('title', reason);
  await expect(button).toHaveAttribute('aria-description', reason);
}

test('on production, config, memory, state, alert rules and the backup schedule are written from the UI after typing their names, and refused without', async ({
  app,
  home,
}) => {
  test.setTimeout(150_000);
  const prefix = `e2edecl${process.pid}`;
  expect(cli(home, 'profiles', 'add', 'prod', '--url', URL, '--prefix', prefix, '--env', 'production').status).toBe(0);
  const redis = new Redis(bed.standalone.port, '127.0.0.1');
  try {
    // Main refuses an unconfirmed write on production whoever asks: the CLI here, the window below.
    const bare = cli(home, 'config', 'set', 'swarm', '{"maxAgents":7}', '--profile', 'prod');
    expect(bare.status, bare.stderr).toBe(1);
    expect(bare.stderr).toContain('--confirm swarm');

    await app.reload();
    await connect(app, 'prod');
    await expect(app.getByTestId('production-banner')).toBeVisible();

    // Config: Save asks for the scope's name; cancelling writes nothing.
    await app.getByRole('button', { name: 'Config' }).click();
    await replaceEditorText(app, '{ "maxAgents": 7, "topology": "ring" }');
    await app.getByRole('button', { name: 'Save', exact: true }).click();
    const dialog = app.getByRole('dialog');
    await expect(dialog).toContainText('Save swarm on prod?');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(app.getByTestId('config-history').locator('tbody tr')).toHaveCount(0);
    await app.getByRole('button', { name: 'Save', exact: true }).click();
    await confirmTyped(app, 'swarm', 'Save', 'config-save-dialog.png');
    await expect(app.getByRole('status')).toContainText('swarm saved as version 1');
    await expect(app.getByTestId('config-version-1')).toBeVisible();

    // Memory: a new entry, then its deletion, each confirmed with the entry's name.
    await app.getByRole('button', { name: 'Memory' }).click();
    await app.getByRole('button', { name: 'New entry' }).click();
    const form = app.getByTestId('memory-form');
    await form.getByLabel('Entry agent').fill('planner-1');
    await form.getByLabel('Entry namespace').fill('notes');
    await form.getByLabel('Entry key').fill('plan');
    await form.getByLabel('Entry value').fill('{"step":1}');
    await form.getByLabel('Entry tags').fill('ops');
    await form.getByRole('button', { name: 'Write entry' }).click();
    await expect(dialog).toContainText('Write planner-1/notes/plan?');
    await confirmTyped(app, 'planner-1/notes/plan', 'Write entry', 'memory-write-dialog.png');
    await expect(app.getByRole('status')).toContainText('planner-1/notes/plan written as version 1');
    const entry = app.getByTestId('memory-entry');
    await expect(entry).toContainText('version 1 by operator');
    await entry.getByRole('button', { name: 'Delete' }).click();
    await expect(dialog).toContainText('Delete planner-1/notes/plan?');
    await confirmTyped(app, 'planner-1/notes/plan', 'Delete entry', 'memory-delete-dialog.png');
    await expect(app.getByRole('status')).toContainText('planner-1/notes/plan deleted');
    await expect(entry).toBeHidden();

    // State: a new key, written after typing the key.
    await app.getByRole('button', { name: 'State' }).click();
    await app.getByRole('button', { name: 'New key' }).click();
    await app.getByLabel('State key', { exact: true }).fill('plan:current');
    await app.getByLabel('State value').fill('{"step":1}');
    await app.getByTestId('state-form').getByRole('button', { name: 'Write', exact: true }).click();
    await confirmTyped(app, 'plan:current', 'Write', 'state-write-dialog.png');
    await expect(app.getByRole('status')).toContainText('plan:current written as version 1');
    await expect(app.getByTestId('state-value')).toHaveText('{"step":1}');

    // Alert rules: saving one asks for its name on production, and disabling it (silencing it) too.
    await app.getByRole('button', { name: 'Analytics' }).click();
    await expect(app.locator('[data-testid="series-chart"][data-series="redis.ping_ms"]')).toBeVisible({ timeout: 30_000 });
    await app.getByRole('tab', { name: /Alerts/ }).click();
    await app.getByRole('button', { name: 'New rule' }).click();
    await app.getByLabel('Rule name').fill('PING spike');
    await app.getByLabel('Rule series').selectOption('redis.ping_ms');
    await app.getByLabel('Rule threshold').fill('300');
    await app.getByRole('button', { name: 'Save rule' }).click();
    await confirmTyped(app, 'PING spike', 'Save rule');
    const rule = app.getByTestId('alert-rule').filter({ hasText: 'PING spike' });
    await expect(rule).toContainText('yes');
    // Once saved, main names the rule by its id (a rename in the same call cannot choose what is typed); the row shows it.
    const ruleId = (await rule.getByTestId('alert-rule-id').textContent()) ?? '';
    expect(ruleId).toMatch(/^r-[a-z0-9]+$/);
    await rule.getByRole('button', { name: 'Disable' }).click();
    await expect(dialog).toContainText('Disable PING spike?');
    await expect(dialog.getByRole('button', { name: 'Disable rule' })).toHaveClass(/btn-danger/);
    await confirmTyped(app, ruleId, 'Disable rule', 'alert-disable-dialog.png');
    await expect(rule).toContainText('no');
    await expect(rule.getByRole('button', { name: 'Enable' })).toBeVisible();

    // The backup schedule lives in this home and is about the whole profile: its name is typed, to set it and to remove it.
    await app.getByRole('button', { name: 'Backups' }).click();
    const schedule = app.getByTestId('schedule-panel');
    await schedule.getByLabel('Every hours').fill('6');
    await schedule.getByRole('button', { name: 'Save schedule' }).click();
    await confirmTyped(app, 'prod', 'Save schedule');
    await expect(app.getByRole('status')).toContainText('Backups scheduled every 6 h');
    await schedule.getByRole('button', { name: 'Remove' }).click();
    await expect(dialog).toContainText('Remove the schedule of prod?');
    await confirmTyped(app, 'prod', 'Remove schedule', 'schedule-remove-dialog.png');
    await expect(app.getByRole('status')).toContainText('Schedule removed');
    await expect(schedule.getByTestId('schedule-next')).toHaveText('not scheduled');

    // One audit entry each, in the profile's stream.
    const audit = await redis.xrange(auditKey(prefix), '-', '+');
    const actions = audit.map(([, fields]) => `${fields[1]} ${fields[3]}`);
    expect(actions).toEqual([
      'config.set swarm',
      'memory.set planner-1/notes/plan',
      'memory.delete planner-1/notes/plan',
      'state.set plan:current',
      expect.stringMatching(/^alert\.rule /),
      `alert.silence ${ruleId}`,
      expect.stringMatching(/^backup\.schedule /),
      expect.stringMatching(/^backup\.unschedule /),
    ]);
  } finally {
    redis.disconnect();
  }
});

test('on a read-only profile the same buttons are disabled with the reason main gives; alert rules, kept in this home, are not', async ({
  app,
  home,
}) => {
  const prefix = `e2edeclro${process.pid}`;
  expect(cli(home, 'profiles', 'add', 'writer', '--url', URL, '--prefix', prefix).status).toBe(0);
  expect(cli(home, 'profiles', 'add', 'reader', '--url', URL, '--prefix', prefix, '--read-only').status).toBe(0);
  for (const v of ['{"maxAgents":5}', '{"maxAgents":6}'])
    expect(cli(home, 'config', 'set', 'swarm', v, '--profile', 'writer').status).toBe(0);
  expect(cli(home, 'state', 'set', 'plan:current', '{"step":1}', '--profile', 'writer').status).toBe(0);
  // Off production a plain write runs on one click: the writer seeds one memory entry from the page.
  await app.reload();
  await connect(app, 'writer');
  await app.getByRole('button', { name: 'Memory' }).click();
  await app.getByRole('button', { name: 'New entry' }).click();
  await app.getByLabel('Entry namespace').fill('notes');
  await app.getByLabel('Entry key').fill('plan');
  await app.getByLabel('Entry value').fill('{"step":1}');
  await app.getByTestId('memory-form').getByRole('button', { name: 'Write entry' }).click();
  await expect(app.getByRole('status')).toContainText('shared/notes/plan written as version 1');

  await app.getByRole('button', { name: 'Connections' }).click();
  await connect(app, 'reader');
  const readOnly = (words: string): string => `profile "reader" is read-only: ${words} was not done`;

  await app.getByRole('button', { name: 'Config' }).click();
  await expect(app.getByTestId('config-version-1')).toBeVisible();
  await expectRefused(app.getByRole('button', { name: 'Save', exact: true }), readOnly('changing the configuration'));
  await expectRefused(
    app.getByTestId('config-version-1').getByRole('button', { name: 'Roll back' }),
    readOnly('rolling the configuration back'),
  );

  await app.getByRole('button', { name: 'Memory' }).click();
  await expectRefused(app.getByRole('button', { name: 'New entry' }), readOnly("writing an agent's memory"));
  await app.getByTestId('memory-space-shared/notes').click();
  await app.getByTestId('memory-entries').getByRole('button', { name: 'plan' }).click();
  await expectRefused(app.getByTestId('memory-entry').getByRole('button', { name: 'Edit' }), readOnly("writing an agent's memory"));
  await expectRefused(
    app.getByTestId('memory-entry').getByRole('button', { name: 'Delete' }),
    readOnly("deleting an agent's memory entry"),
  );
  await app.screenshot({ path: shot('memory-read-only.png') });

  await app.getByRole('button', { name: 'State' }).click();
  await expectRefused(app.getByRole('button', { name: 'New key' }), readOnly('writing the shared state'));
  await app.getByRole('button', { name: /plan:current/ }).click();
  await expect(app.getByTestId('state-value')).toHaveText('{"step":1}');
  await expectRefused(app.getByRole('button', { name: 'Edit value' }), readOnly('writing the shared state'));

  // Rules live in this home, not in Redis: main lets a read-only profile change them, and so does the page.
  await app.getByRole('button', { name: 'Analytics' }).click();
  // The writer records the built-in series under the shared prefix; the reader reads them.
  await expect(app.locator('[data-testid="series-chart"][data-series="redis.ping_ms"]')).toBeVisible({ timeout: 30_000 });
  await app.getByRole('tab', { name: /Alerts/ }).click();
  await app.getByRole('button', { name: 'New rule' }).click();
  await app.getByLabel('Rule name').fill('quiet');
  await app.getByLabel('Rule series').selectOption('redis.ping_ms');
  await expect(app.getByRole('button', { name: 'Save rule' })).toBeEnabled();
  await app.getByRole('button', { name: 'Save rule' }).click();
  const rule = app.getByTestId('alert-rule').filter({ hasText: 'quiet' });
  await expect(rule).toContainText('yes');
  // Disabling silences it: always confirmed, but off production nothing is typed.
  await rule.getByRole('button', { name: 'Disable' }).click();
  await expect(app.getByRole('dialog')).toContainText('Disable quiet?');
  await expect(app.getByRole('dialog').getByLabel('confirmation')).toHaveCount(0);
  await app.getByRole('dialog').getByRole('button', { name: 'Disable rule' }).click();
  await expect(rule).toContainText('no');
});

test('a write whose audit entry cannot be written is reported done, with a warning that stays until dismissed', async ({ app, home }) => {
  const prefix = `e2enoaudit${process.pid}`;
  expect(cli(home, 'profiles', 'add', 'dev', '--url', URL, '--prefix', prefix).status).toBe(0);
  const redis = new Redis(bed.standalone.port, '127.0.0.1');
  try {
    // The audit stream's key holds a string: Redis refuses the XADD after the write went through.
    await redis.set(auditKey(prefix), 'not a stream');
    await app.reload();
    await connect(app, 'dev');
    await app.getByRole('button', { name: 'State' }).click();
    await app.getByRole('button', { name: 'New key' }).click();
    await app.getByLabel('State key', { exact: true }).fill('plan:unaudited');
    await app.getByLabel('State value').fill('{"step":1}');
    await app.getByTestId('state-form').getByRole('button', { name: 'Write', exact: true }).click();
    await expect(app.getByRole('status')).toContainText('plan:unaudited written as version 1');
    const warning = app.getByTestId('audit-warning');
    await expect(warning).toContainText('Done, but not audited');
    await expect(warning).toContainText('state.set on plan:unaudited was done but not written to the audit stream');
    await app.screenshot({ path: shot('not-audited-warning.png') });
    // It outlives the page that asked.
    await app.getByRole('button', { name: 'Memory' }).click();
    await expect(warning).toBeVisible();
    await warning.getByRole('button', { name: /Dismiss/ }).click();
    await expect(warning).toHaveCount(0);
  } finally {
    await redis.del(auditKey(prefix));
    redis.disconnect();
  }
});
