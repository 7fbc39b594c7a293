import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, chromium, test as base, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config';

const ROOT = resolve(import.meta.dirname, '../..');

/** The Electron binary npm installed, or why there is none (ELECTRON_SKIP_BINARY_DOWNLOAD). */
function electronBinary(): { path?: string; reason?: string } {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown as string;
    return existsSync(path) ? { path } : { reason: `Electron binary missing at ${path}` };
  } catch (error) {
    return { reason: `Electron binary not installed (${(error as Error).message.split('\n')[0]})` };
  }
}

async function startWebHost(home: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(ROOT, 'out/main/serve.js'), '--home', home], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`web host did not start: ${output}`)), 15_000);
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /Swarmdeck web host: (\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1] as string);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}: ${output}`)));
  });
  return { url, child };
}

/** `app` is the Swarmdeck UI on a fresh, private configuration, in a browser tab or in Electron. */
export const test = base.extend<{ app: Page; home: string }>({
  // Playwright requires the object pattern even when a fixture uses no other fixture.
  // eslint-disable-next-line no-empty-pattern
  home: async ({}, use) => {
    await use(mkdtempSync(join(tmpdir(), 'swarmdeck-e2e-')));
  },
  // Not the built-in `page`: that would launch a browser for the Electron project too.
  app: async ({ home }, use, testInfo) => {
    if (testInfo.project.name === 'electron') {
      const electron = electronBinary();
      test.skip(!electron.path, `Electron project skipped: ${electron.reason}`);
      const app = await _electron.launch({
        executablePath: electron.path,
        args: [join(ROOT, 'out/main/index.js')],
        env: { ...process.env, SWARMDECK_HOME: home } as Record<string, string>,
      });
      const window = await app.firstWindow();
      await use(window);
      await app.close();
      return;
    }
    const host = await startWebHost(home);
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(host.url);
    await use(page);
    await browser.close();
    host.child.kill('SIGTERM');
  },
});

export { expect } from '@playwright/test';
