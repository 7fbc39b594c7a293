import type { GuardDecision } from '../../../../shared/guards';
import type { AlertRule, AlertRuleInput } from '../../../../shared/model/metrics';
import { confirmationOf } from '../../components/declared-action';

export const OP_TEXT: Record<AlertRule['op'], string> = { gt: '>', gte: '≥', lt: '<', lte: '≤', eq: '=' };

/** What the New rule form starts from. */
export const BLANK_RULE: AlertRuleInput = {
  name: '',
  series: '',
  stat: 'avg',
  windowSec: 60,
  op: 'gt',
  threshold: 0,
  forSec: 0,
  hysteresis: 0,
  severity: 'warning',
  enabled: true,
};

export type RuleChange = { kind: 'save'; rule: AlertRuleInput } | { kind: 'delete'; rule: AlertRule };

/** Main names a rule that exists by its id, not by a name the same call could change: say so where it is what is typed. */
export const typedNote = (name: string, decision: GuardDecision): string =>
  decision.confirm && decision.confirm.expected !== name
    ? ` An existing rule is named by its id (${decision.confirm.expected}, shown under its name), so that is what is typed.`
    : '';

/** The dialog's words for a save: disabling a rule silences it, which is what the operator must see. */
export function saveRequest(rule: AlertRuleInput, decision: GuardDecision) {
  const silencing = !rule.enabled;
  return {
    payload: { kind: 'save' as const, rule },
    title: silencing ? `Disable ${rule.name}?` : `Save rule ${rule.name}?`,
    body: (silencing
      ? `A disabled rule silences what it watched: ${rule.series || 'its series'} raises no alert until the rule is enabled again, and nothing in Redis records that it is off.`
      : `${rule.stat}(${rule.series}, ${rule.windowSec} s) ${OP_TEXT[rule.op]} ${rule.threshold} raises a ${rule.severity} alert${rule.forSec ? ` after ${rule.forSec} s` : ''}.`
    ).concat(typedNote(rule.name, decision)),
    confirmLabel: silencing ? 'Disable rule' : 'Save rule',
    ...confirmationOf(decision),
  };
}

/** A rule's deletion in words: what it watched goes quiet. */
export const deleteRequest = (rule: AlertRule, decision: GuardDecision) => ({
  payload: { kind: 'delete' as const, rule },
  title: `Delete rule ${rule.name}?`,
  body: `What it watched (${rule.series}) raises no alert any more, and nothing in Redis records that the rule is gone.${typedNote(rule.name, decision)}`,
  confirmLabel: 'Delete rule',
  ...confirmationOf(decision),
});
