import { SwarmdeckError } from '../../../shared/errors';

/** Every damaged stream ends here: one typed error, with the byte offset where reading stopped. */
export function corruptRdb(what: string, offset: number, source: string): SwarmdeckError {
  return new SwarmdeckError('CORRUPT_FILE', `${source} is not a valid RDB stream: ${what} (at byte ${offset})`, {
    reason: 'corrupt-rdb',
    offset,
    source,
  });
}

/** A well-formed stream holding something this parser cannot carve (a module type, a newer format). */
export function unsupportedRdb(what: string, details: Record<string, unknown>): SwarmdeckError {
  return new SwarmdeckError('UNAVAILABLE', what, { reason: 'rdb-unsupported', ...details });
}
