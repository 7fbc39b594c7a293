import { guard, type GuardDecision, type GuardProfile } from '../../../../shared/guards';
import type { QueueAction } from '../../../../shared/model/task';
import type { ConfirmRequest } from '../../components/use-confirmed-action';

export interface QueuePayload {
  action: QueueAction;
  label: string;
  id?: string;
  state?: 'waiting' | 'delayed' | 'finished' | 'dead';
}

export type AskQueueAction = (request: ConfirmRequest<QueuePayload>) => void;

export const queueGuard = (profile: GuardProfile, action: QueueAction, queue: string): GuardDecision => guard(profile, `queue.${action}`, { name: queue });

/**
 * guard() decides: what loses or re-runs tasks is always confirmed, and on production every
 * action needs the queue's name typed; the rest runs at once.
 */
export const queueAction = (payload: QueuePayload, body: string, profile: GuardProfile, queue: string): ConfirmRequest<QueuePayload> => {
  const decision = queueGuard(profile, payload.action, queue);
  return {
    payload,
    title: `${payload.label}?`,
    confirmLabel: payload.label,
    body,
    danger: payload.action === 'purge' || payload.action === 'cancel',
    immediate: !decision.destructive && !decision.confirm,
    ...(decision.confirm ? { typed: decision.confirm.expected } : {}),
  };
};
