import type { SliceHandlers } from '../../../shared/contract';
import type { queuesContract } from '../../../shared/contract/queues';
import type { Services } from '../../services';

export function queuesHandlers(s: Services): SliceHandlers<typeof queuesContract> {
  const session = (profileId: string) => s.connections.session(profileId);
  return {
    'queues.list': ({ profileId }) => s.queues.summaries(session(profileId)),
    'queues.summary': ({ profileId, queue, minutes }) => s.queues.summary(session(profileId), queue, minutes),
    'queues.tasks': ({ profileId, queue, state, offset, limit }) => s.queues.tasks(session(profileId), queue, state, offset, limit),
    'queues.task': ({ profileId, queue, id }) => s.queues.task(session(profileId), queue, id),
    'queues.events': ({ profileId, queue, count }) => s.queues.events(session(profileId), queue, count),
    'queues.enqueue': ({ profileId, queue, task }) => s.queues.enqueue(session(profileId), queue, task),
    'queues.action': ({ profileId, queue, action, id, state }) => s.queues.act(session(profileId), queue, action, { id, state }),
  };
}
