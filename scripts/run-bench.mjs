#!/usr/bin/env node
// `npm run bench [-- NAME…]`: builds, makes sure the Redis test bed of SWARMDECK_TEST_PORT_BASE
// runs, and runs each benchmark in bench/ (or the named ones); each prints one JSON line of figures.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bedDir } from './test-bed.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const wanted = process.argv.slice(2);
const benches = readdirSync(join(ROOT, 'bench'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name));
// The bed of SWARMDECK_TEST_PORT_BASE, which the benches (through test/support/bed.ts) read too.
const bedWasUp = existsSync(join(bedDir(ROOT), 'bed.json'));
// Only the benchmarks' JSON lines go to stdout; build and bed chatter goes to stderr.
const step = (cmd, args, stdout = 2) => {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', stdout, 'inherit'] });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
step('npm', ['run', 'build', '--silent']);
step(process.execPath, ['scripts/test-redis.mjs', 'start']);
try {
  for (const name of benches) step(join(ROOT, 'node_modules/.bin/tsx'), [join('bench', `${name}.ts`)], 'inherit');
} finally {
  if (!bedWasUp) spawnSync(process.execPath, ['scripts/test-redis.mjs', 'stop'], { cwd: ROOT, stdio: 'inherit' });
}
