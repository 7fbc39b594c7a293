/**
 * The Swarmdeck backup format, version 1 (docs/backup-format.md is the specification).
 * Everything here is pure: encoding and decoding of frames, the manifest's shape, the
 * RDB facts read from DUMP payloads, glob matching on raw key bytes and cluster slots.
 */
import { SwarmdeckError } from '../../../shared/errors';
import { KEY_TYPES, type BackupKeyType as KeyType, type BackupManifestView, type ManifestScopeView } from '../../../shared/model/backup';

export const FORMAT_VERSION = 1;
export const MAGIC = Buffer.from('SDBK', 'latin1');
export const DATA_SUFFIX = '.sdbk';
export const MANIFEST_SUFFIX = '.manifest.json';

export const FRAME_SHARD = 0x01;
export const FRAME_BATCH = 0x02;
export const FRAME_END = 0x03;

// The key types and the manifest's shapes live in the shared model: the renderer reads the same objects main writes.
export { KEY_TYPES, type KeyType };
export type { SlotRange, TopologyNode, TypeCount, ShardSummary } from '../../../shared/model/backup';
/** Only in safety snapshots: the key did not exist before the restore, so undo deletes it. */
export const ABSENT_CODE = 0xff;

export interface BackupRecord {
  key: Buffer;
  /** `absent` marks a key a restore created (safety snapshots only). */
  type: KeyType | 'absent';
  /** Absolute expiry in Unix ms, or -1 for none. */
  expireAt: number;
  payload: Buffer;
  /** When the key was read (Unix ms): the base of its remaining TTL. */
  readAt: number;
  shard: number;
}

export type ManifestScope = ManifestScopeView;
export type Manifest = BackupManifestView;

const ID_RE = /^[0-9]{8}T[0-9]{9}Z-[a-z0-9]{6}$/;

