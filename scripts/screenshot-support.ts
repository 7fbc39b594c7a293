/**
 * What every screenshot script and browser bench starts the same way: the built web host on a
 * home of its own, Debian's Chromium, and one page opened on the host's URL.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';

export const ROOT = resolve(import.meta.dirname, '..');
export const SCREENSHOTS = join(ROOT, 'docs/screenshots');

export interface WebSession {
  readonly host: ChildProcessByStdio<null, Readable, null>;
  readonly browser: Browser;
  readonly page: Page;
  readonly home: string;
  /** Closes the browser, then stops the host. */
  close(): Promise<void>;
}

export interface WebSessionOptions {
  /** A home prepared beforehand (profiles added by the CLI); else a fresh temporary one. */
  home?: string;
  /** Prefix of the temporary home's directory name. */
  homePrefix?: string;
  /** Playwright's default timeout for the page. */
  timeoutMs?: number;
  /** Page errors and console errors go to stderr: a bench has no other way to see them. */
  echoPageErrors?: boolean;
}

export async function openWebSession(options: WebSessionOptions = {}): Promise<WebSession> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), options.homePrefix ?? 'sd-shots-'));
  const host = spawn(process.execPath, [join(ROOT, 'out/main/serve.js'), '--home', home], { stdio: ['ignore', 'pipe', 'inherit'] });
  // The host prints its URL once it listens; if it dies first (no build, port taken) fail instead of waiting forever.
  const url = await new Promise<string>((ok, fail) => {
    host.stdout.on('data', (d: Buffer) => {
      const m = /Swarmdeck web host: (\S+)/.exec(d.toString());
      if (m) ok(m[1] as string);
    });
    host.once('exit', (code) => fail(new Error(`web host exited (${code ?? 'signal'}) before printing its URL`)));
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(options.timeoutMs ?? 15_000);
  if (options.echoPageErrors) {
    page.on('console', (m) => m.type() === 'error' && process.stderr.write(`page: ${m.text()}\n`));
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  }
  await page.goto(url);
  return {
    host,
    browser,
    page,
    home,
    close: async () => {
      await browser.close();
      host.kill();
    },
  };
}

/** Frame-to-frame times in the page over `seconds`; a string, because tsx's helpers do not exist there. */
export function countFrames(page: Page, seconds: number): Promise<number[]> {
  return page.evaluate(`new Promise((done) => {
  const deltas = [];
  let last = performance.now();
  const end = last + ${seconds * 1000};
  const tick = (t) => {
    deltas.push(t - last);
    last = t;
    if (t < end) requestAnimationFrame(tick); else done(deltas);
  };
  requestAnimationFrame(tick);
})`) as Promise<number[]>;
}

/** True when the module at `filename` (its `import.meta.filename`) is the script node was asked to run. */
export function isEntry(filename: string): boolean {
  return Boolean(process.argv[1]) && resolve(process.argv[1] as string) === resolve(filename);
}
