// Electron's binary, for `npm start` and the install step. The npm package `electron` comes from the
// npm registry, but its binary is a separate download (GitHub, or ELECTRON_MIRROR) that closed networks
// cannot make; everything but the desktop app works without it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The binary's path, or undefined where it was never downloaded or npm dropped the package. */
export function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Electron's own download step, or undefined where npm dropped the package (its download failed under npm 10). */
export function electronInstaller() {
  try {
    return require.resolve('electron/install.js');
  } catch {
    return undefined;
  }
}

/** What an operator without the binary can do; the install step and `npm start` each say it in one line. */
export const WITHOUT_ELECTRON =
  '`npm start` needs it (`npm install` fetches it where github.com or ELECTRON_MIRROR is reachable); `npm run serve` works without it';
