import type { Notice } from '../../components/notice';
import { useConfirmedAction, type ConfirmedAction } from '../../components/use-confirmed-action';
import type { QueuePayload } from './queue-action';
import { useQueues } from './queues-store';

/** The confirmed actions on the selected queue and its tasks, each reported with how many tasks it touched. */
export function useQueueActions(profileId: string, report: (n: Notice) => void): ConfirmedAction<QueuePayload> {
  return useConfirmedAction<QueuePayload>({
    perform: async (p, confirm) => {
      const affected = await useQueues.getState().act(profileId, p.action, {
        ...(p.id ? { id: p.id } : {}),
        ...(p.state ? { state: p.state } : {}),
        ...(confirm ? { confirm } : {}),
      });
      return `${p.label}: ${affected} task${affected === 1 ? '' : 's'}`;
    },
    report,
  });
}
