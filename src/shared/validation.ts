import type { z } from 'zod';
import { SwarmdeckError, type FieldError } from './errors';

/** A zod failure as the one error type, with one entry per offending field. */
export function validationError(error: z.ZodError, message = 'The input is not valid'): SwarmdeckError {
  const fields: FieldError[] = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(input)',
    message: issue.message,
  }));
  const first = fields[0];
  return new SwarmdeckError('VALIDATION', first ? `${message}: ${first.path}: ${first.message}` : message, { fields });
}
