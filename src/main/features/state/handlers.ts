import type { SliceHandlers } from '../../../shared/contract';
import type { stateContract } from '../../../shared/contract/state';
import type { Services } from '../../services';

export function stateHandlers(s: Services): SliceHandlers<typeof stateContract> {
  const session = (profileId: string) => s.connections.session(profileId);
  return {
    'state.get': async ({ profileId, key }) => ({ entry: (await s.state.get(session(profileId), key)) ?? null }),
    'state.history': ({ profileId, key, count }) => s.state.history(session(profileId), key, count),
    'state.set': ({ profileId, key, value, expectVersion, ttlMs, source, meta }) =>
      s.state.set(session(profileId), key, value, { expectVersion, ttlMs, source, meta }),
    'state.keys': ({ profileId, namespace, budget }) => s.state.keys(session(profileId), { namespace, budget }),
  };
}
