import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bedDir, verifyBed } from '../../scripts/test-bed.mjs';

// The bed's ports straight from bed.json, not through test/support/bed: that one loads every main
// service, and Playwright's loader refuses the console's JSON import without an import attribute.
// Only the servers the bed started, checked before anything is flushed.
const BED_DIR = bedDir(resolve(import.meta.dirname, '../..'));
export const bed = JSON.parse(readFileSync(join(BED_DIR, 'bed.json'), 'utf8')) as {
  standalone: { port: number };
  cluster: { ports: number[] };
};
const problems = await verifyBed(BED_DIR);
if (problems.length > 0)
  throw new Error(`The Redis test bed in ${BED_DIR} is not the one that answers on its ports:\n  ${problems.join('\n  ')}`);
