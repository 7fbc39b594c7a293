#!/usr/bin/env node
// The CLI lives in the built bundle so it runs exactly the services the app runs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('swarmdeck: not built yet; run "npm run build" in the Swarmdeck folder\n');
  process.exit(1);
}
await import(cli);
