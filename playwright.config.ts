import { defineConfig } from '@playwright/test';

/** Flags Debian's Chromium needs on these machines (no sandbox as root, no background traffic). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig({
  testDir: 'test/e2e',
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  use: { actionTimeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  outputDir: 'test-results/e2e',
  projects: [
    // The built renderer served by the web host, in Debian's Chromium (see test/e2e/fixtures.ts).
    { name: 'web' },
    {
      // The same specs in the Electron app, wherever an Electron binary is installed.
      name: 'electron',
    },
  ],
});
