import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Starts (or confirms) the loopback Redis test bed for SWARMDECK_TEST_PORT_BASE; `npm test`
 * stops it afterwards. `start` refuses, and so stops the run, when anything but this bed's
 * own servers answers on its ports; each test file checks again when it loads `bed.ts`.
 */
export default function setup(): void {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../../scripts/test-redis.mjs'), 'start'], { stdio: 'inherit' });
}
