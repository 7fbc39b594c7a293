/**
 * The bytes of the RDB format (Redis' rdb.h) that the parser acts on: opcodes between
 * records, and the type byte in front of each value with the key type and encoding it names.
 */
import type { BackupKeyType } from '../../../shared/model/backup';

export const OP_FUNCTION2 = 0xf5;
export const OP_FUNCTION_PRE_GA = 0xf6;
export const OP_MODULE_AUX = 0xf7;
export const OP_IDLE = 0xf8;
export const OP_FREQ = 0xf9;
export const OP_AUX = 0xfa;
export const OP_RESIZEDB = 0xfb;
export const OP_EXPIRETIME_MS = 0xfc;
export const OP_EXPIRETIME = 0xfd;
export const OP_SELECTDB = 0xfe;
export const OP_EOF = 0xff;
/** Redis 8 writes per-slot sizes before a cluster node's keys: three lengths, nothing to keep. */
export const OP_SLOT_INFO = 0xf4;

/** The newest RDB version this parser knows every opcode and type of (Redis 7.4 writes 12). */
export const NEWEST_RDB_VERSION = 12;

export type RdbKeyType = Exclude<BackupKeyType, 'module'>;

export interface ValueType {
  type: RdbKeyType;
  encoding: string;
}

/** Type byte → what it holds; a byte not here (module types included) has no known layout. */
export const VALUE_TYPES: ReadonlyMap<number, ValueType> = new Map<number, ValueType>([
  [0, { type: 'string', encoding: 'raw' }],
  [1, { type: 'list', encoding: 'linkedlist' }],
  [2, { type: 'set', encoding: 'hashtable' }],
  [3, { type: 'zset', encoding: 'skiplist' }],
  [4, { type: 'hash', encoding: 'hashtable' }],
  [5, { type: 'zset', encoding: 'skiplist' }],
  [9, { type: 'hash', encoding: 'zipmap' }],
  [10, { type: 'list', encoding: 'ziplist' }],
  [11, { type: 'set', encoding: 'intset' }],
  [12, { type: 'zset', encoding: 'ziplist' }],
  [13, { type: 'hash', encoding: 'ziplist' }],
  [14, { type: 'list', encoding: 'quicklist' }],
  [15, { type: 'stream', encoding: 'listpacks' }],
  [16, { type: 'hash', encoding: 'listpack' }],
  [17, { type: 'zset', encoding: 'listpack' }],
  [18, { type: 'list', encoding: 'quicklist' }],
  [19, { type: 'stream', encoding: 'listpacks' }],
  [20, { type: 'set', encoding: 'listpack' }],
  [21, { type: 'stream', encoding: 'listpacks' }],
]);

export const TYPE_MODULE_PRE_GA = 6;
export const TYPE_MODULE_2 = 7;

/** Redis 7.4's hashes with field expiry: types whose layout this parser does not carve yet. */
export const HASH_FIELD_EXPIRY_TYPES: ReadonlySet<number> = new Set([22, 23, 24, 25]);
