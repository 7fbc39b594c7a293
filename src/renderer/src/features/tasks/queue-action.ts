import type { QueueAction } from '../../../../shared/model/task';
import type { ConfirmRequest } from '../../components/use-confirmed-action';

export interface QueuePayload {
  action: QueueAction;
  label: string;
  id?: string;
  state?: 'waiting' | 'delayed' | 'finished' | 'dead';
}

export type AskQueueAction = (request: ConfirmRequest<QueuePayload>) => void;

/**
 * Losing or re-running tasks in bulk is always confirmed; a pause or a single retry only on
 * production, where every action needs the queue's name typed.
 */
export const queueAction = (payload: QueuePayload, body: string, production: boolean): ConfirmRequest<QueuePayload> => {
  const destructive = payload.action === 'purge' || payload.action === 'retryAll' || payload.action === 'cancel';
  return {
    payload,
    title: `${payload.label}?`,
    confirmLabel: payload.label,
    body,
    danger: payload.action === 'purge' || payload.action === 'cancel',
    immediate: !destructive && !production,
  };
};
