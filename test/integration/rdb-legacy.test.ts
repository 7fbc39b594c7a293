/**
 * The encodings an old `.rdb` carries that Redis 7.0 no longer writes (so the installed
 * server cannot make these files): ziplist lists, zsets and hashes, quicklists of ziplists,
 * zipmap hashes, linked lists and text-scored zsets, in an RDB 9 file made by hand. Each
 * parsed payload is RESTOREd into the bed's 7.0 server, which must read back the value.
 * (Streams of the first layout, type 15, are not made here: their listpacks are not.)
 */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { dumpPayload } from '../../src/main/redis/rdb';
import { bed } from '../support/bed';
import { keyItem, rdbFile, rdbStr, ziplist, zipmap } from '../support/rdb-craft';
import { chunked, contentOf, keysOf, parseAll } from '../support/rdb-check';

const client = new Redis(bed.standalone.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
afterAll(() => client.disconnect());

const count = (n: number) => Buffer.from([n]);
/** An old zset score: its text behind a one-byte length. */
const textScore = (s: string) => Buffer.concat([count(s.length), Buffer.from(s)]);

const CASES: [typeByte: number, key: string, value: Buffer, content: unknown][] = [
  [10, 'list-ziplist', rdbStr(ziplist(['a', 'bb', 'ccc'])), ['a', 'bb', 'ccc']],
  [14, 'list-quicklist-v1', Buffer.concat([count(2), rdbStr(ziplist(['1', '2'])), rdbStr(ziplist(['3']))]), ['1', '2', '3']],
  [1, 'list-linked', Buffer.concat([count(2), rdbStr('x'), rdbStr('y')]), ['x', 'y']],
  [12, 'zset-ziplist', rdbStr(ziplist(['m1', '1.5', 'm2', '3'])), ['m1', '1.5', 'm2', '3']],
  [
    3,
    'zset-text-scores',
    Buffer.concat([count(2), rdbStr('lo'), textScore('0.25'), rdbStr('hi'), Buffer.from([254])]),
    ['lo', '0.25', 'hi', 'inf'],
  ],
  [13, 'hash-ziplist', rdbStr(ziplist(['f1', 'v1', 'f2', 'v2'])), ['f1=v1', 'f2=v2']],
  [
    9,
    'hash-zipmap',
    rdbStr(
      zipmap([
        ['name', 'ada'],
        ['lang', 'en'],
      ]),
    ),
    ['lang=en', 'name=ada'],
  ],
];

describe('older encodings in an imported .rdb', () => {
  it('each is carved whole and RESTOREs into Redis 7 as the same value', async () => {
    const file = rdbFile(
      9,
      CASES.map(([t, k, v]) => keyItem(t, k, v)),
    );
    const keys = keysOf(await parseAll(chunked(file, 5)));
    expect(keys.map((k) => [k.key.toString(), k.typeByte, k.rdbVersion])).toEqual(CASES.map(([t, k]) => [k, t, 9]));
    await client.flushall();
    for (const [i, record] of keys.entries()) {
      const name = `legacy:${record.key.toString()}`;
      await client.restore(name, 0, dumpPayload(record));
      expect(await contentOf(client, name), name).toEqual(CASES[i]?.[3]);
    }
  });
});
