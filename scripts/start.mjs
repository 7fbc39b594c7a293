#!/usr/bin/env node
// `npm start`: the desktop app. Where the Electron binary was never downloaded (closed networks,
// ELECTRON_SKIP_BINARY_DOWNLOAD=1), say so and name the browser alternative instead of letting
// Electron's launcher fail with "Electron uninstall".
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

if (!electronBinary()) {
  process.stderr.write(
    'swarmdeck: the Electron binary is not installed here (it is downloaded by `npm install` unless\n' +
      'ELECTRON_SKIP_BINARY_DOWNLOAD is set, and closed networks cannot fetch it).\n' +
      'Run the same UI in a browser tab instead: npm run serve   (or: npm run serve -- --sandbox)\n',
  );
  process.exit(1);
}
const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'electron-vite'), ['preview', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