export function newBackupId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${Math.random().toString(36).slice(2, 8).padEnd(6, '0')}`;
}

/** Ids become file names: anything else is refused before it can reach a path. */
export function assertBackupId(id: string): void {
  if (!ID_RE.test(id))
    throw new SwarmdeckError('VALIDATION', `Malformed backup id ${JSON.stringify(id)}`, {
      fields: [{ path: 'backupId', message: 'Not a backup id' }],
    });
}

export function assertProfileId(id: string): void {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id))
    throw new SwarmdeckError('VALIDATION', `Malformed profile id ${JSON.stringify(id)}`, {
      fields: [{ path: 'profileId', message: 'Not a profile id' }],
    });
}

// ---------------------------------------------------------------- RDB facts from DUMP

/** The object type byte that opens every DUMP payload, mapped to the type the user sees. */
export function typeOfPayload(payload: Buffer): KeyType {
  const code = payload[0];
  switch (code) {
    case 0:
      return 'string';
    case 1:
    case 10:
    case 14:
    case 18:
      return 'list';
    case 2:
    case 11:
    case 20:
      return 'set';
    case 3:
    case 5:
    case 12:
    case 17:
      return 'zset';
    case 4:
    case 9:
    case 13:
    case 16:
    case 22:
    case 23:
    case 24:
    case 25:
      return 'hash';
    case 15:
    case 19:
    case 21:
      return 'stream';
    default:
      return 'module';
  }
}

/** A DUMP payload ends with a 2-byte little-endian RDB version and an 8-byte CRC64. */
export function rdbVersionOfPayload(payload: Buffer): number {
  if (payload.length < 10) throw new SwarmdeckError('VALIDATION', 'A DUMP payload is shorter than its trailer');
  return payload.readUInt16LE(payload.length - 10);
}

/** redis_version → the RDB version its DUMP writes and the highest its RESTORE accepts. */
export function rdbVersionOfRedis(redisVersion: string): number {
  const [major = 0, minor = 0] = redisVersion.split('.').map(Number);
  const v = major * 100 + minor;
  if (v >= 704) return 12;
  if (v >= 702) return 11;
  if (v >= 700) return 10;
  if (v >= 500) return 9;
  if (v >= 400) return 8;
  if (v >= 302) return 7;
  return 6;
}

export const typeCode = (type: KeyType | 'absent'): number => (type === 'absent' ? ABSENT_CODE : KEY_TYPES.indexOf(type));

export function typeFromCode(code: number): KeyType | 'absent' | undefined {
  return code === ABSENT_CODE ? 'absent' : KEY_TYPES[code];
}

// ---------------------------------------------------------------- frames

export function encodeHeader(header: { id: string; kind: Manifest['kind']; createdAt: string }): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const head = Buffer.alloc(MAGIC.length + 2 + 4);
  MAGIC.copy(head, 0);
  head.writeUInt16BE(FORMAT_VERSION, 4);
  head.writeUInt32BE(json.length, 6);
  return Buffer.concat([head, json]);
}

export function encodeShard(index: number, address: string): Buffer {
  const addr = Buffer.from(address, 'utf8');
  const b = Buffer.alloc(1 + 2 + 2 + addr.length);
  b.writeUInt8(FRAME_SHARD, 0);
  b.writeUInt16BE(index, 1);
  b.writeUInt16BE(addr.length, 3);
  addr.copy(b, 5);
  return b;
}

export function encodeBatchHead(shard: number, readAt: number, count: number): Buffer {
  const b = Buffer.alloc(1 + 2 + 8 + 4);
  b.writeUInt8(FRAME_BATCH, 0);
  b.writeUInt16BE(shard, 1);
  b.writeBigInt64BE(BigInt(readAt), 3);
  b.writeUInt32BE(count, 11);
  return b;
}

/** A 64-bit big-endian integer from a safe JS integer, without BigInt (hot path: once per key). */
function writeInt64(b: Buffer, value: number, offset: number): number {
  b.writeInt32BE(Math.floor(value / 0x1_0000_0000), offset);
  b.writeUInt32BE(value >>> 0, offset + 4);
  return offset + 8;
}

export function readInt64(b: Buffer, offset: number): number {
  return b.readInt32BE(offset) * 0x1_0000_0000 + b.readUInt32BE(offset + 4);
}

/** Everything of a record but its payload bytes, which are written as they are. */
export function encodeRecordHead(key: Buffer, type: KeyType | 'absent', expireAt: number, payloadLength: number): Buffer {
  // Every byte is written below, so the pooled unsafe allocation is fine.
  const b = Buffer.allocUnsafe(4 + key.length + 1 + 8 + 8);
  let o = b.writeUInt32BE(key.length, 0);
  o += key.copy(b, o);
  o = b.writeUInt8(typeCode(type), o);
  o = writeInt64(b, expireAt, o);
  writeInt64(b, payloadLength, o);
  return b;
}

export function encodeEnd(total: number): Buffer {
  const b = Buffer.alloc(9);
  b.writeUInt8(FRAME_END, 0);
  b.writeBigUInt64BE(BigInt(total), 1);
  return b;
}

// ---------------------------------------------------------------- keys: globs, prefixes, slots

/**
 * Redis glob semantics (`stringmatchlen`) over raw bytes: keys are matched as latin1 so every
 * byte is one character and a non-UTF-8 key matches exactly what SCAN MATCH would return.
 */
export function globMatch(pattern: Buffer, key: Buffer): boolean {
  const p = pattern.toString('latin1');
  const s = key.toString('latin1');
  const memo = new Map<number, boolean>();
  const match = (pi: number, si: number): boolean => {
    const memoKey = pi * (s.length + 1) + si;
    const known = memo.get(memoKey);
    if (known !== undefined) return known;
    let result: boolean;
    if (pi === p.length) result = si === s.length;
    else {
      const c = p[pi];
      if (c === '*') result = match(pi + 1, si) || (si < s.length && match(pi, si + 1));
      else if (si === s.length) result = false;
      else if (c === '?') result = match(pi + 1, si + 1);
      else if (c === '[') {
        let i = pi + 1;
        const negate = p[i] === '^';
        if (negate) i += 1;
        let hit = false;
        while (i < p.length && p[i] !== ']') {
          if (p[i] === '\\' && i + 1 < p.length) {
            i += 1;
            if (p[i] === s[si]) hit = true;
          } else if (p[i + 1] === '-' && i + 2 < p.length && p[i + 2] !== ']') {
            let lo = p.charCodeAt(i);
            let hi = p.charCodeAt(i + 2);
            if (lo > hi) [lo, hi] = [hi, lo];
            const sc = s.charCodeAt(si);
            if (sc >= lo && sc <= hi) hit = true;
            i += 2;
          } else if (p[i] === s[si]) hit = true;
          i += 1;
        }
        result = hit !== negate && match(i + 1, si + 1);
      } else if (c === '\\' && pi + 1 < p.length) result = p[pi + 1] === s[si] && match(pi + 2, si + 1);
      else result = c === s[si] && match(pi + 1, si + 1);
    }
    memo.set(memoKey, result);
    return result;
  };
  return match(0, 0);
}

/** Refuses patterns Redis would read differently from what the operator meant. */
export function assertPattern(pattern: string, path = 'pattern'): void {
  const bad = (message: string) =>
    new SwarmdeckError('VALIDATION', `Malformed key pattern ${JSON.stringify(pattern)}: ${message}`, { fields: [{ path, message }] });
  if (pattern.length === 0) throw bad('it is empty');
  let inClass = false;
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 >= pattern.length) throw bad('it ends with a lone backslash');
      i += 1;
    } else if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
  }
  if (inClass) throw bad('a [ is never closed');
}

/** A prefix as a SCAN MATCH pattern: its glob characters escaped, then `*`. */
export function prefixPattern(prefix: Buffer): Buffer {
  const out: number[] = [];
  for (const byte of prefix) {
    if (byte === 0x2a || byte === 0x3f || byte === 0x5b || byte === 0x5d || byte === 0x5c) out.push(0x5c);
    out.push(byte);
  }
  out.push(0x2a);
  return Buffer.from(out);
}

const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i += 1) {
    let crc = i << 8;
    for (let j = 0; j < 8; j += 1) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

/** The cluster hash slot of a raw key (CRC16/XMODEM of its hash tag, mod 16384). */
export function keySlot(key: Buffer): number {
  let start = 0;
  let end = key.length;
  const open = key.indexOf(0x7b);
  if (open !== -1) {
    const close = key.indexOf(0x7d, open + 1);
    if (close > open + 1) {
      start = open + 1;
      end = close;
    }
  }
  let crc = 0;
  for (let i = start; i < end; i += 1) crc = ((crc << 8) & 0xffff) ^ (CRC16_TABLE[((crc >> 8) ^ (key[i] as number)) & 0xff] as number);
  return crc & 0x3fff;
}
