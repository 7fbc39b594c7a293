/**
 * A damaged RDB stream is CORRUPT_FILE, every time, quickly and in bounded memory: truncations
 * and bit flips (seeded) of a file the bed's server wrote with every type, a length that
 * claims more than exists, and an item that never ends on an endless source.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRdb } from '../../src/main/redis/rdb';
import { SwarmdeckError } from '../../src/shared/errors';
import { bed } from '../support/bed';
import { prng } from '../support/prng';
import { keyItem, len64, moduleId, rdbFile, rdbStr } from '../support/rdb-craft';
import { chunked, keysOf, parseAll, savedRdb } from '../support/rdb-check';

const client = new Redis(bed.standalone.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
let file: Buffer;

beforeAll(async () => {
  await client.flushall();
  await client.set('s', 'x'.repeat(300));
  await client.set('n', 7);
  await client.set('v', 'volatile', 'PX', 3_600_000);
  await client.rpush('l', ...Array.from({ length: 300 }, (_, i) => `e${i}`));
  await client.sadd('i', 1, 2, 3);
  await client.sadd('h', 'a', 'b', 'c');
  await client.zadd('z', 1, 'a', 2, 'b');
  await client.zadd('zs', ...Array.from({ length: 200 }, (_, i) => [i, `m${i}`]).flat());
  await client.hset('hl', 'f', 'v');
  await client.hset('hh', Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`f${i}`, i])));
  await client.xadd('x', '1-1', 'f', 'v');
  await client.xgroup('CREATE', 'x', 'g', '0');
  await client.xreadgroup('GROUP', 'g', 'c', 'STREAMS', 'x', '>');
  file = await savedRdb(client);
});
afterAll(() => client.disconnect());

async function failure(source: AsyncIterable<Buffer>, maxRecordBytes?: number): Promise<SwarmdeckError | string> {
  try {
    await parseAll(source, { maxRecordBytes });
    return 'parsed without error';
  } catch (error) {
    return error instanceof SwarmdeckError ? error : `threw ${String(error)}`;
  }
}

describe('a damaged RDB stream', () => {
  it('the undamaged file parses (the fuzz below starts from a good one)', async () => {
    expect(keysOf(await parseAll(chunked(file, 1000))).length).toBe(11);
  });

  it('truncated anywhere: CORRUPT_FILE, each within 250 ms', async () => {
    const rng = prng(2101);
    for (let i = 0; i < 400; i += 1) {
      const at = Math.floor(rng() * file.length);
      const started = performance.now();
      const error = await failure(chunked(file.subarray(0, at), 1 + Math.floor(rng() * 400)));
      expect(error instanceof SwarmdeckError && error.code, `truncated at ${at}`).toBe('CORRUPT_FILE');
      expect(performance.now() - started).toBeLessThan(250);
    }
  });

  it('one to three bits flipped anywhere: CORRUPT_FILE, each within 250 ms', async () => {
    const rng = prng(2102);
    for (let i = 0; i < 800; i += 1) {
      const damaged = Buffer.from(file);
      const flips: number[] = [];
      for (let f = 0, n = 1 + Math.floor(rng() * 3); f < n; f += 1) {
        const bit = Math.floor(rng() * file.length * 8);
        damaged[bit >> 3] = (damaged[bit >> 3] as number) ^ (1 << (bit & 7));
        flips.push(bit);
      }
      if (damaged.equals(file)) continue;
      const started = performance.now();
      const error = await failure(chunked(damaged, 1 + Math.floor(rng() * 400)));
      expect(error instanceof SwarmdeckError && error.code, `bits ${flips.join(',')} flipped: ${String(error)}`).toBe('CORRUPT_FILE');
      expect(performance.now() - started).toBeLessThan(250);
    }
  });

  it('a length that claims more than the limit: CORRUPT_FILE at once, nothing allocated for it', async () => {
    const huge = rdbFile(10, [keyItem(0, 'big', len64(2n ** 40n))]);
    const error = await failure(chunked(huge, 64));
    expect(error instanceof SwarmdeckError && error.details?.reason).toBe('corrupt-rdb');
    expect(String(error)).toMatch(/larger than/);
  });

  it('an item that never ends on an endless source: CORRUPT_FILE once it outgrows the limit, memory bounded', async () => {
    // A hash claiming 2^32 fields of empty strings, then zeros (each an empty string) forever.
    const head = Buffer.concat([
      Buffer.from('REDIS0010'),
      Buffer.from([0x04]),
      rdbStr('endless'),
      Buffer.from([0x80, 0xff, 0xff, 0xff, 0xff]),
    ]);
    const zeros = Buffer.alloc(64 * 1024);
    let sent = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      yield head;
      for (;;) {
        sent += zeros.length;
        yield zeros;
      }
    }
    const before = process.memoryUsage().rss;
    const error = await failure(endless(), 16 * 1024 * 1024);
    expect(error instanceof SwarmdeckError && error.code).toBe('CORRUPT_FILE');
    expect(sent).toBeLessThan(20 * 1024 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('a source that fails mid-stream: its own error, not a hang', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield file.subarray(0, 100);
      throw new SwarmdeckError('DISCONNECTED', 'gone');
    }
    const error = await failure(failing());
    expect(error instanceof SwarmdeckError && error.code).toBe('DISCONNECTED');
  });
});

describe('what the parser refuses by name', () => {
  const moduleKey = keyItem(7, 'doc', len64(moduleId('ReJSON-RL', 3)));

  it('a module key: UNAVAILABLE naming the module type, once the checksum proves the file intact', async () => {
    const intact = rdbFile(10, [moduleKey, Buffer.from([0x02, 0x05, 0x01, 0x00])]);
    const error = await failure(chunked(intact, 7));
    expect(error instanceof SwarmdeckError && [error.code, error.details?.module]).toEqual(['UNAVAILABLE', 'ReJSON-RL']);
    const damaged = Buffer.from(intact);
    const at = damaged.length - 12;
    damaged[at] = (damaged[at] as number) ^ 1;
    const torn = await failure(chunked(damaged, 7));
    expect(torn instanceof SwarmdeckError && torn.code).toBe('CORRUPT_FILE');
  });

  it('a newer RDB version: UNAVAILABLE with the version, CORRUPT_FILE when damaged as well', async () => {
    const newer = rdbFile(13, [keyItem(0, 'k', rdbStr('v'))]);
    const error = await failure(chunked(newer, 3));
    expect(error instanceof SwarmdeckError && [error.code, error.details?.rdbVersion]).toEqual(['UNAVAILABLE', 13]);
    const damaged = Buffer.from(newer);
    damaged[12] = (damaged[12] as number) ^ 4;
    expect(await failure(chunked(damaged, 3))).toMatchObject({ code: 'CORRUPT_FILE' });
  });

  it('a consumer that stops early closes the source', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Buffer> {
      try {
        yield* chunked(file, 50);
      } finally {
        closed = true;
      }
    }
    for await (const batch of parseRdb(source())) if (batch.length > 0) break;
    expect(closed).toBe(true);
  });
});
