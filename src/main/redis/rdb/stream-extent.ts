/**
 * A stream value's extent (rdb.c, RDB_TYPE_STREAM_LISTPACKS, _2 from Redis 7.0, _3 from 7.2):
 * its listpacks keyed by 16-byte master IDs, its counters, then each consumer group with its
 * pending entries and its consumers with theirs.
 */
import { Cursor } from './cursor';

const STREAM_ID_BYTES = 16;
const TYPE_STREAM_LISTPACKS_2 = 19;
const TYPE_STREAM_LISTPACKS_3 = 21;

function skipListpacks(c: Cursor): void {
  const nodes = c.length();
  for (let i = 0; i < nodes; i += 1) {
    const at = c.pos;
    if (c.string().length !== STREAM_ID_BYTES) {
      c.pos = at;
      c.bad('a stream node key that is not a 16-byte ID');
    }
    const blobAt = c.pos;
    const lp = c.plainString();
    if (lp && (lp.length < 7 || lp.readUInt32LE(0) !== lp.length || lp[lp.length - 1] !== 0xff)) {
      c.pos = blobAt;
      c.bad('a damaged stream listpack');
    }
  }
}

function skipGroup(c: Cursor, typeByte: number): void {
  c.skipString();
  c.length64();
  c.length64();
  // entries_read is -1 when unknown, written as 2^64 - 1.
  if (typeByte >= TYPE_STREAM_LISTPACKS_2) c.length64();
  const pending = c.length();
  // Each pending entry: its raw ID, the last delivery time (ms), the delivery count.
  for (let i = 0; i < pending; i += 1) {
    c.skip(STREAM_ID_BYTES + 8);
    c.length64();
  }
  const consumers = c.length();
  for (let i = 0; i < consumers; i += 1) {
    c.skipString();
    c.skip(typeByte >= TYPE_STREAM_LISTPACKS_3 ? 16 : 8);
    const owned = c.length();
    c.skip(owned * STREAM_ID_BYTES);
  }
}

export function skipStream(c: Cursor, typeByte: number): void {
  skipListpacks(c);
  // Length and last ID; from _2 on also the first ID, the max deleted ID and entries added.
  const counters = typeByte >= TYPE_STREAM_LISTPACKS_2 ? 8 : 3;
  for (let i = 0; i < counters; i += 1) c.length64();
  const groups = c.length();
  for (let i = 0; i < groups; i += 1) skipGroup(c, typeByte);
}
