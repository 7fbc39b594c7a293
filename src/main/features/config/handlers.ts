import type { SliceHandlers } from '../../../shared/contract';
import type { configContract } from '../../../shared/contract/config';
import { SwarmdeckError } from '../../../shared/errors';
import { diffConfig } from '../../../shared/model/config';
import type { Session } from '../../redis/connection-manager';
import type { Services } from '../../services';
import { ConfigStore } from './config-store';

export const configOf = (session: Session): ConfigStore => new ConfigStore(session.client, session.profile.keyPrefix);
const operator = (session: Session): string => `${session.actor.user}@${session.actor.host} (${session.actor.via})`;

export function configHandlers(s: Services): SliceHandlers<typeof configContract> {
  const store = (profileId: string): ConfigStore => configOf(s.connections.session(profileId));
  return {
    'config.get': ({ profileId, scope }) => store(profileId).get(scope),
    'config.history': ({ profileId, scope, count }) => store(profileId).history(scope, count),
    'config.set': ({ profileId, scope, value, expectVersion, reason }) => {
      const session = s.connections.session(profileId);
      return configOf(session).set(scope, value, { expectVersion, reason, by: operator(session) });
    },
    'config.diff': async ({ profileId, otherProfileId, scope }) => {
      const [left, right] = await Promise.all([store(profileId).get(scope), store(otherProfileId).get(scope)]);
      return { left, right, changes: diffConfig(left.value, right.value) };
    },
    'config.promote': async ({ fromProfileId, toProfileId, scope, expectVersion, reason }) => {
      if (fromProfileId === toProfileId)
        throw new SwarmdeckError('VALIDATION', 'toProfileId: promote to another environment than the source', {
          fields: [{ path: 'toProfileId', message: 'same as fromProfileId' }],
        });
      const source = s.connections.session(fromProfileId);
      const target = s.connections.session(toProfileId);
      const from = await configOf(source).get(scope);
      const why = reason ?? `promoted from ${source.profile.name} version ${from.version}`;
      return configOf(target).set(scope, from.value, { expectVersion, reason: why, by: operator(target), origin: 'promote' });
    },
    'config.rollback': ({ profileId, scope, version, reason }) => {
      const session = s.connections.session(profileId);
      return configOf(session).rollback(scope, version, { by: operator(session), reason: reason ?? `rolled back to version ${version}` });
    },
  };
}
