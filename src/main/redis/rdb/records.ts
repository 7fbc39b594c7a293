/**
 * What an RDB stream is read into. A key's `value` is its serialisation exactly as RDB and
 * DUMP share it: the type byte, this, the RDB version and a CRC64 make its DUMP payload.
 */
import { Crc64 } from './crc64';
import type { RdbKeyType } from './opcodes';

export interface RdbKey {
  kind: 'key';
  db: number;
  key: Buffer;
  type: RdbKeyType;
  /** The encoding the type byte names (`listpack`, `quicklist`…), or for a string raw, int or lzf. */
  encoding: string;
  typeByte: number;
  /** Absolute expiry in Unix ms, or -1 for none. */
  expireAt: number;
  /** Seconds since last access, when the server ran an LRU policy. */
  idle?: number;
  /** The LFU counter, when the server ran an LFU policy. */
  freq?: number;
  value: Buffer;
  /** The stream's RDB version, which is also its DUMP payloads' version. */
  rdbVersion: number;
}

export interface RdbAux {
  kind: 'aux';
  name: string;
  value: Buffer;
}

/** A function library (Redis 7.0+), as FUNCTION LOAD takes it. */
export interface RdbFunction {
  kind: 'function';
  code: Buffer;
}

export type RdbRecord = RdbKey | RdbAux | RdbFunction;

/** The DUMP payload of a parsed key: what RESTORE takes (into a server of at least its RDB version). */
export function dumpPayload(record: Pick<RdbKey, 'typeByte' | 'value' | 'rdbVersion'>): Buffer {
  const out = Buffer.allocUnsafe(record.value.length + 11);
  out[0] = record.typeByte;
  record.value.copy(out, 1);
  out.writeUInt16LE(record.rdbVersion, record.value.length + 1);
  const body = out.subarray(0, record.value.length + 3);
  new Crc64().update(body).digestLE().copy(out, body.length);
  return out;
}
