import type { RedisClient } from '../../src/main/redis/client-options';
import { keySlot } from '../../src/main/features/backup/format';
import { isCluster, nodeHandles } from '../../src/main/redis/nodes';

/**
 * The benches' mixed data, `count` keys pipelined to the master that owns each: 60 % strings,
 * then hashes, lists, sets, zsets, 10 % with a TTL.
 */
export async function seedMixed(client: RedisClient, count: number): Promise<void> {
  const masters = new Map(nodeHandles(client, 'master').map((h) => [h.address, h.client]));
  const owner = (key: Buffer) => (isCluster(client) ? (client.slots[keySlot(key)]?.[0] as string) : [...masters.keys()][0]);
  const value = 'v'.repeat(40);
  for (let i = 0; i < count; i += 5000) {
    const pipes = new Map([...masters].map(([a, c]) => [a, c.pipeline()]));
    for (let j = i; j < Math.min(count, i + 5000); j += 1) {
      const key = Buffer.from(`bench:${j % 10}:${j}`);
      const p = pipes.get(owner(key) as string);
      if (!p) throw new Error('no owner for a key');
      const kind = j % 20;
      if (kind < 12) p.set(key, `${value}${j}`);
      else if (kind < 15) p.hset(key, 'a', j, 'b', value, 'c', 'x', 'd', 'y', 'e', 'z');
      else if (kind < 17) p.rpush(key, 'a', 'b', 'c', value, String(j));
      else if (kind < 19) p.sadd(key, 'a', 'b', 'c', value, String(j));
      else p.zadd(key, 1, 'a', 2, 'b', 3, value, 4, String(j));
      if (j % 10 === 0) p.pexpire(key, 3_600_000);
    }
    await Promise.all([...pipes.values()].map((p) => p.exec()));
  }
}
