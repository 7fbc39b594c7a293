/**
 * The Backups part of `npm run screenshots`: the empty page, the list after three backups, and
 * each step of the restore wizard through Undo, on a staging profile of its own (database 11 of
 * the bed's standalone server). Run alone with `tsx scripts/screenshots-backup.ts` after a
 * build and `node scripts/test-redis.mjs start`.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { Redis } from 'ioredis';
import { TaskQueue } from '../src/main/features/queues/task-queue';
import { SwarmRegistry } from '../src/main/features/swarms/swarm-registry';
import { isEntry, openWebSession, SCREENSHOTS } from './screenshot-support';

const DB = 11;
const PROFILE = 'orders-staging';

/** An orders service beside a small swarm and its queue: what an operator would back up. */
async function seed(redis: Redis): Promise<void> {
  await redis.flushdb();
  const p = redis.pipeline();
  for (let i = 0; i < 400; i += 1)
    p.hset(`orders:2026-11:${String(i).padStart(5, '0')}`, {
      customer: `c-${i % 57}`,
      total: String((i * 7.31).toFixed(2)),
      state: ['paid', 'shipped', 'open'][i % 3] as string,
    });
  for (let i = 0; i < 250; i += 1) p.set(`session:web:${i.toString(36)}`, JSON.stringify({ user: i, cart: i % 9 }), 'EX', 86_400);
  for (let i = 0; i < 60; i += 1) p.rpush(`cart:${i}`, 'sku-1', 'sku-2', `sku-${i}`);
  for (let i = 0; i < 30; i += 1) p.zadd('leaderboard:weekly', i * 13, `player-${i}`);
  p.set('feature-flags:checkout:experimental-one-click-payment-with-saved-card-and-address-validation', 'on');
  await p.exec();
  const swarms = new SwarmRegistry(redis);
  await swarms.create({ id: 'fulfilment', name: 'Fulfilment crew', topology: 'hierarchical', strategy: 'quorum', maxAgents: 8 });
  for (let a = 0; a < 5; a += 1)
    await swarms.register('fulfilment', { id: `picker-${a}`, role: a === 0 ? 'coordinator' : 'worker', ttlMs: 3_600_000 });
  const queue = new TaskQueue(redis, 'ship-orders');
  await queue.enqueueMany(Array.from({ length: 40 }, (_, i) => ({ data: { order: i } })));
}

async function backUp(page: Page, scope: string, setup?: () => Promise<void>): Promise<void> {
  await page.getByRole('radio', { name: scope }).click();
  await setup?.();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await page.getByTestId('job-backup').filter({ hasText: 'done' }).waitFor();
}

