/**
 * Screenshot of the live message viewer: agents publish plain, deflated and sealed envelopes
 * (and one stray non-envelope) while the page watches `agents.*`; one sealed message is opened
 * with the keyring of the Swarmdeck home. Part of `npm run screenshots`;
 * `npx tsx scripts/screenshots-messages.ts` re-takes it alone (needs the build and the test bed).
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { Redis } from 'ioredis';
import { Keyring } from '../src/main/features/messaging/envelope';
import { Messaging } from '../src/main/features/messaging/messaging';
import { KEYS_FILE } from '../src/main/features/messaging/service';
import { isEntry, openWebSession, SCREENSHOTS } from './screenshot-support';

/** Agents chattering until the returned function stops them. */
function chatter(prefix: string, port: number, secret: Buffer): () => Promise<void> {
  const client = new Redis(port, '127.0.0.1');
  const keyring = new Keyring(secret, ['2026-10', '2026-11']);
  const planner = new Messaging(client, { prefix, publisher: 'planner-1' });
  const coder = new Messaging(client, { prefix, publisher: 'coder-3', keyring });
  const reviewer = new Messaging(client, { prefix, publisher: 'reviewer-2' });
  let n = 0;
  const timer = setInterval(() => {
    n += 1;
    const step = n % 5;
    if (step === 0) void planner.publish('agents.plan', 'task.assigned', { task: `T-${100 + n}`, to: 'coder-3', priority: 'high' });
    else if (step === 1)
      void coder.publish('agents.code', 'patch.ready', {
        task: `T-${99 + n}`,
        files: ['src/index.ts'],
        apiKeyHint: 'sealed: only holders of the key read this',
      });
    else if (step === 2)
      void reviewer.publish('agents.review', 'review.done', { task: `T-${98 + n}`, verdict: 'approve', notes: 'Looks good. '.repeat(120) });
    else if (step === 3)
      void planner.publish('agents.heartbeat', 'agent.heartbeat', { agent: 'planner-1', load: Number((0.2 + (n % 7) / 10).toFixed(2)) });
    else if (n % 15 === 4) void client.publish(planner.channel('agents.legacy'), 'PING from an old agent');
  }, 250);
  return async () => {
    clearInterval(timer);
    for (const m of [planner, coder, reviewer]) await m.close();
    client.disconnect();
  };
}

export async function shootMessages(page: Page, out: string, standalonePort: number, home: string | undefined): Promise<void> {
  const prefix = `shotsmsg${Date.now().toString(36)}`;
  const secret = randomBytes(32);
  // The keyring lives in the home main reads, never in Redis; without one, sealed messages show why they stay closed.
  if (home)
    writeFileSync(join(home, KEYS_FILE), JSON.stringify({ secret: secret.toString('base64'), keys: ['2026-10', '2026-11'] }), {
      mode: 0o600,
    });
  const stop = chatter(prefix, standalonePort, secret);
  try {
    await page.getByRole('button', { name: 'Connections' }).click();
    await page.getByRole('button', { name: '+ New profile' }).click();
    await page.getByLabel('Name', { exact: true }).fill('agents-bus');
    await page.getByRole('radio', { name: 'development' }).click();
    await page.getByLabel('Port', { exact: true }).fill(String(standalonePort));
    await page.getByLabel('Key prefix').fill(prefix);
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByTestId('profile-agents-bus').getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByTestId('profile-agents-bus').getByRole('button', { name: 'Disconnect' }).waitFor();
    await page.getByTestId('profile-agents-bus').getByRole('button', { name: 'Overview', exact: true }).click();
    await page.getByRole('button', { name: 'Messages' }).click();
    await page.getByLabel('Pattern').fill('agents.*');
    await page.getByRole('button', { name: 'Watch', exact: true }).click();
    await page.getByTestId('message-row').nth(24).waitFor({ timeout: 30_000 });
    await page.getByTestId('message-row').filter({ hasText: 'patch.ready' }).first().click();
    await page.getByTestId('message-inspect').waitFor();
    await page.screenshot({ path: join(out, 'messages-viewer.png') });
    await page.getByLabel('Filter').fill('review');
    await page.getByTestId('message-row').filter({ hasText: 'review.done' }).first().click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, 'messages-filtered.png') });
  } finally {
    await stop();
  }
}

if (isEntry(import.meta.filename)) {
  const { bed } = await import('../test/support/bed');
  const web = await openWebSession({ homePrefix: 'sd-shots-messages-' });
  try {
    await shootMessages(web.page, SCREENSHOTS, bed.standalone.port, web.home);
  } finally {
    await web.close();
  }
}
