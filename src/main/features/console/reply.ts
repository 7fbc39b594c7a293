import type { ReplyNode } from '../../../shared/model/console';

/** How much of a reply the console returns before cutting (`full` raises them, size-checked). */
export interface ReplyBounds {
  /** Bytes of one string or binary value. */
  bytes: number;
  /** Items of one array or map. */
  items: number;
}

/** Bytes a whole call may still return, shared by every reply of it, so many big replies cannot add up. */
export interface Budget {
  left: number;
}

export const DEFAULT_BOUNDS: ReplyBounds = { bytes: 16 * 1024, items: 500 };
/** `full`: everything up to what one frame to the window carries (hex doubles binary values). */
export const FULL_BYTES = 1536 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** redis-cli's escaping of a binary value: printable ASCII as is, the rest `\n` or `\xHH`. */
export function escapePreview(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

function bulk(value: Buffer, bounds: ReplyBounds, budget: Budget): ReplyNode {
  const room = Math.max(0, Math.min(bounds.bytes, budget.left));
  const cut = value.length > room;
  const part = cut ? value.subarray(0, room) : value;
  budget.left -= part.length;
  let decoded: string | undefined;
  try {
    decoded = decoder.decode(value);
  } catch {
    decoded = undefined;
  }
  if (decoded !== undefined) {
    if (!cut) return { type: 'string', value: decoded, bytes: value.length };
    // A cut can split a character: its broken tail is dropped rather than shown as U+FFFD.
    return { type: 'string', value: part.toString('utf8').replace(/\uFFFD+$/, ''), bytes: value.length, truncated: true };
  }
  const node: ReplyNode = { type: 'binary', hex: part.toString('hex'), preview: escapePreview(part), bytes: value.length };
  if (cut) node.truncated = true;
  return node;
}

/** The bytes a reply carries, to refuse a `full` load that would not fit before converting it. */
export function replySize(value: unknown): number {
  if (Buffer.isBuffer(value)) return value.length;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + replySize(v) + 2, 0);
  if (value instanceof Error) return value.message.length;
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).reduce((sum, [k, v]) => sum + k.length + replySize(v) + 2, 0);
  return 8;
}

/**
 * An ioredis reply (read with buffers) as a typed, JSON-safe tree. Errors inside arrays (EXEC's
 * replies) stay in place as error nodes; an object is ioredis's own HGETALL reply and becomes a map.
 */
export function convertReply(value: unknown, bounds: ReplyBounds, budget: Budget): ReplyNode {
  const walk = (v: unknown): ReplyNode => {
    if (v === null || v === undefined) return { type: 'nil' };
    if (Buffer.isBuffer(v)) return bulk(v, bounds, budget);
    if (typeof v === 'string') return walk(Buffer.from(v));
    if (typeof v === 'number') return { type: 'integer', value: v };
    if (v instanceof Error) return { type: 'error', message: v.message };
    if (Array.isArray(v)) {
      // Once the call's budget is spent, arrays stop growing too (their items would all be cut).
      const keep = budget.left <= 0 ? Math.min(v.length, 1) : Math.min(v.length, bounds.items);
      const cut = v.length > keep;
      const items = v.slice(0, keep).map(walk);
      return cut ? { type: 'array', items, length: v.length, truncated: true } : { type: 'array', items, length: v.length };
    }
    if (typeof v === 'object') {
      const all = Object.entries(v as Record<string, unknown>);
      const keep = budget.left <= 0 ? Math.min(all.length, 1) : Math.min(all.length, bounds.items);
      const cut = all.length > keep;
      const entries = all.slice(0, keep).map(([k, value]) => ({ key: walk(Buffer.from(k)), value: walk(value) }));
      return cut ? { type: 'map', entries, length: all.length, truncated: true } : { type: 'map', entries, length: all.length };
    }
    return { type: 'string', value: String(v), bytes: String(v).length };
  };
  return walk(value);
}
