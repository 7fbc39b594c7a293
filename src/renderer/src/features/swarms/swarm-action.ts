import type { OpInput } from '../../../../shared/contract';
import { guard, type GuardDecision, type GuardProfile } from '../../../../shared/guards';
import type { SwarmDetail } from '../../../../shared/model/swarm';
import type { ConfirmRequest } from '../../components/use-confirmed-action';

export interface SwarmAction {
  action: OpInput<'swarms.action'>['action'];
  label: string;
  agentId?: string;
}

export type AskSwarmAction = (request: ConfirmRequest<SwarmAction>) => void;

/** The same decision main makes: a swarm of another system is only read, whatever the profile. */
export const swarmGuard = (profile: GuardProfile, action: SwarmAction['action'], detail: Pick<SwarmDetail, 'id' | 'source'>): GuardDecision =>
  guard(profile, `swarm.${action}`, { name: detail.id, ...(detail.source === 'claude-flow-novice' ? { foreignOwner: 'a claude-flow-novice deployment' } : {}) });

/** Every swarm action is confirmed; its label is the dialog's title and button, guard() says what to type. */
export const swarmAction = (payload: SwarmAction, body: string, decision: GuardDecision): ConfirmRequest<SwarmAction> => ({
  payload,
  title: payload.label,
  confirmLabel: payload.label,
  body,
  danger: decision.destructive,
  ...(decision.confirm ? { typed: decision.confirm.expected } : {}),
});
