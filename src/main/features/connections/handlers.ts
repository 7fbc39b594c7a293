import type { SliceHandlers } from '../../../shared/contract';
import type { connectionsContract } from '../../../shared/contract/connections';
import type { Services } from '../../services';

export function connectionsHandlers(s: Services): SliceHandlers<typeof connectionsContract> {
  return {
    'connections.list': async () => s.connections.list(),
    'connections.connect': ({ profileId }) => s.connections.connect(profileId),
    'connections.disconnect': async ({ profileId }) => s.connections.disconnect(profileId),
    'redis.ping': async ({ profileId }) => {
      const client = s.connections.session(profileId).client;
      const started = performance.now();
      await client.ping();
      return { ms: performance.now() - started };
    },
  };
}
