import type { SliceHandlers } from '../../../shared/contract';
import type { locksContract } from '../../../shared/contract/locks';
import type { Session } from '../../redis/connection-manager';
import type { Services } from '../../services';
import { FencedLocks } from './fenced-locks';

export const locksOf = (session: Session): FencedLocks => new FencedLocks(session.client, session.profile.keyPrefix);

export function locksHandlers(s: Services): SliceHandlers<typeof locksContract> {
  return {
    'locks.list': ({ profileId, includeFree }) => locksOf(s.connections.session(profileId)).list(includeFree ?? false),
    'locks.forceRelease': ({ profileId, resource, fence }) => locksOf(s.connections.session(profileId)).forceRelease(resource, fence),
  };
}
