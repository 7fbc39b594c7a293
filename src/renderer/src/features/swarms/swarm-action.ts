import type { OpInput } from '../../../../shared/contract';
import type { ConfirmRequest } from '../../components/use-confirmed-action';

export interface SwarmAction {
  action: OpInput<'swarms.action'>['action'];
  label: string;
  agentId?: string;
}

export type AskSwarmAction = (request: ConfirmRequest<SwarmAction>) => void;

/** Every swarm action is confirmed; its label is the dialog's title and button. */
export const swarmAction = (payload: SwarmAction, body: string, danger?: boolean): ConfirmRequest<SwarmAction> => ({
  payload,
  title: payload.label,
  confirmLabel: payload.label,
  body,
  danger,
});
