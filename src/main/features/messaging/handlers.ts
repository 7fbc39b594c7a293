import type { messagingContract } from '../../../shared/contract/messaging';
import type { CallerSliceHandlers } from '../../api/dispatch';
import type { Services } from '../../services';

export function messagingHandlers(s: Services): CallerSliceHandlers<typeof messagingContract> {
  return {
    'messages.publish': async ({ profileId, channel, type, payload }) => {
      const session = s.connections.session(profileId);
      let body: unknown = payload;
      try {
        body = JSON.parse(payload);
      } catch {
        // Not JSON: it is sent as the text it is.
      }
      const messaging = await s.messaging.messaging(session);
      try {
        return await messaging.publish(channel, type, body);
      } finally {
        await messaging.close();
      }
    },
    'messages.watch': ({ profileId, channel, pattern }, caller) =>
      s.messaging.watch(s.connections.session(profileId), { channel, pattern }, caller),
    'messages.read': async ({ jobId, after }) => s.messaging.read(jobId, after),
    'messages.routes': async ({ profileId }) => (await s.messaging.router(s.connections.session(profileId))).list(),
    'messages.routeSet': async ({ profileId, route }) => (await s.messaging.router(s.connections.session(profileId))).set(route),
    'messages.routeDelete': async ({ profileId, name }) => (await s.messaging.router(s.connections.session(profileId))).delete(name),
  };
}
