/**
 * The RDB parser against files the bed's redis-server wrote, one case per type and encoding
 * (thresholds forced with CONFIG SET), every key checked against the same server's DUMP,
 * PEXPIRETIME and a RESTORE of its payload.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RdbKey } from '../../src/main/redis/rdb';
import { bed } from '../support/bed';
import { chunked, expectMatchesServer, keysOf, parseAll, savedRdb } from '../support/rdb-check';

const client = new Redis(bed.standalone.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
const THRESHOLDS = [
  'list-max-listpack-size',
  'list-compress-depth',
  'set-max-intset-entries',
  'hash-max-listpack-entries',
  'hash-max-listpack-value',
  'zset-max-listpack-entries',
  'stream-node-max-entries',
  'rdbcompression',
  'maxmemory-policy',
];
const defaults = new Map<string, string>();

beforeAll(async () => {
  for (const name of THRESHOLDS) defaults.set(name, ((await client.config('GET', name)) as string[])[1] as string);
});
afterEach(async () => {
  for (const [name, value] of defaults) await client.config('SET', name, value);
  await client.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', String(2 ** 30));
  await client.select(0);
});
afterAll(() => client.disconnect());

/** Writes a case, saves, parses the file in small chunks (so items straddle them), checks every key. */
// The bed's server is shared with the files after this one: every setting changed here goes back as it was.
const touched = new Map<string, string>();
afterAll(async () => {
  for (const [name, value] of touched) await client.config('SET', name, value);
});

async function roundTrip(config: Record<string, string>, write: (r: Redis) => Promise<unknown>): Promise<Map<string, RdbKey>> {
  await client.flushall();
  for (const [name, value] of Object.entries(config)) {
    if (!touched.has(name)) touched.set(name, ((await client.config('GET', name)) as string[])[1] as string);
    await client.config('SET', name, value);
  }
  await write(client);
  const records = keysOf(await parseAll(chunked(await savedRdb(client), 61)));
  for (const db of new Set(records.map((r) => r.db))) {
    await client.select(db);
    await expectMatchesServer(
      client,
      records.filter((r) => r.db === db),
    );
  }
  await client.select(0);
  return new Map(records.map((r) => [r.key.toString('latin1'), r]));
}

const encodings = (m: Map<string, RdbKey>) => Object.fromEntries([...m].map(([k, r]) => [k, `${r.type}/${r.encoding}/${r.typeByte}`]));
const many = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

describe('the RDB parser reads what redis-server writes', () => {
  it('strings: raw, integer and LZF, with LZF and integer keys', async () => {
    const got = await roundTrip({ rdbcompression: 'yes' }, async (r) => {
      await r.set('raw', 'hello');
      await r.set('int', '-123456789');
      await r.set('lzf', 'abc'.repeat(200));
      await r.set('k'.repeat(60), 'an LZF-compressed key');
      await r.set('4242', 'an integer key');
      await r.set('binary', Buffer.from([0, 255, 13, 10, 0]));
    });
    expect(encodings(got)).toEqual({
      raw: 'string/raw/0',
      int: 'string/int/0',
      lzf: 'string/lzf/0',
      ['k'.repeat(60)]: 'string/raw/0',
      '4242': 'string/raw/0',
      binary: 'string/raw/0',
    });
  });

  it('lists: quicklist of listpacks, compressed nodes and plain nodes', async () => {
    const got = await roundTrip({ 'list-max-listpack-size': '4', 'list-compress-depth': '1' }, async (r) => {
      await r.rpush('small', 'a', 'b', 1, 2);
      await r.rpush('nodes', ...many(50, (i) => `item-${i % 3}-xxxxxxxxxxxxxxxxxxxxxxxx`));
      await r.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '100');
      await r.rpush('plain', 'short', 'p'.repeat(500), 'q');
    });
    expect(encodings(got)).toEqual({ small: 'list/quicklist/18', nodes: 'list/quicklist/18', plain: 'list/quicklist/18' });
  });

  it('sets: intset and hashtable', async () => {
    const got = await roundTrip({ 'set-max-intset-entries': '8' }, async (r) => {
      await r.sadd('intset', 1, -2, 300000, 2 ** 40);
      await r.sadd('numbers', ...many(20, (i) => i));
      await r.sadd('strings', 'a', 'b', 'c');
    });
    expect(encodings(got)).toEqual({ intset: 'set/intset/11', numbers: 'set/hashtable/2', strings: 'set/hashtable/2' });
  });

  it('sorted sets: listpack and skiplist, with infinite and fractional scores', async () => {
    const got = await roundTrip({ 'zset-max-listpack-entries': '4' }, async (r) => {
      await r.zadd('listpack', 1, 'a', 2.5, 'b', '-inf', 'c');
      await r.zadd('skiplist', ...many(20, (i) => [i / 3, `m${i}`]).flat(), '+inf', 'top');
    });
    expect(encodings(got)).toEqual({ listpack: 'zset/listpack/17', skiplist: 'zset/skiplist/5' });
  });

  it('hashes: listpack and hashtable', async () => {
    const got = await roundTrip({ 'hash-max-listpack-entries': '4' }, async (r) => {
      await r.hset('listpack', 'f1', 'v1', 'f2', 2);
      await r.hset('hashtable', ...many(10, (i) => [`f${i}`, 'v'.repeat(i * 10)]).flat());
    });
    expect(encodings(got)).toEqual({ listpack: 'hash/listpack/16', hashtable: 'hash/hashtable/4' });
  });

  it('streams: several listpacks, deletions, consumer groups with pending entries', async () => {
    const got = await roundTrip({ 'stream-node-max-entries': '3' }, async (r) => {
      for (let i = 1; i <= 10; i += 1) await r.xadd('stream', `${i}-1`, 'field', `value-${i}`, 'n', i);
      await r.xdel('stream', '4-1');
      await r.xgroup('CREATE', 'stream', 'readers', '0');
      await r.xgroup('CREATE', 'stream', 'idle', '$');
      await r.xreadgroup('GROUP', 'readers', 'alice', 'COUNT', 3, 'STREAMS', 'stream', '>');
      await r.xreadgroup('GROUP', 'readers', 'bob', 'COUNT', 2, 'STREAMS', 'stream', '>');
      await r.xack('stream', 'readers', '1-1');
      await r.xadd('empty', '1-1', 'f', 'v');
      await r.xdel('empty', '1-1');
    });
    expect(encodings(got)).toEqual({ stream: 'stream/listpacks/19', empty: 'stream/listpacks/19' });
  });
});

