/**
 * Content comparison of DUMP payloads. A hash-table-encoded set or hash serialises its
 * members in dict order, which changes after a RESTORE or a reload: the same content gives
 * other DUMP bytes. Those two encodings are decoded here (plain RDB strings, LZF included);
 * every other encoding is deterministic for a given content, so bytes decide.
 */
import { createHash } from 'node:crypto';

const RDB_TYPE_SET = 2;
const RDB_TYPE_HASH = 4;

class RdbCursor {
  pos = 1;
  constructor(private readonly b: Buffer) {}

  private byte(): number {
    const v = this.b[this.pos];
    if (v === undefined) throw new RangeError('payload ends early');
    this.pos += 1;
    return v;
  }

  /** An RDB length, or the special-encoding number (with `special` set). */
  length(): { value: number; special: boolean } {
    const first = this.byte();
    const kind = first >> 6;
    if (kind === 0) return { value: first & 0x3f, special: false };
    if (kind === 1) return { value: ((first & 0x3f) << 8) | this.byte(), special: false };
    if (kind === 3) return { value: first & 0x3f, special: true };
    if (first === 0x80) {
      const v = this.b.readUInt32BE(this.pos);
      this.pos += 4;
      return { value: v, special: false };
    }
    const v = Number(this.b.readBigUInt64BE(this.pos));
    this.pos += 8;
    return { value: v, special: false };
  }

  string(): Buffer {
    const { value, special } = this.length();
    if (!special) {
      const out = this.b.subarray(this.pos, this.pos + value);
      this.pos += value;
      return out;
    }
    if (value === 0) return Buffer.from(String(this.b.readInt8((this.pos += 1) - 1)));
    if (value === 1) return Buffer.from(String(this.b.readInt16LE((this.pos += 2) - 2)));
    if (value === 2) return Buffer.from(String(this.b.readInt32LE((this.pos += 4) - 4)));
    const clen = this.length().value;
    const len = this.length().value;
    const out = lzfDecompress(this.b.subarray(this.pos, this.pos + clen), len);
    this.pos += clen;
    return out;
  }
}

function lzfDecompress(input: Buffer, outLength: number): Buffer {
  const out = Buffer.alloc(outLength);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    let ctrl = input[ip++] as number;
    if (ctrl < 32) {
      ctrl += 1;
      input.copy(out, op, ip, ip + ctrl);
      ip += ctrl;
      op += ctrl;
    } else {
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (len === 7) len += input[ip++] as number;
      ref -= input[ip++] as number;
      len += 2;
      if (ref < 0) throw new RangeError('bad LZF back reference');
      for (let i = 0; i < len; i += 1) out[op++] = out[ref++] as number;
    }
  }
  return out;
}

/** Members (set) or field/value pairs (hash) as sorted hex strings, or null if not decodable here. */
function contentOf(payload: Buffer): string[] | null {
  const code = payload[0];
  if (code !== RDB_TYPE_SET && code !== RDB_TYPE_HASH) return null;
  try {
    const c = new RdbCursor(payload);
    const n = c.length().value;
    const out: string[] = [];
    for (let i = 0; i < n; i += 1) {
      const member = c.string().toString('hex');
      out.push(code === RDB_TYPE_HASH ? `${member}:${c.string().toString('hex')}` : member);
    }
    return out.sort();
  } catch {
    return null;
  }
}

/** True when two DUMP payloads hold the same value (bytes, or content where order may differ). */
export function samePayloadContent(a: Buffer, b: Buffer): boolean {
  if (a.equals(b)) return true;
  if (a[0] !== b[0]) return false;
  const ca = contentOf(a);
  const cb = contentOf(b);
  if (ca === null || cb === null || ca.length !== cb.length) return false;
  return ca.every((v, i) => v === cb[i]);
}

/**
 * A digest of a DUMP payload's value that two payloads share exactly when `samePayloadContent`
 * says they hold the same value, so a journal can keep 20 bytes instead of the value.
 */
export function payloadDigest(payload: Buffer): Buffer {
  const content = contentOf(payload);
  const h = createHash('sha1');
  if (content === null) return h.update(payload).digest();
  h.update(Buffer.from([payload[0] as number, 0]));
  for (const part of content) h.update(`${part}\n`);
  return h.digest();
}
