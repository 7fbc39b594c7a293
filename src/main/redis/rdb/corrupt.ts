import { SwarmdeckError } from '../../../shared/errors';

/** Every damaged stream ends here: one typed error, with the byte offset where reading stopped. */
export function corruptRdb(what: string, offset: number, source: string): SwarmdeckError {
  return new SwarmdeckError('CORRUPT_FILE', `${source} is not a valid RDB stream: ${what} (at byte ${offset})`, {
    reason: 'corrupt-rdb',
    offset,
    source,
  });
}

/**
 * Something this parser cannot carve (a module type, a newer format) — or damage that looks
 * like it: thrown as this, and reported as UNAVAILABLE only once the checksum over the whole
 * stream proves it intact (CORRUPT_FILE otherwise).
 */
export class Unsupported {
  readonly error: SwarmdeckError;

  constructor(what: string, details: Record<string, unknown>) {
    this.error = new SwarmdeckError('UNAVAILABLE', what, { reason: 'rdb-unsupported', ...details });
  }
}

export function unsupportedRdb(what: string, details: Record<string, unknown>): Unsupported {
  return new Unsupported(what, details);
}
