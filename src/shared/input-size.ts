import { contract, type OpName } from './contract';
import { SwarmdeckError } from './errors';

/**
 * Roughly how many bytes `value` takes as JSON, counting no further than `limit + 1`.
 * It walks iteratively and visits each object once, so neither a deep nest nor a cycle (both
 * cross Electron's structured clone) can exhaust the stack or loop forever.
 */
export function boundedJsonSize(value: unknown, limit: number): number {
  let total = 0;
  const seen = new Set<object>();
  const pending: unknown[] = [value];
  while (pending.length > 0 && total <= limit) {
    const item = pending.pop();
    if (typeof item === 'string') total += item.length + 2;
    else if (typeof item === 'number' || typeof item === 'bigint') total += 24;
    else if (typeof item !== 'object' || item === null) total += 5;
    else if (seen.has(item)) total += 1;
    else {
      seen.add(item);
      total += 2;
      if (ArrayBuffer.isView(item)) total += item.byteLength;
      else if (item instanceof ArrayBuffer) total += item.byteLength;
      else if (item instanceof Map) for (const [k, v] of item) pending.push(k, v);
      else if (item instanceof Set) for (const v of item) pending.push(v);
      else if (Array.isArray(item)) {
        for (let i = 0; i < item.length && total <= limit; i += 1) {
          pending.push(item[i]);
          total += 1;
        }
      } else
        for (const key of Object.keys(item)) {
          total += key.length + 4;
          pending.push((item as Record<string, unknown>)[key]);
          if (total > limit) break;
        }
    }
  }
  return total;
}

/** The typed refusal of an input over its operation's cap, or nothing when it fits. */
export function inputSizeError(op: OpName, input: unknown, knownBytes?: number): SwarmdeckError | undefined {
  const limit = contract[op].maxInputBytes;
  // A frame no bigger than the cap cannot hold an input bigger than it: no need to walk it.
  if (knownBytes !== undefined && knownBytes <= limit) return undefined;
  if (boundedJsonSize(input, limit) <= limit) return undefined;
  return new SwarmdeckError('VALIDATION', `The input of ${op} is over its limit of ${Math.round(limit / 1024)} KB`, {
    limit: 'maxInputBytes',
    maxInputBytes: limit,
  });
}
