import type { DeclaredProfile } from '../../../../shared/contract/op';
import { declaredGuard } from '../../../../shared/declared-guard';
import type { GuardDecision } from '../../../../shared/guards';
import type { QueueAction } from '../../../../shared/model/task';
import { confirmationOf } from '../../components/declared-action';
import type { ConfirmRequest } from '../../components/use-confirmed-action';

export interface QueuePayload {
  action: QueueAction;
  label: string;
  id?: string;
  state?: 'waiting' | 'delayed' | 'finished' | 'dead';
}

export type AskQueueAction = (request: ConfirmRequest<QueuePayload>) => void;

/** The decision queues.action declares: the queue's name is what is typed on production. */
export const queueGuard = (profile: DeclaredProfile, action: QueueAction, queue: string): GuardDecision =>
  declaredGuard('queues.action', { profileId: profile.id, queue, action }, profile);

/**
 * guard() decides: what loses or re-runs tasks is always confirmed, and on production every
 * action needs the queue's name typed; the rest runs at once.
 */
export const queueAction = (payload: QueuePayload, body: string, profile: DeclaredProfile, queue: string): ConfirmRequest<QueuePayload> => {
  const decision = queueGuard(profile, payload.action, queue);
  return {
    payload,
    title: `${payload.label}?`,
    confirmLabel: payload.label,
    body,
    ...confirmationOf(decision),
    // Red for what loses tasks; a retry that re-runs them is confirmed, but not in red.
    danger: payload.action === 'purge' || payload.action === 'cancel',
  };
};
