/**
 * Hand-made RDB for what the installed Redis 7.0 cannot write any more (ziplist, zipmap, the
 * linked list and text-scored zsets of Redis ≤ 3.2) but still loads, and for module keys.
 * Built from the format as rdb.c and ziplist.c define it; the server's RESTORE is the judge.
 */
import { rdbLength } from '../../src/main/features/backup/rdb';
import { Crc64 } from '../../src/main/redis/rdb/crc64';

export const rdbStr = (s: string | Buffer): Buffer => {
  const b = Buffer.isBuffer(s) ? s : Buffer.from(s);
  return Buffer.concat([rdbLength(b.length), b]);
};

/** A whole file: header, SELECTDB 0, the items, EOF and its CRC64. */
export function rdbFile(version: number, items: Buffer[]): Buffer {
  const body = Buffer.concat([
    Buffer.from(`REDIS${String(version).padStart(4, '0')}`),
    Buffer.from([0xfe, 0]),
    ...items,
    Buffer.from([0xff]),
  ]);
  return Buffer.concat([body, new Crc64().update(body).digestLE()]);
}

export const keyItem = (typeByte: number, key: string, value: Buffer): Buffer =>
  Buffer.concat([Buffer.from([typeByte]), rdbStr(key), value]);

/** A ziplist of short strings (each under 64 bytes: one prevlen byte, one encoding byte). */
export function ziplist(entries: string[]): Buffer {
  const parts: Buffer[] = [];
  let prev = 0;
  let offset = 10;
  let tail = 10;
  for (const e of entries) {
    const b = Buffer.from(e);
    const entry = Buffer.concat([Buffer.from([prev, b.length]), b]);
    tail = offset;
    offset += entry.length;
    prev = entry.length;
    parts.push(entry);
  }
  const head = Buffer.alloc(10);
  head.writeUInt32LE(offset + 1, 0);
  head.writeUInt32LE(tail, 4);
  head.writeUInt16LE(entries.length, 8);
  return Buffer.concat([head, ...parts, Buffer.from([0xff])]);
}

/** A zipmap (Redis ≤ 2.4 small hashes): count, then length-prefixed field and value (no free bytes). */
export function zipmap(pairs: [string, string][]): Buffer {
  const parts = pairs.map(([f, v]) => Buffer.concat([Buffer.from([f.length]), Buffer.from(f), Buffer.from([v.length, 0]), Buffer.from(v)]));
  return Buffer.concat([Buffer.from([pairs.length]), ...parts, Buffer.from([0xff])]);
}

/** A module type's 64-bit id: 9 characters of 6 bits each, then a 10-bit encoding version (moduleTypeEncodeId). */
export function moduleId(name: string, encver: number): bigint {
  const set = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let id = 0n;
  for (const ch of name) id = (id << 6n) | BigInt(set.indexOf(ch));
  return (id << 10n) | BigInt(encver);
}

export function len64(n: bigint): Buffer {
  const b = Buffer.alloc(9);
  b[0] = 0x81;
  b.writeBigUInt64BE(n, 1);
  return b;
}
