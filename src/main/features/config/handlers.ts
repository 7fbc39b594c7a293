import type { SliceHandlers } from '../../../shared/contract';
import type { configContract } from '../../../shared/contract/config';
import type { Services } from '../../services';
import { checkPromotion } from './service';

export function configHandlers(s: Services): SliceHandlers<typeof configContract> {
  const session = (profileId: string) => s.connections.session(profileId);
  return {
    'config.get': ({ profileId, scope }) => s.config.get(session(profileId), scope),
    'config.history': ({ profileId, scope, count }) => s.config.history(session(profileId), scope, count),
    'config.set': ({ profileId, scope, value, expectVersion, reason }) =>
      s.config.set(session(profileId), scope, value, { expectVersion, reason }),
    'config.diff': ({ profileId, otherProfileId, scope }) => s.config.diff(session(profileId), session(otherProfileId), scope),
    'config.promote': ({ fromProfileId, toProfileId, scope, expectVersion, reason }) => {
      checkPromotion(fromProfileId, toProfileId);
      return s.config.promote(session(fromProfileId), session(toProfileId), scope, { expectVersion, reason });
    },
    'config.rollback': ({ profileId, scope, version, reason }) => s.config.rollback(session(profileId), scope, version, reason),
  };
}
