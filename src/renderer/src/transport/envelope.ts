import type { Envelope, OpName } from '../../../shared/contract';
import { SwarmdeckError } from '../../../shared/errors';

/** An action main did whose audit entry could not be written: the operator must hear of it. */
export interface NotAuditedWarning {
  op: OpName;
  /** Main's own sentence: what was done, on what, and why the audit stream did not take it. */
  message: string;
}

export type NotAuditedListener = (warning: NotAuditedWarning) => void;

/** Who wants to hear of unaudited actions (the shell's warning toasts; tests). */
export class NotAuditedListeners {
  private readonly listeners = new Set<NotAuditedListener>();

  add(listener: NotAuditedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(warning: NotAuditedWarning): void {
    for (const listener of this.listeners) {
      try {
        listener(warning);
      } catch (error) {
        // A listener's bug must not turn an action that was done into a failed call.
        console.error('a not-audited listener failed', error);
      }
    }
  }
}

/**
 * An envelope as a caller wants it: the result, or the typed error thrown. `notAudited` does
 * not change the answer (the action happened; reporting a failure would invite a second one),
 * but it is never dropped on the way: it goes to `warn` before the result is handed back.
 */
export function openEnvelope<T>(op: OpName, envelope: Envelope<T>, warn: NotAuditedListener): T {
  if (!envelope.ok) throw SwarmdeckError.fromPayload(envelope.error);
  if (typeof envelope.notAudited === 'string') warn({ op, message: envelope.notAudited });
  return envelope.result;
}
