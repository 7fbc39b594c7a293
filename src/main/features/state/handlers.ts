import type { SliceHandlers } from '../../../shared/contract';
import type { stateContract } from '../../../shared/contract/state';
import type { Session } from '../../redis/connection-manager';
import type { Services } from '../../services';
import { VersionedState } from './versioned-state';

export const stateOf = (session: Session): VersionedState => new VersionedState(session.client, session.profile.keyPrefix);

export function stateHandlers(s: Services): SliceHandlers<typeof stateContract> {
  const state = (profileId: string): VersionedState => stateOf(s.connections.session(profileId));
  return {
    'state.get': async ({ profileId, key }) => ({ entry: (await state(profileId).get(key)) ?? null }),
    'state.history': ({ profileId, key, count }) => state(profileId).history(key, count),
    'state.set': ({ profileId, key, value, expectVersion, ttlMs, source, meta }) =>
      state(profileId).set(key, value, { expectVersion, ttlMs, source, meta }),
    'state.keys': ({ profileId, namespace, budget }) => state(profileId).keys({ namespace, budget }),
  };
}
