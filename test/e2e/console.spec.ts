import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { Page } from '@playwright/test';
import { bedDir, verifyBed } from '../../scripts/test-bed.mjs';
import { expect, test } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../..');
// The bed's ports straight from bed.json, not through test/support/bed (which loads every main
// service): only the servers it started, checked before anything is flushed.
const BED_DIR = bedDir(ROOT);
const bed = JSON.parse(readFileSync(join(BED_DIR, 'bed.json'), 'utf8')) as { standalone: { port: number }; cluster: { ports: number[] } };
const problems = await verifyBed(BED_DIR);
if (problems.length > 0)
  throw new Error(`The Redis test bed in ${BED_DIR} is not the one that answers on its ports:\n  ${problems.join('\n  ')}`);
const cli = (home: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/swarmdeck.js'), ...args, '--home', home], { encoding: 'utf8' });

async function connect(app: Page, name: string): Promise<void> {
  await app.reload();
  await app.getByTestId(`profile-${name}`).getByRole('button', { name: 'Connect', exact: true }).click();
  await app.getByTestId(`profile-${name}`).getByRole('button', { name: 'Disconnect' }).waitFor();
}

/** Empties the editor and leaves the cursor in it. */
async function clearEditor(app: Page): Promise<void> {
  await app.locator('[data-testid="console-editor"] .view-lines').click();
  await app.keyboard.press('ControlOrMeta+A');
  await app.keyboard.press('Delete');
}

test('type a command with completion in Monaco, run it, and see its reply as a table', async ({ app, home }) => {
  const db = 5;
  // Monaco's worker and styles must load under the app's CSP (workers from 'self' or blob:).
  const refused: string[] = [];
  app.on('console', (m) => {
    if (/Content Security Policy|Could not create web worker/i.test(m.text())) refused.push(m.text());
  });
  const client = new Redis(bed.standalone.port, '127.0.0.1', { db });
  await client.flushdb();
  await client.hset('e2e:console:agent', { role: 'reviewer', status: 'busy', model: 'sonnet' });
  try {
    expect(cli(home, 'profiles', 'add', 'bed', '--url', `redis://127.0.0.1:${bed.standalone.port}/${db}`).status).toBe(0);
    await connect(app, 'bed');
    await app.getByRole('button', { name: 'Console' }).click();
    // Commands come from the server's own COMMAND DOCS, not a list of ours.
    await expect(app.getByTestId('catalogue-source')).toContainText("from the server's COMMAND DOCS");

    await clearEditor(app);
    await app.keyboard.type('HGETA');
    const suggest = app.locator('.suggest-widget.visible');
    await expect(suggest).toContainText('HGETALL');
    // In the DOM is not enough: the label must be painted inside its row, not pushed out of it.
    const row = suggest.locator('.monaco-list-row').filter({ hasText: 'HGETALL' });
    const [rowBox, labelBox] = await Promise.all([row.boundingBox(), row.locator('.label-name').boundingBox()]);
    expect(labelBox && rowBox && labelBox.y >= rowBox.y && labelBox.y + labelBox.height <= rowBox.y + rowBox.height + 1).toBe(true);
    await app.keyboard.press('Enter');
    // Accepting it leaves the command and a space, and the signature names its argument.
    await expect(app.locator('.parameter-hints-widget')).toContainText('HGETALL key');
    await app.keyboard.type('e2e:console:agent');
    // Every line's command is highlighted as one, not only the first line's.
    await app.keyboard.press('Escape');
    await app.keyboard.type('\nHLEN e2e:console:agent');
    await expect(app.locator('[data-testid="console-editor"] .view-line').nth(1).locator('span span').first()).toHaveClass(/mtk\d+/);
    const color = (line: number) =>
      app
        .locator('[data-testid="console-editor"] .view-line')
        .nth(line)
        .locator('span span')
        .first()
        .evaluate('(e) => getComputedStyle(e).color') as Promise<string>;
    expect(await color(1)).toBe(await color(0));
    await app.keyboard.press('ArrowUp');
    await app.keyboard.press('ControlOrMeta+Enter');

    const result = app.getByTestId('command-result').first();
    await expect(result).toContainText('HGETALL e2e:console:agent');
    const table = result.getByTestId('reply-table');
    await expect(table).toContainText('reviewer');
    await expect(table).toContainText('sonnet');
    await expect(app.getByRole('complementary', { name: 'History' })).toContainText('HGETALL e2e:console:agent');
    expect(refused).toEqual([]);
    // Hovering the command says what it does, what it costs and since when.
    await app.locator('[data-testid="console-editor"] .view-line').nth(0).getByText('HGETALL').hover();
    await expect(app.locator('.monaco-hover').filter({ hasText: 'Complexity' })).toContainText('Since 2.0.0');
  } finally {
    await client.flushdb();
    client.disconnect();
  }
});

test('a 20,000-element reply is cut at the bound, loads whole on request, and the table renders only the rows in view', async ({
  app,
  home,
}) => {
  const db = 7;
  const client = new Redis(bed.standalone.port, '127.0.0.1', { db });
  await client.flushdb();
  const items = Array.from({ length: 20_000 }, (_, i) => `task-${i}`);
  for (let i = 0; i < items.length; i += 5000) await client.rpush('e2e:console:list', ...items.slice(i, i + 5000));
  await client.set('e2e:console:bin', Buffer.from([0x00, 0xff, 0x41, 0x0a]));
  try {
    expect(cli(home, 'profiles', 'add', 'bed', '--url', `redis://127.0.0.1:${bed.standalone.port}/${db}`).status).toBe(0);
    await connect(app, 'bed');
    await app.getByRole('button', { name: 'Console' }).click();
    await clearEditor(app);
    await app.keyboard.type('GET e2e:console:bin');
    await app.keyboard.press('Escape');
    await app.keyboard.press('ControlOrMeta+Enter');
    // Not UTF-8: shown escaped as redis-cli would, and as hex on a click.
    const binary = app.getByTestId('command-result').first();
    await expect(binary).toContainText('\\x00\\xffA\\n');
    await binary.getByRole('button', { name: 'show hex' }).click();
    await expect(binary).toContainText('00ff410a');

    await clearEditor(app);
    await app.keyboard.type('LRANGE e2e:console:list 0 -1');
    await app.keyboard.press('Escape');
    await app.keyboard.press('ControlOrMeta+Enter');
    const result = app.getByTestId('command-result').first();
    await expect(result).toContainText('of 20,000');
    await result.getByTestId('load-all').click();
    const table = result.getByTestId('reply-table');
    await expect(table).toHaveAttribute('aria-rowcount', '20000');
    await expect(result.getByTestId('load-all')).toHaveCount(0);
    expect(await table.locator('.vtable-row').count()).toBeLessThan(60);
    // Scrolled to the end, the last element is there.
    await table.locator('.vtable-body').evaluate((el) => {
      // The node project has no DOM types; the page function runs in Chromium, where these exist.
      const e = el as unknown as { scrollTo(x: number, y: number): void; scrollHeight: number };
      e.scrollTo(0, e.scrollHeight);
    });
    await expect(table).toContainText('task-19999');
  } finally {
    await client.flushdb();
    client.disconnect();
  }
});

test('dangerous commands on production wait for the typed name; writes on a read-only profile are refused in words', async ({
  app,
  home,
}) => {
  const db = 8;
  const client = new Redis(bed.standalone.port, '127.0.0.1', { db });
  await client.flushdb();
  await client.set('e2e:console:keep', 'precious');
  try {
    expect(
      cli(home, 'profiles', 'add', 'prod', '--url', `redis://127.0.0.1:${bed.standalone.port}/${db}`, '--env', 'production').status,
    ).toBe(0);
    expect(cli(home, 'profiles', 'add', 'reader', '--url', `redis://127.0.0.1:${bed.standalone.port}/${db}`, '--read-only').status).toBe(0);
    await connect(app, 'prod');
    await app.getByRole('button', { name: 'Console' }).click();
    await expect(app.getByTestId('catalogue-source')).toContainText('commands');
    await clearEditor(app);
    await app.keyboard.type('FLUSHDB');
    await app.keyboard.press('Escape');
    await app.keyboard.press('ControlOrMeta+Enter');
    const dialog = app.getByRole('dialog');
    await expect(dialog).toContainText('FLUSHDB');
    await expect(dialog.getByRole('button', { name: 'Run FLUSHDB' })).toBeDisabled();
    await dialog.getByLabel('confirmation').fill('pro');
    await expect(dialog.getByRole('button', { name: 'Run FLUSHDB' })).toBeDisabled();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await client.get('e2e:console:keep')).toBe('precious');
    // Typed right, main checks the same name, runs it, and writes it to the audit stream.
    await app.getByTestId('console-run').click();
    await dialog.getByLabel('confirmation').fill('prod');
    await dialog.getByRole('button', { name: 'Run FLUSHDB' }).click();
    await expect(app.getByTestId('command-result').first()).toContainText('audited');
    // The database now holds only the audit stream that recorded the flush.
    expect(await client.exists('e2e:console:keep')).toBe(0);
    await client.set('e2e:console:keep', 'precious');

    await app.getByRole('button', { name: 'Connections' }).click();
    await app.getByTestId('profile-reader').getByRole('button', { name: 'Connect', exact: true }).click();
    await app.getByTestId('profile-reader').getByRole('button', { name: 'Disconnect' }).waitFor();
    await app.getByLabel('Active connection').selectOption({ label: 'reader (development)' });
    await app.getByRole('button', { name: 'Console' }).click();
    await clearEditor(app);
    await app.keyboard.type('SET e2e:console:keep overwritten');
    await app.keyboard.press('Escape');
    await app.keyboard.press('ControlOrMeta+Enter');
    await expect(app.getByRole('status')).toContainText('profile "reader" is read-only: running a command that changes data was not done');
    expect(await client.get('e2e:console:keep')).toBe('precious');
  } finally {
    await client.flushdb();
    client.disconnect();
  }
});

