import { execFileSync } from 'node:child_process';
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bedDir } from '../../scripts/test-bed.mjs';
import { isAlive } from '../../src/main/file-lock';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * One test run per bed at a time. Tests assert that whole servers are unchanged (the read-only
 * sweep) and FLUSH what they are given: a second run on the same ports — another terminal,
 * another checkout with the same SWARMDECK_TEST_PORT_BASE — would write into the first.
 */
function takeBed(dir: string): () => void {
  const file = join(dir, 'run.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new Error(
          `Another test run (pid ${holder}) is using the Redis test bed in ${dir}. Wait for it, or give this run ` +
            'a bed of its own: SWARMDECK_TEST_PORT_BASE=30000 npx vitest run … (any free base; the bed takes base … base+26).',
        );
      }
      // Left by a run that was killed: nobody holds the bed.
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the Redis test bed lock ${file}`);
}

/**
 * Starts (or confirms) the loopback Redis test bed for SWARMDECK_TEST_PORT_BASE and holds it for
 * this run; `npm test` stops it afterwards. `start` refuses, and so stops the run, when anything
 * but this bed's own servers answers on its ports; each test file checks again when it loads `bed.ts`.
 */
export default function setup(): () => void {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../../scripts/test-redis.mjs'), 'start'], { stdio: 'inherit' });
  return takeBed(bedDir(ROOT));
}
