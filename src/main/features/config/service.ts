import { SwarmdeckError } from '../../../shared/errors';
import { diffConfig, type ConfigChange, type ConfigEntry, type ConfigScope, type ConfigVersion } from '../../../shared/model/config';
import type { Session } from '../../redis/connection-manager';
import { ConfigStore } from './config-store';

/** Who an operator's change is written by: the person, the machine and the host they used. */
const operator = (session: Session): string => `${session.actor.user}@${session.actor.host} (${session.actor.via})`;

/** What the console does with configuration: per environment, and between two (diff, promote). */
export class ConfigService {
  get(session: Session, scope: ConfigScope): Promise<ConfigEntry> {
    return configOf(session).get(scope);
  }

  history(session: Session, scope: ConfigScope, count?: number): Promise<ConfigVersion[]> {
    return configOf(session).history(scope, count);
  }

  set(session: Session, scope: ConfigScope, value: unknown, options: { expectVersion?: number; reason?: string }): Promise<ConfigEntry> {
    return configOf(session).set(scope, value, { ...options, by: operator(session) });
  }

  async diff(
    left: Session,
    right: Session,
    scope: ConfigScope,
  ): Promise<{ left: ConfigEntry; right: ConfigEntry; changes: ConfigChange[] }> {
    const [l, r] = await Promise.all([configOf(left).get(scope), configOf(right).get(scope)]);
    return { left: l, right: r, changes: diffConfig(l.value, r.value) };
  }

  /** Writes the source environment's current document as the target's next version (see {@link checkPromotion}). */
  async promote(
    source: Session,
    target: Session,
    scope: ConfigScope,
    options: { expectVersion?: number; reason?: string },
  ): Promise<ConfigEntry> {
    const from = await configOf(source).get(scope);
    const reason = options.reason ?? `promoted from ${source.profile.name} version ${from.version}`;
    return configOf(target).set(scope, from.value, {
      expectVersion: options.expectVersion,
      reason,
      by: operator(target),
      origin: 'promote',
    });
  }

  rollback(session: Session, scope: ConfigScope, version: number, reason?: string): Promise<ConfigEntry> {
    return configOf(session).rollback(scope, version, { by: operator(session), reason: reason ?? `rolled back to version ${version}` });
  }
}

/** Checked from the ids, before either session is looked up: promoting an environment onto itself is a mistake. */
export function checkPromotion(fromProfileId: string, toProfileId: string): void {
  if (fromProfileId === toProfileId)
    throw new SwarmdeckError('VALIDATION', 'toProfileId: promote to another environment than the source', {
      fields: [{ path: 'toProfileId', message: 'same as fromProfileId' }],
    });
}

const configOf = (session: Session): ConfigStore => new ConfigStore(session.client, session.profile.keyPrefix);
