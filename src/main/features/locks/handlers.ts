import type { SliceHandlers } from '../../../shared/contract';
import type { locksContract } from '../../../shared/contract/locks';
import { enforceGuard } from '../../../shared/guards';
import type { Session } from '../../redis/connection-manager';
import type { Services } from '../../services';
import { recordAudit } from '../audit/audit';
import { FencedLocks } from './fenced-locks';

export const locksOf = (session: Session): FencedLocks => new FencedLocks(session.client, session.profile.keyPrefix);

export function locksHandlers(s: Services): SliceHandlers<typeof locksContract> {
  return {
    'locks.list': ({ profileId, includeFree }) => locksOf(s.connections.session(profileId)).list(includeFree ?? false),
    'locks.forceRelease': async ({ profileId, resource, fence, confirm }) => {
      const session = s.connections.session(profileId);
      enforceGuard(session.profile, 'lock.forceRelease', { name: resource }, confirm);
      const released = await locksOf(session).forceRelease(resource, fence);
      await recordAudit(session, 'lock.forceRelease', resource, `fence ${released.fence} held by ${released.owner}`);
      return released;
    },
  };
}
