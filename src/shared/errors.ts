/** Every failure that crosses a process boundary is one of these codes. */
export const ERROR_CODES = [
  'VALIDATION',
  'UNKNOWN_OPERATION',
  'NOT_FOUND',
  'CONFLICT',
  'NOT_CONNECTED',
  'DISCONNECTED',
  'DNS_FAILED',
  'TCP_FAILED',
  'TLS_FAILED',
  'NOT_REDIS',
  'AUTH_FAILED',
  'CLUSTER_FAILED',
  'TIMEOUT',
  'READ_ONLY',
  'CONFIRMATION_REQUIRED',
  'LEASE_LOST',
  'UNAVAILABLE',
  'REDIS_ERROR',
  'UNAUTHORIZED',
  'CORRUPT_FILE',
  'BAD_MESSAGE',
  'FILE_ERROR',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  /** Dotted path of the offending field, e.g. `topology.port`. */
  path: string;
  message: string;
}

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details?: { fields?: FieldError[]; step?: string; [key: string]: unknown };
}

/** The one error type of Swarmdeck: a code for programs, a sentence for people. */
export class SwarmdeckError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorPayload['details'];

  constructor(code: ErrorCode, message: string, details?: ErrorPayload['details']) {
    super(message);
    this.name = 'SwarmdeckError';
    this.code = code;
    this.details = details;
  }

  toPayload(): ErrorPayload {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromPayload(payload: ErrorPayload): SwarmdeckError {
    return new SwarmdeckError(payload.code, payload.message, payload.details);
  }
}

export function isErrorPayload(value: unknown): value is ErrorPayload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.message === 'string' && (ERROR_CODES as readonly unknown[]).includes(v.code);
}
