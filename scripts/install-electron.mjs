#!/usr/bin/env node
// The app's install step (postinstall): downloads Electron's binary as Electron's own postinstall
// would, but a failed download ends in one line instead of aborting and rolling back the whole
// `npm install`. npm 11 runs ours instead of Electron's (allowScripts: electron false); npm 10 runs
// Electron's, tolerated because electron is an optional dependency, and drops the package when it fails.
import { spawnSync } from 'node:child_process';
import { WITHOUT_ELECTRON, electronBinary, electronInstaller } from './electron-binary.mjs';

function download() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return 'ELECTRON_SKIP_BINARY_DOWNLOAD is set';
  const installer = electronInstaller();
  if (!installer) return 'npm removed the optional electron package after its download failed';
  const r = spawnSync(process.execPath, [installer], { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
  if (r.status === 0) return undefined;
  // install.js prints the error's stack; its first line names the cause (e.g. getaddrinfo ENOTFOUND github.com).
  return r.stderr.trim().split('\n')[0] || `its download exited with ${r.status ?? r.signal}`;
}

if (!electronBinary()) {
  const cause = download();
  if (!electronBinary()) process.stdout.write(`swarmdeck: Electron's binary was not downloaded (${cause}): ${WITHOUT_ELECTRON}.\n`);
}
