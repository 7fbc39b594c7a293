/**
 * Where a value ends, per type byte, without decoding it: lengths are followed, strings are
 * stepped over (compressed ones stay compressed). Packed blobs that arrive uncompressed have
 * their headers checked, so damage inside one is named at its record rather than only by the
 * file's checksum at the end.
 */
import { Cursor } from './cursor';
import { skipStream } from './stream-extent';

type BlobKind = 'ziplist' | 'listpack' | 'intset' | 'zipmap';

/** The header checks Redis itself makes before trusting a blob (ziplistValidateIntegrity & co, shallow). */
function blobLooksWhole(kind: BlobKind, b: Buffer): boolean {
  const last = b[b.length - 1];
  switch (kind) {
    case 'ziplist':
      return b.length >= 11 && b.readUInt32LE(0) === b.length && last === 0xff;
    case 'listpack':
      return b.length >= 7 && b.readUInt32LE(0) === b.length && last === 0xff;
    case 'zipmap':
      return b.length >= 2 && last === 0xff;
    case 'intset': {
      if (b.length < 8) return false;
      const width = b.readUInt32LE(0);
      return (width === 2 || width === 4 || width === 8) && 8 + width * b.readUInt32LE(4) === b.length;
    }
  }
}

function skipBlob(c: Cursor, kind: BlobKind): void {
  const start = c.pos;
  const plain = c.plainString();
  if (plain && !blobLooksWhole(kind, plain)) {
    c.pos = start;
    c.bad(`a damaged ${kind}`);
  }
}

function skipStrings(c: Cursor, perItem: number): void {
  const n = c.length();
  for (let i = 0; i < n; i += 1) for (let j = 0; j < perItem; j += 1) c.skipString();
}

/** An old-style zset score: a length byte, or 253/254/255 for nan/+inf/-inf. */
function skipTextScore(c: Cursor): void {
  const n = c.u8();
  if (n < 253) c.skip(n);
}

const QUICKLIST_NODE_PLAIN = 1;
const QUICKLIST_NODE_PACKED = 2;

function skipQuicklist2(c: Cursor): void {
  const nodes = c.length();
  for (let i = 0; i < nodes; i += 1) {
    const container = c.length();
    if (container === QUICKLIST_NODE_PLAIN) c.skipString();
    else if (container === QUICKLIST_NODE_PACKED) skipBlob(c, 'listpack');
    else c.bad(`a quicklist node of container type ${container}`);
  }
}

/** Steps `c` over the value of type `typeByte`; the string encoding for strings, null for other types. */
export function skipValue(c: Cursor, typeByte: number): string | null {
  switch (typeByte) {
    case 0:
      return c.skipString();
    case 1:
    case 2:
      skipStrings(c, 1);
      return null;
    case 3: {
      const n = c.length();
      for (let i = 0; i < n; i += 1) {
        c.skipString();
        skipTextScore(c);
      }
      return null;
    }
    case 4:
      skipStrings(c, 2);
      return null;
    case 5: {
      const n = c.length();
      for (let i = 0; i < n; i += 1) {
        c.skipString();
        c.skip(8);
      }
      return null;
    }
    case 9:
      skipBlob(c, 'zipmap');
      return null;
    case 10:
    case 12:
    case 13:
      skipBlob(c, 'ziplist');
      return null;
    case 11:
      skipBlob(c, 'intset');
      return null;
    case 14: {
      const n = c.length();
      for (let i = 0; i < n; i += 1) skipBlob(c, 'ziplist');
      return null;
    }
    case 16:
    case 17:
    case 20:
      skipBlob(c, 'listpack');
      return null;
    case 18:
      skipQuicklist2(c);
      return null;
    case 15:
    case 19:
    case 21:
      skipStream(c, typeByte);
      return null;
    default:
      return c.bad(`an unknown value type ${typeByte}`);
  }
}