export async function shootBackups(page: Page, out: string, standalonePort: number): Promise<void> {
  const redis = new Redis(standalonePort, '127.0.0.1', { db: DB });
  await seed(redis);
  const shot = async (name: string): Promise<void> => {
    // The page scrolls inside the shell; show its top, where the operator starts reading.
    await page.locator('.page').evaluate((el) => el.scrollTo(0, 0));
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(out, `${name}.png`) });
  };

  await page.getByRole('button', { name: 'Connections' }).click();
  await page.getByRole('button', { name: '+ New profile' }).click();
  await page.getByLabel('Name', { exact: true }).fill(PROFILE);
  await page.getByRole('radio', { name: 'staging' }).click();
  await page.getByLabel('Port', { exact: true }).fill(String(standalonePort));
  await page.getByLabel('Database').fill(String(DB));
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByTestId(`profile-${PROFILE}`).getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByTestId(`profile-${PROFILE}`).getByRole('button', { name: 'Disconnect' }).waitFor();
  await page.getByLabel('Active connection').selectOption({ label: `${PROFILE} (staging)` });
  await page.getByRole('button', { name: 'Backups' }).click();
  await page.getByTestId('backups-empty').waitFor();
  await shot('backups-empty');

  await backUp(page, 'Key patterns', () => page.getByLabel('Key patterns').fill('orders:*\ncart:*'));
  await backUp(page, 'Components');
  await backUp(page, 'Whole database');
  const rows = page.getByTestId('backup-table').locator('tbody tr');
  await rows.nth(2).waitFor();
  await rows.first().getByRole('button', { name: 'Verify' }).click();
  await rows.first().getByTestId('verification').filter({ hasText: 'verified' }).waitFor();
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByTestId('retention-plan').waitFor();
  await page.getByRole('button', { name: 'Scan' }).click();
  await page.getByTestId('recovery-panel').locator('p, table').first().waitFor();
  await shot('backups');

  // An incident: forty orders deleted, ten carts changed, a stray key written.
  const lost = Array.from({ length: 40 }, (_, i) => `orders:2026-11:${String(i * 7).padStart(5, '0')}`);
  await redis.del(...lost);
  for (let i = 0; i < 10; i += 1) await redis.rpush(`cart:${i}`, 'sku-added-later');
  await redis.set('orders:2026-11:tmp-import', 'half-written');

  await page.getByRole('button', { name: 'Restore from .rdb file…' }).click();
  const wizard = page.getByTestId('wizard');
  await wizard.locator('.choice').first().click();
  await page.getByLabel('.rdb file path').fill('/var/backups/redis/dump-2026-11-26.rdb');
  await shot('restore-1-choose');
  await page.getByLabel('.rdb file path').fill('');
  const next = wizard.getByRole('button', { name: 'Next →' });
  await next.click();
  await wizard.getByTestId('preflight').filter({ hasText: 'The target can take this backup.' }).waitFor();
  await shot('restore-2-preflight');
  await next.click();
  await page.getByLabel('Restore patterns').fill('orders:*\ncart:*');
  // Components and the swarm picker (listed by swarms.list) shown in use, then cleared so the
  // later steps tell the same orders-and-carts story.
  const queues = page.getByRole('group', { name: 'Restore components' }).getByRole('checkbox', { name: 'queues' });
  const fulfilment = page.getByRole('group', { name: 'Restore swarms' }).getByRole('checkbox', { name: 'fulfilment' });
  await queues.check();
  await fulfilment.check();
  await shot('restore-3-select');
  await queues.uncheck();
  await fulfilment.uncheck();
  await next.click();
  await page.getByRole('radio', { name: 'Conflict: Replace' }).check();
  await shot('restore-4-policies');
  await wizard.getByRole('button', { name: 'Dry run →' }).click();
  await wizard.getByTestId('dry-run').waitFor();
  await page.waitForTimeout(800);
  await shot('restore-5-dry-run');
  await next.click();
  await shot('restore-6-snapshot');
  await next.click();
  await wizard.getByRole('button', { name: 'Run the restore…' }).click();
  await page.getByRole('dialog', { name: 'Run the restore?' }).waitFor();
  await shot('restore-7-confirm');
  await page.getByRole('dialog', { name: 'Run the restore?' }).getByRole('button', { name: 'Run the restore' }).click();
  await wizard.getByTestId('job-backup.restore').filter({ hasText: 'done' }).waitFor();
  await shot('restore-7-run');
  await wizard.getByRole('button', { name: 'Verification report →' }).click();
  await wizard.getByTestId('restore-report').waitFor();
  await shot('restore-8-report');
  await wizard.getByRole('button', { name: 'Undo this restore…' }).click();
  await page.getByRole('dialog', { name: 'Undo the restore?' }).getByRole('button', { name: 'Undo the restore' }).click();
  await wizard.getByTestId('undo-result').waitFor();
  await shot('restore-8-undone');
  await wizard.getByRole('button', { name: 'Close' }).click();
  redis.disconnect();
}

// Alone: its own web host, browser and home, against the bed this checkout started.
if (isEntry(import.meta.filename)) {
  const { bed } = await import('../test/support/bed');
  mkdirSync(SCREENSHOTS, { recursive: true });
  const web = await openWebSession({ timeoutMs: 20_000 });
  try {
    await shootBackups(web.page, SCREENSHOTS, bed.standalone.port);
  } catch (error) {
    await web.page.screenshot({ path: join(tmpdir(), 'screenshots-backup-failed.png') });
    throw error;
  } finally {
    await web.close();
  }
  console.log(`backup screenshots in ${SCREENSHOTS}`);
}