test('INFO on a cluster profile fans out and shows every one of the 6 nodes side by side', async ({ app, home }) => {
  expect(cli(home, 'profiles', 'add', 'bedc', '--cluster', `127.0.0.1:${bed.cluster.ports[0]}`).status).toBe(0);
  await connect(app, 'bedc');
  await app.getByRole('button', { name: 'Console' }).click();
  await expect(app.getByTestId('catalogue-source')).toContainText('commands');
  await clearEditor(app);
  await app.keyboard.type('INFO server');
  await app.keyboard.press('Escape');
  await app.getByTestId('console-run').click();
  const fanout = app.getByTestId('fanout-table');
  await expect(fanout).toHaveAttribute('data-nodes', '6');
  for (const port of bed.cluster.ports) await expect(fanout.getByRole('columnheader', { name: `127.0.0.1:${port}` })).toBeVisible();
  await expect(fanout).toContainText('redis_version');
});

test('memory analysis shows its progress, finds the big hash, and opens it in the Console', async ({ app, home }) => {
  test.setTimeout(120_000);
  const db = 6;
  const client = new Redis(bed.standalone.port, '127.0.0.1', { db });
  await client.flushdb();
  // Above the hash threshold (10,000 fields), among enough small keys that the scan takes a while.
  const fields: Record<string, string> = {};
  for (let i = 0; i < 12_000; i += 1) fields[`f${i}`] = `value-${i}`;
  await client.hset('e2e:big:hash', fields);
  const pipeline = client.pipeline();
  for (let i = 0; i < 3000; i += 1) pipeline.set(`e2e:small:${i}`, 'x');
  await pipeline.exec();
  try {
    expect(cli(home, 'profiles', 'add', 'bed', '--url', `redis://127.0.0.1:${bed.standalone.port}/${db}`).status).toBe(0);
    await connect(app, 'bed');
    await app.getByRole('button', { name: 'Diagnostics' }).click();
    // A budget low enough that the bar is seen moving before the report replaces it.
    await app.getByLabel('operations per second per node').fill('2000');
    await app.getByTestId('run-memory').click();
    await expect(app.getByRole('progressbar')).toBeVisible();

    const report = app.getByTestId('report-memory');
    await expect(report).toBeVisible({ timeout: 60_000 });
    await expect(report.getByTestId('finding').first()).toBeVisible();
    // The HTML export is one file that fetches nothing.
    const [download] = await Promise.all([app.waitForEvent('download'), report.getByRole('button', { name: 'Export HTML' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^swarmdeck-memory-.*\.html$/);
    const html = readFileSync(await download.path(), 'utf8');
    expect(html).toContain('e2e:big:hash');
    expect(html).not.toMatch(/(src|href)="https?:/);
    const bigKeys = report.getByTestId('big-keys');
    await bigKeys.getByText('e2e:big:hash').click();

    // The Console opens with the two commands that say what the key is and what it costs.
    await expect(app.getByTestId('console-editor')).toContainText('MEMORY USAGE e2e:big:hash');
    await app.locator('[data-testid="console-editor"] .view-lines').click();
    await app.keyboard.press('ControlOrMeta+A');
    await app.keyboard.press('ControlOrMeta+Enter');
    const results = app.getByTestId('command-result');
    await expect(results).toHaveCount(2);
    await expect(results.nth(0)).toContainText('hash');
    await expect(results.nth(1)).toContainText(/\d{5,}/);
  } finally {
    await client.flushdb();
    client.disconnect();
  }
});
