/**
 * A reader over the bytes received so far. Running out of them is not an error: it throws
 * `NeedMore` with the buffer length that would let the current item go further, and the
 * parser retries the whole item from its start once that much has arrived.
 */
import { lzfDecompress } from './lzf';

export class NeedMore {
  constructor(readonly end: number) {}
}

/** Thrown for bytes that cannot be RDB; the parser turns it into CORRUPT_FILE with the stream's offset. */
export class BadBytes {
  constructor(
    readonly what: string,
    readonly at: number,
  ) {}
}

/** How a string was written: as bytes, as an integer, or LZF-compressed. */
export type StringEncoding = 'raw' | 'int' | 'lzf';

const ENC_INT8 = 0;
const ENC_INT16 = 1;
const ENC_INT32 = 2;
const ENC_LZF = 3;

export class Cursor {
  pos = 0;

  constructor(readonly buf: Buffer) {}

  need(n: number): void {
    if (this.pos + n > this.buf.length) throw new NeedMore(this.pos + n);
  }

  bad(what: string): never {
    throw new BadBytes(what, this.pos);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++] as number;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** A length (6, 14, 32 or 64 bits); -1 - n for the special string encoding n (the 11xxxxxx form). */
  private lengthOrEncoding(): number {
    const first = this.u8();
    switch (first >> 6) {
      case 0:
        return first & 0x3f;
      case 1:
        return ((first & 0x3f) << 8) | this.u8();
      case 3:
        return -1 - (first & 0x3f);
      default:
        break;
    }
    if (first === 0x80) {
      this.need(4);
      const n = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return n;
    }
    if (first === 0x81) {
      this.need(8);
      const n = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      if (n > BigInt(Number.MAX_SAFE_INTEGER)) this.bad('a length beyond 2^53');
      return Number(n);
    }
    return this.bad(`an unknown length prefix 0x${first.toString(16)}`);
  }

  length(): number {
    const n = this.lengthOrEncoding();
    if (n < 0) this.bad('a string encoding where a length belongs');
    return n;
  }

  /** A 64-bit length as written (a module id uses all 64 bits). */
  length64(): bigint {
    if (this.buf[this.pos] !== 0x81) return BigInt(this.length());
    this.skip(1);
    this.need(8);
    const n = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return n;
  }

  /** Steps over one string without decompressing it; says how it was written. */
  skipString(): StringEncoding {
    const n = this.lengthOrEncoding();
    if (n >= 0) {
      this.skip(n);
      return 'raw';
    }
    const enc = -1 - n;
    if (enc === ENC_INT8) this.skip(1);
    else if (enc === ENC_INT16) this.skip(2);
    else if (enc === ENC_INT32) this.skip(4);
    else if (enc === ENC_LZF) {
      const compressed = this.length();
      if (this.length() === 0) this.bad('an LZF string of length 0');
      this.skip(compressed);
      return 'lzf';
    } else this.bad(`an unknown string encoding ${enc}`);
    return 'int';
  }

  /** A string's bytes, decoded: keys, aux fields and stream node keys are needed as they are. */
  string(): Buffer {
    const n = this.lengthOrEncoding();
    if (n >= 0) return this.bytes(n);
    const enc = -1 - n;
    if (enc === ENC_INT8) return Buffer.from(String(this.bytes(1).readInt8(0)));
    if (enc === ENC_INT16) return Buffer.from(String(this.bytes(2).readInt16LE(0)));
    if (enc === ENC_INT32) return Buffer.from(String(this.bytes(4).readInt32LE(0)));
    if (enc !== ENC_LZF) this.bad(`an unknown string encoding ${enc}`);
    const compressed = this.length();
    const plain = this.length();
    const at = this.pos;
    const out = lzfDecompress(this.bytes(compressed), plain);
    if (!out) throw new BadBytes('an LZF string that does not decompress to its length', at);
    return out;
  }

  /** A string that must be written plainly (not LZF, not an integer) to be checked: its bytes, or null. */
  plainString(): Buffer | null {
    const start = this.pos;
    const n = this.lengthOrEncoding();
    if (n >= 0) return this.bytes(n);
    this.pos = start;
    this.skipString();
    return null;
  }

  i64le(): number {
    this.need(8);
    const n = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return Number(n);
  }

  u32le(): number {
    this.need(4);
    const n = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return n;
  }
}
