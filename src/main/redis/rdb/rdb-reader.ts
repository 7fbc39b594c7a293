/**
 * The RDB stream's grammar, item by item, over the bytes received so far: the header, then
 * opcodes and keys until EOF and the file's CRC64. An item is applied only once it is whole,
 * so running out of bytes anywhere leaves the state as it was before that item.
 */
import { Crc64 } from './crc64';
import { SwarmdeckError } from '../../../shared/errors';
import { corruptRdb, Unsupported, unsupportedRdb } from './corrupt';
import { BadBytes, Cursor, NeedMore } from './cursor';
import { moduleTypeName, skipModuleAux } from './module-values';
import * as op from './opcodes';
import type { RdbRecord } from './records';
import { skipValue } from './value-extent';

export interface Parsed {
  records: RdbRecord[];
  /** Bytes of `buf` read as whole items; the rest is the start of an item still arriving. */
  consumed: number;
  /** How many bytes from `consumed` on that item needs at least. */
  need: number;
}

const HEADER = Buffer.from('REDIS', 'latin1');
const FIRST_VERSION_WITH_CHECKSUM = 5;

export class RdbReader {
  version = 0;
  done = false;
  /** Bytes consumed before the current buffer: error offsets are positions in the whole stream. */
  private offset = 0;
  private db = 0;
  private expireAt = -1;
  private idle: number | undefined;
  private freq: number | undefined;
  private readonly crc = new Crc64();
  /** Set when an item could not be read: parsing stops there (see `refuse`). */
  unsupported: SwarmdeckError | null = null;

  constructor(readonly source: string) {}

  corrupt(what: string, at = 0): Error {
    return corruptRdb(what, this.offset + at, this.source);
  }

  parse(buf: Buffer): Parsed {
    const c = new Cursor(buf);
    const records: RdbRecord[] = [];
    let committed = 0;
    try {
      if (this.version === 0) committed = this.header(c);
      while (!this.done) {
        this.item(c, records);
        committed = c.pos;
      }
      if (c.pos < buf.length) throw this.corrupt('bytes after the end of the RDB', c.pos);
      return { records, consumed: committed, need: 0 };
    } catch (error) {
      if (error instanceof NeedMore) {
        this.crc.update(buf.subarray(0, committed));
        this.offset += committed;
        return { records, consumed: committed, need: error.end - committed };
      }
      if (error instanceof BadBytes) throw this.corrupt(error.what, error.at);
      if (error instanceof Unsupported) {
        this.crc.update(buf.subarray(0, committed));
        this.offset += committed;
        this.unsupported = error.error;
        return { records, consumed: committed, need: 0 };
      }
      throw error;
    }
  }

  /**
   * After something this parser cannot read: the rest of the stream through the checksum
   * alone, which says whether it was that (UNAVAILABLE) or damage (CORRUPT_FILE).
   */
  async refuse(rest: Buffer, more: AsyncIterator<Buffer>): Promise<never> {
    const refusal = this.unsupported as SwarmdeckError;
    let tail = rest;
    let read = this.offset + rest.length;
    for (let next = await more.next(); !next.done; next = await more.next()) {
      const chunk = next.value;
      read += chunk.length;
      if (chunk.length >= 8) {
        this.crc.update(tail).update(chunk.subarray(0, chunk.length - 8));
        tail = chunk.subarray(chunk.length - 8);
      } else tail = Buffer.concat([tail, chunk]);
      if (tail.length > 8) {
        this.crc.update(tail.subarray(0, tail.length - 8));
        tail = tail.subarray(tail.length - 8);
      }
    }
    if (tail.length === 8 && (tail.equals(Buffer.alloc(8)) || tail.equals(this.crc.digestLE()))) throw refusal;
    throw corruptRdb(`its checksum does not match where it seemed to hold something unreadable (${refusal.message})`, read, this.source);
  }

