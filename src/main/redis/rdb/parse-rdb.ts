/**
 * Stream-parses an RDB (a file's read stream, a replication socket's payload) into batches of
 * records, one batch per chunk that completed any. Memory stays bounded: the source is pulled
 * only when the consumer asks for the next batch (backpressure), and only the item still
 * arriving is held — never more than `maxRecordBytes` of it. A record's buffers point into
 * the received chunks; everything read is trustworthy only once the iteration ends without
 * error (the file's CRC64 is checked at its end).
 */
import { RdbReader } from './rdb-reader';
import type { RdbRecord } from './records';

export interface ParseRdbOptions {
  /** Names the stream in errors: a file path, `host:port`. */
  source?: string;
  /**
   * The largest single item accepted (default 512 MiB, Redis' default proto-max-bulk-len: a
   * bigger DUMP payload could not be RESTOREd anyway). A length beyond it is taken as damage.
   */
  maxRecordBytes?: number;
}

export const DEFAULT_MAX_RECORD_BYTES = 512 * 1024 * 1024;

/**
 * How much to hold before trying the item again: what it said it needs, and at least twice
 * what it has, so an item arriving in many chunks is re-read a logarithmic number of times.
 */
function nextWanted(reader: RdbReader, held: number, need: number, max: number): number {
  if (need > max || (held >= max && need > held)) {
    throw reader.corrupt(`an item larger than ${max} bytes (the limit for one record)`, 0);
  }
  return Math.max(need, Math.min(2 * held, max));
}

export async function* parseRdb(chunks: AsyncIterable<Buffer>, opts: ParseRdbOptions = {}): AsyncGenerator<RdbRecord[]> {
  const reader = new RdbReader(opts.source ?? 'The RDB stream');
  const max = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const source = chunks[Symbol.asyncIterator]();
  let pending: Buffer[] = [];
  let held = 0;
  let wanted = 1;
  const step = async (): Promise<RdbRecord[]> => {
    const buf = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, held);
    const { records, consumed, need } = reader.parse(buf);
    const rest = buf.subarray(consumed);
    if (reader.unsupported) await reader.refuse(rest, source);
    pending = rest.length > 0 ? [rest] : [];
    held = rest.length;
    if (!reader.done) wanted = nextWanted(reader, held, need, max);
    return records;
  };
  try {
    for (let next = await source.next(); !next.done; next = await source.next()) {
      const chunk = next.value;
      if (reader.done) {
        if (chunk.length > 0) throw reader.corrupt('bytes after the end of the RDB', held);
        continue;
      }
      pending.push(chunk);
      held += chunk.length;
      if (held < wanted) continue;
      const records = await step();
      if (records.length > 0) yield records;
    }
    // What is held may be less than the doubling asked for, yet the whole of the last items.
    if (!reader.done && held > 0) {
      const records = await step();
      if (records.length > 0) yield records;
    }
    if (!reader.done) throw reader.corrupt(reader.version === 0 ? 'it ends before its header' : 'it ends before its EOF marker', held);
  } finally {
    // A consumer that stops early, or a failure, leaves the source too (a socket closes, a file's descriptor is released).
    await source.return?.();
  }
}
