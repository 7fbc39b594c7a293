import { z } from 'zod';
import { CONFIG_SCHEMAS, CONFIG_SCOPES, type ConfigChange, type ConfigEntry, type ConfigScope, type ConfigVersion } from '../model/config';
import { Confirm, ProfileId, op } from './op';

const Scope = z.enum(CONFIG_SCOPES);
const Reason = z.string().max(512).optional();

const SetFields = { profileId: ProfileId, expectVersion: z.number().int().min(0).optional(), reason: Reason, confirm: Confirm };
const setInput = <S extends ConfigScope>(scope: S) =>
  z.strictObject({ ...SetFields, scope: z.literal(scope), value: CONFIG_SCHEMAS[scope] });
/** The document is checked against its own scope's schema at the boundary, so a bad field is a VALIDATION naming it before any Redis call. */
const SetInput = z.discriminatedUnion('scope', [
  setInput('global'),
  setInput('swarm'),
  setInput('agents'),
  setInput('tasks'),
  setInput('memory'),
  setInput('monitoring'),
]);

export interface ConfigDiff {
  left: ConfigEntry;
  right: ConfigEntry;
  changes: ConfigChange[];
}

export const configContract = {
  /** The scope's current document, or its defaults (version 0) when never set. */
  'config.get': op<ConfigEntry>()(z.strictObject({ profileId: ProfileId, scope: Scope })),
  /** The versions kept, newest first. */
  'config.history': op<ConfigVersion[]>()(
    z.strictObject({ profileId: ProfileId, scope: Scope, count: z.number().int().min(1).max(200).optional() }),
  ),
  /**
   * Replaces the scope's document after validating it against the scope's schema (VALIDATION
   * names each field and why); `expectVersion` refuses a stale editor with CONFLICT.
   */
  'config.set': op<ConfigEntry>()(SetInput, {
    effect: 'write',
    guard: ({ scope }) => ({ action: 'config.set', target: scope }),
    audit: ({ scope, reason }, entry) => ({
      action: 'config.set',
      target: scope,
      detail: `version ${entry.version}${reason ? `: ${reason}` : ''}`,
    }),
  }),
  /** One scope in two environments (two connected profiles), field by field. */
  'config.diff': op<ConfigDiff>()(z.strictObject({ profileId: ProfileId, otherProfileId: ProfileId, scope: Scope })),
  /** Copies the scope from one environment to another as its next version; confirmed and audited on the target. */
  'config.promote': op<ConfigEntry>()(
    z.strictObject({
      fromProfileId: ProfileId,
      toProfileId: ProfileId,
      scope: Scope,
      expectVersion: z.number().int().min(0).optional(),
      reason: Reason,
      confirm: Confirm,
    }),
    {
      effect: 'write',
      // The environment written is the target's: its guard, its confirmation, its audit stream.
      profile: ({ toProfileId }) => toProfileId,
      guard: ({ scope }) => ({ action: 'config.promote', target: scope }),
      audit: ({ scope, fromProfileId }, entry) => ({
        action: 'config.promote',
        target: scope,
        detail: `profile ${fromProfileId} → version ${entry.version}`,
      }),
    },
  ),
  /** Makes an earlier version the current one again (as a new version, so the history keeps both). */
  'config.rollback': op<ConfigEntry>()(
    z.strictObject({ profileId: ProfileId, scope: Scope, version: z.number().int().min(1), reason: Reason, confirm: Confirm }),
    {
      effect: 'write',
      guard: ({ scope }) => ({ action: 'config.rollback', target: scope }),
      audit: ({ scope, version }, entry) => ({
        action: 'config.rollback',
        target: scope,
        detail: `version ${version} restored as version ${entry.version}`,
      }),
    },
  ),
} as const;
