import type { SliceHandlers } from '../../../shared/contract';
import type { messagingContract } from '../../../shared/contract/messaging';
import { enforceGuard } from '../../../shared/guards';
import type { Services } from '../../services';
import { recordAudit } from '../audit/audit';

export function messagingHandlers(s: Services): SliceHandlers<typeof messagingContract> {
  return {
    'messages.publish': async ({ profileId, channel, type, payload, confirm }) => {
      const session = s.connections.session(profileId);
      enforceGuard(session.profile, 'message.publish', { name: channel }, confirm);
      let body: unknown = payload;
      try {
        body = JSON.parse(payload);
      } catch {
        // Not JSON: it is sent as the text it is.
      }
      const messaging = await s.messaging.messaging(session);
      try {
        const sent = await messaging.publish(channel, type, body);
        await recordAudit(session, 'message.publish', channel, `${type} ${sent.id} to ${sent.receivers} subscriber(s)`);
        return sent;
      } finally {
        await messaging.close();
      }
    },
    'messages.watch': ({ profileId, channel, pattern }) => s.messaging.watch(s.connections.session(profileId), { channel, pattern }),
    'messages.read': async ({ jobId, after }) => s.messaging.read(jobId, after),
    'messages.routes': async ({ profileId }) => (await s.messaging.router(s.connections.session(profileId))).list(),
    'messages.routeSet': async ({ profileId, route, confirm }) => {
      const session = s.connections.session(profileId);
      enforceGuard(session.profile, 'message.route', { name: route.name }, confirm);
      const result = await (await s.messaging.router(session)).set(route);
      await recordAudit(session, 'message.route', route.name, `${route.match} → ${route.target.kind} (version ${result.version})`);
      return result;
    },
    'messages.routeDelete': async ({ profileId, name, confirm }) => {
      const session = s.connections.session(profileId);
      enforceGuard(session.profile, 'message.route', { name }, confirm);
      const result = await (await s.messaging.router(session)).delete(name);
      if (result.deleted) await recordAudit(session, 'message.route', name, `deleted (version ${result.version})`);
      return result;
    },
  };
}
