/**
 * A process that launches a private redis-server whose folder it is still filling when it is
 * killed: it prints the folder once `prepare` has begun, then never finishes preparing, so a test
 * can SIGKILL it there and see whether the folder (an imported .rdb, say) outlives it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findOnPath, launchRedisServer } from '../../src/main/redis/server-launcher';

const [base] = process.argv.slice(2) as [string];
await launchRedisServer(findOnPath('redis-server') as string, {
  purpose: 'the test',
  base,
  prefix: 'preparing-',
  listen: { kind: 'socket' },
  prepare: async (dir) => {
    await writeFile(join(dir, 'import.rdb'), 'half a copy');
    process.stdout.write(`${JSON.stringify({ dir })}\n`);
    await new Promise(() => undefined);
  },
});
