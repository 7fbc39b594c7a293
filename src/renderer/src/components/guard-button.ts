import type { GuardDecision } from '../../../shared/guards';

interface RefusedProps {
  disabled?: boolean;
  title?: string;
  'aria-disabled'?: boolean;
  'aria-description'?: string;
}

/**
 * A refused action stays visible but disabled, and says why in the words main would use,
 * so the operator learns the rule instead of clicking into an error.
 */
export const refusedProps = (decision: GuardDecision): RefusedProps =>
  decision.allowed ? {} : { disabled: true, title: decision.reason, 'aria-disabled': true, 'aria-description': decision.reason };
