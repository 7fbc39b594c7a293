#!/usr/bin/env node
// `npm start`: the desktop app. Where the Electron binary was never downloaded (closed networks,
// ELECTRON_SKIP_BINARY_DOWNLOAD=1), say what to do in one line instead of letting Electron's
// launcher fail with "Electron uninstall".
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { WITHOUT_ELECTRON, electronBinary } from './electron-binary.mjs';

const ROOT = resolve(import.meta.dirname, '..');

if (!electronBinary()) {
  process.stderr.write(`swarmdeck: Electron's binary is not installed here: ${WITHOUT_ELECTRON}.\n`);
  process.exit(1);
}
const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'electron-vite'), ['preview', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
