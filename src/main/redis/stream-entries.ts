import type { StreamEntry } from '../../shared/model/task';

/** ioredis answers stream reads as `[id, [field, value, …]]`; the views want objects. */
export function toEntries(raw: [string, string[]][]): StreamEntry[] {
  return raw.map(([id, flat]) => {
    const fields: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i] as string] = flat[i + 1] as string;
    return { id, at: Number(fields.at ?? id.split('-')[0]), fields };
  });
}
