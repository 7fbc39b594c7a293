import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Starts (or confirms) the loopback Redis test bed; `npm test` stops it afterwards. */
export default function setup(): void {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../../scripts/test-redis.mjs'), 'start'], { stdio: 'inherit' });
}
