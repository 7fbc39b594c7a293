/**
 * One contender in its own process: `iterations` times, takes the lock, reads a plain counter,
 * yields, writes it back plus one, and appends the fence it held to a log — a lost update or two
 * holders at once shows as a short counter or a fence log out of order.
 */
import { Cluster, Redis } from 'ioredis';
import { FencedLocks } from '../../src/main/features/locks/fenced-locks';

const [kind, port, prefix, resource, counterKey, fenceLog, iterations] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const client = kind === 'cluster' ? new Cluster([{ host: '127.0.0.1', port: Number(port) }]) : new Redis(Number(port), '127.0.0.1');
const locks = new FencedLocks(client, prefix);
for (let i = 0; i < Number(iterations); i += 1) {
  await locks.run(
    resource,
    async (lock) => {
      const value = Number((await client.get(counterKey)) ?? 0);
      // Give another process every chance to interleave its read-modify-write.
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      if (!lock.held) throw new Error('lock lost mid-update');
      await client.set(counterKey, String(value + 1));
      await client.rpush(fenceLog, String(lock.fence));
    },
    { ttlMs: 5000, waitMs: 60_000, owner: `worker-${process.pid}` },
  );
}
client.disconnect();
process.stdout.write('done\n');
