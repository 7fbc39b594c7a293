import type { GuardDecision } from '../../../shared/guards';

/** The part of a ConfirmRequest (use-confirmed-action) the guard decides. */
export interface Confirmation {
  danger: boolean;
  /** Runs without a dialog. */
  immediate: boolean;
  /** The name the operator types; sent along as `confirm` so main checks it too. */
  typed?: string;
}

/**
 * How a guarded action goes through useConfirmedAction: whatever guard() calls destructive, or
 * asks a typed name for (production), goes through the dialog; the rest runs on one click. `typed`
 * is the very text main checks, so the dialog and dispatch cannot disagree on it.
 */
export function confirmationOf(decision: GuardDecision): Confirmation {
  return {
    danger: decision.destructive,
    immediate: !decision.destructive && !decision.confirm,
    ...(decision.confirm ? { typed: decision.confirm.expected } : {}),
  };
}
