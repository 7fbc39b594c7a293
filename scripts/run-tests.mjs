#!/usr/bin/env node
// `npm test`: starts the Redis test bed, type-checks, lints, builds, runs the unit and
// integration tests (vitest) and the end-to-end tests (Playwright), always stops the bed,
// and ends with one summary line: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS = join(ROOT, 'test-results');
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);

function run(label, command, args) {
  process.stdout.write(`\n── ${label} ──\n`);
  const r = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
  return r.status === 0;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Playwright's skip annotations, so a skipped project says why. */
function skipReasons(report) {
  const reasons = new Set();
  const visit = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        for (const a of t.annotations ?? []) if (a.type === 'skip' && a.description) reasons.add(`${t.projectName}: ${a.description}`);
      }
    }
    for (const child of suite.suites ?? []) visit(child);
  };
  for (const suite of report?.suites ?? []) visit(suite);
  return [...reasons];
}

rmSync(RESULTS, { recursive: true, force: true });
const failures = [];
let passed = 0;
let failed = 0;
let skipped = 0;

if (!run('Redis test bed', process.execPath, ['scripts/test-redis.mjs', 'start'])) {
  console.error('The Redis test bed did not start; see above.');
  process.exit(1);
}
try {
  if (
    !run('typecheck', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']) ||
    !run('typecheck (renderer)', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit'])
  )
    failures.push('typecheck');
  if (!run('lint', bin('eslint'), ['.', '--max-warnings=0'])) failures.push('lint');
  if (!run('format', bin('prettier'), ['--check', '.'])) failures.push('format');
  const built = run('build', 'npm', ['run', 'build', '--silent']);
  if (!built) failures.push('build');

  const vitestOk = run('unit and integration tests', bin('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${join(RESULTS, 'vitest.json')}`,
  ]);
  if (!vitestOk) failures.push('vitest');
  const v = readJson(join(RESULTS, 'vitest.json'));
  if (v) {
    passed += v.numPassedTests;
    failed += v.numFailedTests;
    skipped += v.numPendingTests + (v.numTodoTests ?? 0);
  }

  if (built) {
    const e2eOk = run('end-to-end tests', bin('playwright'), ['test']);
    if (!e2eOk) failures.push('playwright');
    const p = readJson(join(RESULTS, 'e2e.json'));
    if (p) {
      passed += p.stats.expected + p.stats.flaky;
      failed += p.stats.unexpected;
      skipped += p.stats.skipped;
      for (const reason of skipReasons(p)) console.log(`skipped — ${reason}`);
    }
  }
} finally {
  run('stop the Redis test bed', process.execPath, ['scripts/test-redis.mjs', 'stop']);
}

if (failures.length > 0) console.log(`\nfailed steps: ${failures.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failures.length > 0 || passed === 0 ? 1 : 0);
