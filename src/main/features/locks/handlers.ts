import type { SliceHandlers } from '../../../shared/contract';
import type { locksContract } from '../../../shared/contract/locks';
import type { Services } from '../../services';

export function locksHandlers(s: Services): SliceHandlers<typeof locksContract> {
  const session = (profileId: string) => s.connections.session(profileId);
  return {
    'locks.list': ({ profileId, includeFree }) => s.locks.list(session(profileId), includeFree ?? false),
    'locks.forceRelease': ({ profileId, resource, fence }) => s.locks.forceRelease(session(profileId), resource, fence),
  };
}