describe('the RDB parser reads what surrounds the keys', () => {
  it('expiry in ms, several databases, functions and aux fields', async () => {
    await client.flushall();
    await client.call('FUNCTION', 'FLUSH');
    const code = "#!lua name=rdbtest\nredis.register_function('rdbtest_echo', function(keys, args) return args[1] end)";
    await client.call('FUNCTION', 'LOAD', code);
    const expireAt = Date.now() + 3_600_000;
    await client.set('volatile', 'v', 'PXAT', expireAt);
    for (const db of [1, 5, 15]) {
      await client.select(db);
      await client.set(`in-db-${db}`, String(db));
    }
    await client.select(0);
    const records = await parseAll(chunked(await savedRdb(client), 4096));
    await client.call('FUNCTION', 'FLUSH');
    expect(records.filter((r) => r.kind === 'function').map((r) => r.kind === 'function' && r.code.toString())).toEqual([code]);
    const aux = new Map(records.flatMap((r) => (r.kind === 'aux' ? [[r.name, r.value.toString()]] : [])));
    expect(aux.get('redis-ver')).toMatch(/^7\./);
    const keys = keysOf(records);
    expect(keys.map((k) => [k.key.toString(), k.db, k.expireAt]).sort()).toEqual(
      [
        ['volatile', 0, expireAt],
        ['in-db-1', 1, -1],
        ['in-db-5', 5, -1],
        ['in-db-15', 15, -1],
      ].sort(),
    );
  });

  it('idle time under an LRU policy, frequency under an LFU policy', async () => {
    // No decay: the counter drops by one at a minute boundary, which could fall between SAVE and OBJECT FREQ.
    const lfu = await roundTrip({ 'maxmemory-policy': 'allkeys-lfu', 'lfu-decay-time': '0' }, async (r) => {
      await r.set('hot', 'x');
      for (let i = 0; i < 50; i += 1) await r.get('hot');
    });
    expect(lfu.get('hot')?.freq).toBe(Number(await client.object('FREQ', 'hot')));
    expect(lfu.get('hot')?.idle).toBeUndefined();
    const lru = await roundTrip({ 'maxmemory-policy': 'allkeys-lru' }, (r) => r.set('cold', 'x'));
    expect(lru.get('cold')?.idle).toBeGreaterThanOrEqual(0);
    expect(lru.get('cold')?.idle).toBeLessThanOrEqual(Number(await client.object('IDLETIME', 'cold')) + 1);
    expect(lru.get('cold')?.freq).toBeUndefined();
  });
});
