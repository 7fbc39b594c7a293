import type { messagingContract } from '../../../shared/contract/messaging';
import type { CallerSliceHandlers } from '../../api/dispatch';
import type { Services } from '../../services';

export function messagingHandlers(s: Services): CallerSliceHandlers<typeof messagingContract> {
  const session = (profileId: string) => s.connections.session(profileId);
  return {
    'messages.publish': ({ profileId, channel, type, payload }) => s.messaging.publish(session(profileId), channel, type, payload),
    'messages.watch': ({ profileId, channel, pattern }, caller) => s.messaging.watch(session(profileId), { channel, pattern }, caller),
    'messages.read': async ({ jobId, after }) => s.messaging.read(jobId, after),
    'messages.routes': ({ profileId }) => s.messaging.routes(session(profileId)),
    'messages.routeSet': ({ profileId, route }) => s.messaging.setRoute(session(profileId), route),
    'messages.routeDelete': ({ profileId, name }) => s.messaging.deleteRoute(session(profileId), name),
  };
}
