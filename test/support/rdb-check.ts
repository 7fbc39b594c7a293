/**
 * RDB files and the checks made against the server that wrote them: each parsed key's DUMP
 * payload must be the server's own DUMP of that key, its expiry the server's PEXPIRETIME, and
 * RESTORE of the payload must give back the same value (compared by content).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { expect } from 'vitest';
import { dumpPayload, parseRdb, type ParseRdbOptions, type RdbKey, type RdbRecord } from '../../src/main/redis/rdb';

/** What the server holds right now, as SAVE writes it. */
export async function savedRdb(client: Redis): Promise<Buffer> {
  await client.call('SAVE');
  const [, dir] = (await client.config('GET', 'dir')) as [string, string];
  const [, file] = (await client.config('GET', 'dbfilename')) as [string, string];
  return readFileSync(join(dir, file));
}

export async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

export async function parseAll(source: AsyncIterable<Buffer>, opts: ParseRdbOptions = {}): Promise<RdbRecord[]> {
  const out: RdbRecord[] = [];
  for await (const batch of parseRdb(source, opts)) out.push(...batch);
  return out;
}

export const keysOf = (records: RdbRecord[]): RdbKey[] => records.filter((r): r is RdbKey => r.kind === 'key');

const pairs = (flat: string[]): string[] => {
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 2) out.push(`${flat[i]}=${flat[i + 1]}`);
  return out.sort();
};

/** A value by content, as commands read it: independent of encoding and of a hash table's order. */
export async function contentOf(client: Redis, key: Buffer | string): Promise<unknown> {
  const type = await client.type(key);
  switch (type) {
    case 'string':
      return client.get(key);
    case 'list':
      return client.lrange(key, 0, -1);
    case 'set':
      return (await client.smembers(key)).sort();
    case 'zset':
      return client.zrange(key, 0, -1, 'WITHSCORES');
    case 'hash':
      return pairs((await client.call('HGETALL', key)) as string[]);
    case 'stream':
      return client.call('XINFO', 'STREAM', key, 'FULL');
    default:
      throw new Error(`no content reader for type ${type}`);
  }
}

/** Every check the brief names, for the keys of one database (selected on `client`). */
export async function expectMatchesServer(client: Redis, records: RdbKey[]): Promise<void> {
  for (const r of records) {
    const name = r.key.toString('latin1');
    const dump = await client.dumpBuffer(r.key);
    expect(dump?.equals(dumpPayload(r)), `${name}: the parsed payload is the server's DUMP`).toBe(true);
    expect(Number(await client.call('PEXPIRETIME', r.key)), `${name}: expiry`).toBe(r.expireAt < 0 ? -1 : r.expireAt);
    const copy = Buffer.concat([Buffer.from('restored:'), r.key]);
    await client.restore(copy, 0, dumpPayload(r), 'REPLACE');
    expect(await contentOf(client, copy), `${name}: RESTORE gives the same value`).toEqual(await contentOf(client, r.key));
    await client.del(copy);
  }
}
