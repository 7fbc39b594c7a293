import type { RedisClient } from '../../src/main/redis/client-options';
import { prefixPattern } from '../../src/main/features/backup/format';
import { nodeHandles } from '../../src/main/redis/nodes';

/** Every kind of key a backup must carry, under `prefix`; returns the keys it wrote. */
export async function seedAllTypes(client: RedisClient, prefix: string): Promise<Buffer[]> {
  const k = (name: string | Buffer) => Buffer.concat([Buffer.from(prefix), Buffer.isBuffer(name) ? name : Buffer.from(name)]);
  const keys: Buffer[] = [];
  const add = (key: Buffer) => (keys.push(key), key);
  const notUtf8 = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80]);
  await client.set(add(k('string')), 'hello');
  await client.set(add(k('empty')), '');
  await client.set(add(k('big')), Buffer.alloc(5 * 1024 * 1024, 'abcdefghij0123456789'));
  await client.set(add(k('random')), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
  await client.set(add(k(Buffer.concat([Buffer.from('bin:'), notUtf8]))), notUtf8);
  await client.set(add(k('ttl:abs')), 'soon', 'PX', 600_000);
  await client.set(add(k('ttl:long')), 'later', 'EX', 86_400);
  await client.rpush(add(k('list')), 'a', 'b', notUtf8, '');
  await client.sadd(add(k('set:small')), 'x', 'y', 'z');
  await client.sadd(add(k('set:int')), 1, 2, 3, 40000);
  await client.zadd(add(k('zset')), 1, 'one', 2.5, 'two', -3, notUtf8);
  await client.hset(add(k('hash:small')), { f1: 'v1', f2: '' });
  await client.pexpire(k('hash:small'), 900_000);
  const big = k('hash:50k');
  add(big);
  for (let i = 0; i < 50_000; i += 5000) {
    const fields: (string | number)[] = [];
    for (let j = i; j < i + 5000; j += 1) fields.push(`field-${j}`, `value-${j}-${'x'.repeat(j % 17)}`);
    await client.hset(big, ...fields);
  }
  const bigSet = k('set:big');
  add(bigSet);
  await client.sadd(bigSet, ...Array.from({ length: 2000 }, (_, i) => `member-${i}`));
  const stream = add(k('stream'));
  for (let i = 0; i < 20; i += 1) await client.xadd(stream, '*', 'n', String(i), 'blob', notUtf8);
  await client.xgroup('CREATE', stream, 'g1', '0');
  await client.xgroup('CREATE', stream, 'g2', '0');
  await client.xreadgroup('GROUP', 'g1', 'c1', 'COUNT', 5, 'STREAMS', stream, '>');
  await client.xreadgroup('GROUP', 'g2', 'c2', 'COUNT', 3, 'STREAMS', stream, '>');
  return keys;
}

/** Many small keys in batches per node, for runs long enough to cancel. */
export async function seedMany(client: RedisClient, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1000) {
    const writes: Promise<unknown>[] = [];
    // Test data, not keyspace keys: raw bytes after the run's prefix.
    for (let j = i; j < Math.min(count, i + 1000); j += 1)
      writes.push(client.set(Buffer.concat([Buffer.from(prefix), Buffer.from(String(j))]), `value-${j}`));
    await Promise.all(writes);
  }
}

/** Removes what `seedMany` wrote, so the shared servers stay small for the tests that run after. */
export async function dropMany(client: RedisClient, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1000) {
    const deletes: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(count, i + 1000); j += 1)
      deletes.push(client.unlink(Buffer.concat([Buffer.from(prefix), Buffer.from(String(j))])));
    await Promise.all(deletes);
  }
}

/** Keys under a prefix, over every master (test-side listing, independent of the engine). */
export async function keysUnder(client: RedisClient, prefix: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const h of nodeHandles(client, 'master')) {
    let cursor = '0';
    do {
      const [next, keys] = (await h.client.callBuffer('SCAN', cursor, 'MATCH', prefixPattern(Buffer.from(prefix)), 'COUNT', 1000)) as [
        Buffer,
        Buffer[],
      ];
      cursor = next.toString();
      out.push(...keys);
    } while (cursor !== '0');
  }
  return out;
}
