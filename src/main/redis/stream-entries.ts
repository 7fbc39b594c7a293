import type { StreamEntry } from '../../shared/model/task';
import type { RedisClient } from './client-options';

/** ioredis answers stream reads as `[id, [field, value, …]]`; the views want objects. */
export function toEntries(raw: [string, string[]][]): StreamEntry[] {
  return raw.map(([id, flat]) => {
    const fields: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i] as string] = flat[i + 1] as string;
    return { id, at: Number(fields.at ?? id.split('-')[0]), fields };
  });
}

export interface TailOptions {
  /** A stream id to continue after; default: only entries added from now on. */
  from?: string;
  signal?: AbortSignal;
  blockMs?: number;
}

/**
 * Every entry of a stream after `from`, until `signal` aborts: a blocking XREAD on a connection
 * of its own, so the shared one is never blocked and entries added while nobody listened are
 * not lost. A failure of the read is turned into a typed error by `describe`.
 */
export async function* tailStream(
  client: RedisClient,
  key: string,
  options: TailOptions,
  describe: (error: unknown) => Error,
): AsyncGenerator<StreamEntry> {
  const reader = client.duplicate();
  const stop = (): void => reader.disconnect();
  options.signal?.addEventListener('abort', stop, { once: true });
  let last = options.from ?? (await client.xrevrange(key, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
  try {
    while (!options.signal?.aborted) {
      let batch: [string, [string, string[]][]][] | null;
      try {
        batch = (await reader.xread('COUNT', 100, 'BLOCK', options.blockMs ?? 1000, 'STREAMS', key, last)) as
          [string, [string, string[]][]][] | null;
      } catch (error) {
        if (options.signal?.aborted) return;
        throw describe(error);
      }
      for (const [, entries] of batch ?? []) {
        for (const entry of toEntries(entries)) {
          last = entry.id;
          yield entry;
        }
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
    reader.disconnect();
  }
}
