import { randomBytes } from 'node:crypto';
import { SwarmdeckError } from '../../../shared/errors';
import { EnqueueSchema, PRIORITIES, type EnqueueInput } from '../../../shared/model/task';
import { validationError } from '../../../shared/validation';

/** Validates one task and returns its enqueue script arguments; throws before anything is sent. */
export function enqueueArgs(input: EnqueueInput, now: number, maxPayloadBytes: number): (string | number)[] {
  const parsed = EnqueueSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, 'Bad task');
  const t = parsed.data;
  let data: string;
  try {
    data = JSON.stringify(t.data ?? null);
  } catch (error) {
    throw new SwarmdeckError('VALIDATION', `The payload cannot be stored as JSON: ${(error as Error).message}`, {
      fields: [{ path: 'data', message: 'not JSON-serialisable' }],
    });
  }
  const bytes = Buffer.byteLength(data);
  if (bytes > maxPayloadBytes) {
    throw new SwarmdeckError('VALIDATION', `The payload is ${bytes} bytes; this queue accepts at most ${maxPayloadBytes}`, {
      fields: [{ path: 'data', message: `at most ${maxPayloadBytes} bytes` }],
    });
  }
  const priority = typeof t.priority === 'number' ? t.priority : PRIORITIES[t.priority ?? 'normal'];
  const runAt = t.runAt ?? (t.delayMs ? now + t.delayMs : 0);
  const id = t.id ?? `${now.toString(36)}-${randomBytes(6).toString('hex')}`;
  const requires = [...new Set(t.requires ?? [])].sort().join(',');
  return [id, data, priority, runAt, t.maxAttempts ?? 3, t.backoffMs ?? 1000, t.backoffMaxMs ?? 60_000, requires];
}
