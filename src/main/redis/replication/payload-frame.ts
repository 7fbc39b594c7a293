/**
 * The snapshot's framing on the replication socket: `$<length>` then exactly that many bytes
 * (the master wrote the RDB to disk first), or `$EOF:<40 random bytes>` then the RDB and the
 * same 40 bytes (a diskless transfer, sent only to replicas that said `REPLCONF capa eof`).
 */
import { SwarmdeckError } from '../../../shared/errors';

export const EOF_MARK_BYTES = 40;

export type Framing = { kind: 'length'; bytes: number } | { kind: 'eof'; mark: Buffer };

export function framingOf(line: string, where: string): Framing {
  if (line.startsWith('$EOF:') && line.length === 5 + EOF_MARK_BYTES) {
    return { kind: 'eof', mark: Buffer.from(line.slice(5), 'latin1') };
  }
  const bytes = /^\$([0-9]+)$/.exec(line)?.[1];
  if (bytes !== undefined) return { kind: 'length', bytes: Number(bytes) };
  throw new SwarmdeckError('NOT_REDIS', `${where} answered the sync with ${JSON.stringify(line.slice(0, 80))}, not a snapshot`, {
    address: where,
  });
}

function truncated(where: string): SwarmdeckError {
  return new SwarmdeckError('DISCONNECTED', `${where} closed the connection before the end of its snapshot`, { address: where });
}

async function* exactly(chunks: AsyncIterable<Buffer>, bytes: number, where: string): AsyncGenerator<Buffer> {
  let left = bytes;
  if (left === 0) return;
  for await (const chunk of chunks) {
    if (chunk.length >= left) {
      yield chunk.subarray(0, left);
      return;
    }
    left -= chunk.length;
    yield chunk;
  }
  throw truncated(where);
}

/**
 * Holds back the last 40 bytes seen: the transfer is over when they are the mark (the master
 * sends nothing after it until the replica acknowledges, which this reader never does).
 */
async function* untilMark(chunks: AsyncIterable<Buffer>, mark: Buffer, where: string): AsyncGenerator<Buffer> {
  let tail: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    const seen = tail.length + chunk.length;
    if (seen <= EOF_MARK_BYTES) tail = Buffer.concat([tail, chunk]);
    else if (chunk.length >= EOF_MARK_BYTES) {
      if (tail.length > 0) yield tail;
      if (chunk.length > EOF_MARK_BYTES) yield chunk.subarray(0, chunk.length - EOF_MARK_BYTES);
      tail = chunk.subarray(chunk.length - EOF_MARK_BYTES);
    } else {
      const both = Buffer.concat([tail, chunk]);
      yield both.subarray(0, both.length - EOF_MARK_BYTES);
      tail = both.subarray(both.length - EOF_MARK_BYTES);
    }
    if (tail.equals(mark)) return;
  }
  throw truncated(where);
}

export function payloadOf(chunks: AsyncIterable<Buffer>, framing: Framing, where: string): AsyncGenerator<Buffer> {
  return framing.kind === 'length' ? exactly(chunks, framing.bytes, where) : untilMark(chunks, framing.mark, where);
}
