/** The RDB format, read: a stream of records whose values are DUMP payloads in all but their trailer. */
export { parseRdb, DEFAULT_MAX_RECORD_BYTES, type ParseRdbOptions } from './parse-rdb';
export { dumpPayload, type RdbAux, type RdbFunction, type RdbKey, type RdbRecord } from './records';
export type { RdbKeyType } from './opcodes';