  private header(c: Cursor): number {
    c.need(9);
    const magic = c.bytes(5);
    const digits = c.bytes(4).toString('latin1');
    if (!magic.equals(HEADER) || !/^[0-9]{4}$/.test(digits)) throw this.corrupt('it does not start with REDIS and a 4-digit version');
    const version = Number(digits);
    if (version < 1) throw this.corrupt(`RDB version ${version}`);
    if (version > op.NEWEST_RDB_VERSION) {
      throw unsupportedRdb(`${this.source} is RDB version ${version}; Swarmdeck reads versions up to ${op.NEWEST_RDB_VERSION}`, {
        rdbVersion: version,
      });
    }
    this.version = version;
    return c.pos;
  }

  private item(c: Cursor, records: RdbRecord[]): void {
    const code = c.u8();
    switch (code) {
      case op.OP_AUX: {
        const name = c.string().toString('latin1');
        records.push({ kind: 'aux', name, value: c.string() });
        return;
      }
      case op.OP_SELECTDB:
        this.db = c.length();
        return;
      case op.OP_RESIZEDB:
        c.length();
        c.length();
        return;
      case op.OP_SLOT_INFO:
        for (let i = 0; i < 3; i += 1) c.length();
        return;
      case op.OP_EXPIRETIME_MS:
        this.expireAt = c.i64le();
        return;
      case op.OP_EXPIRETIME:
        this.expireAt = c.bytes(4).readInt32LE(0) * 1000;
        return;
      case op.OP_IDLE:
        this.idle = c.length();
        return;
      case op.OP_FREQ:
        this.freq = c.u8();
        return;
      case op.OP_MODULE_AUX:
        skipModuleAux(c);
        return;
      case op.OP_FUNCTION2:
        records.push({ kind: 'function', code: c.string() });
        return;
      case op.OP_FUNCTION_PRE_GA:
        throw unsupportedRdb(
          `${this.source} holds functions as a Redis 7.0 release candidate wrote them; load it into Redis 7.0 GA or later and take a new snapshot`,
          {
            opcode: code,
          },
        );
      case op.OP_EOF:
        this.end(c);
        return;
      default:
        this.key(c, code, records);
    }
  }

  private key(c: Cursor, typeByte: number, records: RdbRecord[]): void {
    if (typeByte === op.TYPE_MODULE_2 || typeByte === op.TYPE_MODULE_PRE_GA) {
      const key = c.string();
      const name = moduleTypeName(c.length64());
      throw unsupportedRdb(
        `Key ${JSON.stringify(key.toString('latin1'))} is of module type ${name}: Swarmdeck cannot read module values from a snapshot`,
        {
          module: name,
          key: key.toString('hex'),
        },
      );
    }
    if (op.HASH_FIELD_EXPIRY_TYPES.has(typeByte)) {
      throw unsupportedRdb(
        `${this.source} holds a hash with field expiry (RDB type ${typeByte}, Redis 7.4), which Swarmdeck does not read yet`,
        {
          typeByte,
        },
      );
    }
    const known = op.VALUE_TYPES.get(typeByte);
    if (!known) c.bad(`an unknown opcode or value type ${typeByte}`);
    const key = c.string();
    const start = c.pos;
    const stringEncoding = skipValue(c, typeByte);
    const record = {
      kind: 'key' as const,
      db: this.db,
      key,
      type: known.type,
      encoding: stringEncoding ?? known.encoding,
      typeByte,
      expireAt: this.expireAt,
      value: c.buf.subarray(start, c.pos),
      rdbVersion: this.version,
    };
    records.push(this.idle === undefined && this.freq === undefined ? record : { ...record, idle: this.idle, freq: this.freq });
    this.expireAt = -1;
    this.idle = undefined;
    this.freq = undefined;
  }

  /** EOF, then (from version 5) the CRC64 of everything before it; 0 means the server wrote none. */
  private end(c: Cursor): void {
    const through = c.pos;
    if (this.version >= FIRST_VERSION_WITH_CHECKSUM) {
      const sum = c.bytes(8);
      this.crc.update(c.buf.subarray(0, through));
      if (!sum.equals(Buffer.alloc(8)) && !sum.equals(this.crc.digestLE()))
        throw this.corrupt('the CRC64 checksum does not match', through);
    }
    this.done = true;
  }
}
