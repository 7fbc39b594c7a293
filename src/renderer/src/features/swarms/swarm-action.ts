import type { OpInput } from '../../../../shared/contract';
import type { DeclaredProfile } from '../../../../shared/contract/op';
import { declaredGuard } from '../../../../shared/declared-guard';
import type { GuardDecision } from '../../../../shared/guards';
import type { SwarmDetail } from '../../../../shared/model/swarm';
import { confirmationOf } from '../../components/declared-action';
import type { ConfirmRequest } from '../../components/use-confirmed-action';

export interface SwarmAction {
  action: OpInput<'swarms.action'>['action'];
  label: string;
  agentId?: string;
}

export type AskSwarmAction = (request: ConfirmRequest<SwarmAction>) => void;

/** The decision swarms.action declares: a swarm of another system is only read, whatever the profile. */
export const swarmGuard = (
  profile: DeclaredProfile,
  action: SwarmAction['action'],
  detail: Pick<SwarmDetail, 'id' | 'source'>,
): GuardDecision => declaredGuard('swarms.action', { profileId: profile.id, swarmId: detail.id, source: detail.source, action }, profile);

/** Every swarm action is confirmed; its label is the dialog's title and button, guard() says what to type. */
export const swarmAction = (payload: SwarmAction, body: string, decision: GuardDecision): ConfirmRequest<SwarmAction> => ({
  payload,
  title: payload.label,
  confirmLabel: payload.label,
  body,
  ...confirmationOf(decision),
  immediate: false,
});
