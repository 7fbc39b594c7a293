// Declarations for the SDK entry, so agent processes get types with `swarmdeck/sdk`.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
execFileSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', resolve(root, 'tsconfig.sdk.json')], {
  stdio: 'inherit',
});
