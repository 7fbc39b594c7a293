import type { SliceHandlers } from '../../../shared/contract';
import type { configContract } from '../../../shared/contract/config';
import { SwarmdeckError } from '../../../shared/errors';
import { enforceGuard } from '../../../shared/guards';
import { diffConfig } from '../../../shared/model/config';
import type { Session } from '../../redis/connection-manager';
import type { Services } from '../../services';
import { recordAudit } from '../audit/audit';
import { ConfigStore } from './config-store';

export const configOf = (session: Session): ConfigStore => new ConfigStore(session.client, session.profile.keyPrefix);
const operator = (session: Session): string => `${session.actor.user}@${session.actor.host} (${session.actor.via})`;

export function configHandlers(s: Services): SliceHandlers<typeof configContract> {
  const store = (profileId: string): ConfigStore => configOf(s.connections.session(profileId));
  return {
    'config.get': ({ profileId, scope }) => store(profileId).get(scope),
    'config.history': ({ profileId, scope, count }) => store(profileId).history(scope, count),
    'config.set': async ({ profileId, scope, value, expectVersion, reason }) => {
      const session = s.connections.session(profileId);
      const entry = await configOf(session).set(scope, value, { expectVersion, reason, by: operator(session) });
      await recordAudit(session, 'config.set', scope, `version ${entry.version}${reason ? `: ${reason}` : ''}`);
      return entry;
    },
    'config.diff': async ({ profileId, otherProfileId, scope }) => {
      const [left, right] = await Promise.all([store(profileId).get(scope), store(otherProfileId).get(scope)]);
      return { left, right, changes: diffConfig(left.value, right.value) };
    },
    'config.promote': async ({ fromProfileId, toProfileId, scope, expectVersion, reason, confirm }) => {
      if (fromProfileId === toProfileId) throw new SwarmdeckError('VALIDATION', 'toProfileId: promote to another environment than the source', { fields: [{ path: 'toProfileId', message: 'same as fromProfileId' }] });
      const source = s.connections.session(fromProfileId);
      const target = s.connections.session(toProfileId);
      enforceGuard(target.profile, 'config.promote', { name: scope }, confirm);
      const from = await configOf(source).get(scope);
      const why = reason ?? `promoted from ${source.profile.name} version ${from.version}`;
      const entry = await configOf(target).set(scope, from.value, { expectVersion, reason: why, by: operator(target), origin: 'promote' });
      await recordAudit(target, 'config.promote', scope, `${source.profile.name} version ${from.version} → version ${entry.version}`);
      return entry;
    },
    'config.rollback': async ({ profileId, scope, version, reason, confirm }) => {
      const session = s.connections.session(profileId);
      enforceGuard(session.profile, 'config.rollback', { name: scope }, confirm);
      const entry = await configOf(session).rollback(scope, version, { by: operator(session), reason: reason ?? `rolled back to version ${version}` });
      await recordAudit(session, 'config.rollback', scope, `version ${version} restored as version ${entry.version}`);
      return entry;
    },
  };
}
