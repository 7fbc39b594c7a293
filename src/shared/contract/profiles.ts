import { z } from 'zod';
import { PasswordSchema, ProfileInputSchema, type ProfileView } from '../model/profile';
import type { ConnectionTestResult } from '../model/health';
import { Confirm, Empty, FRAME_OVERHEAD_BYTES, MAX_FRAME_BYTES, ProfileId, op } from './op';

/** `undefined` keeps the stored password, `null` clears it. */
const PasswordChange = PasswordSchema.nullable().optional();

/** Profiles are settings of this home: nothing in any Redis records their changes. */
const IN_HOME = 'profiles are settings of this home, not of a Redis';

export const profilesContract = {
  'profiles.list': op<ProfileView[]>()(Empty),
  'profiles.save': op<ProfileView>()(z.strictObject({ profile: ProfileInputSchema, password: PasswordChange, confirm: Confirm }), {
    effect: 'home',
    profile: ({ profile }) => profile.id,
    // Demoting a production profile or lifting its read-only flag removes the guards themselves;
    // renaming one would let the next call be confirmed with a name the caller chose.
    guard: ({ profile }, before) =>
      before.environment === 'production' &&
      (profile.environment !== 'production' || (before.readOnly && !profile.readOnly) || profile.name !== before.name)
        ? { action: 'profile.weaken', target: before.name }
        : undefined,
    audit: { none: IN_HOME },
  }),
  'profiles.duplicate': op<ProfileView>()(z.strictObject({ id: ProfileId, name: z.string().trim().min(1).max(64), confirm: Confirm }), {
    effect: 'home',
    profile: ({ id }) => id,
    // The copy carries the password under a name the caller chose, and can then be demoted by that name.
    guard: (_input, source) => (source.environment === 'production' ? { action: 'profile.weaken', target: source.name } : undefined),
    audit: { none: IN_HOME },
  }),
  'profiles.remove': op<{ removed: string }>()(z.strictObject({ id: ProfileId, confirm: Confirm }), {
    effect: 'home',
    profile: ({ id }) => id,
    guard: (_input, profile) => ({ action: 'profile.delete', target: profile.name }),
    audit: { none: IN_HOME },
  }),
  'profiles.export': op<{ json: string }>()(
    z.strictObject({ ids: z.array(ProfileId).max(1000).optional() }),
    undefined,
    // 1,000 ids of up to 64 characters, quoted and separated.
    96 * 1024,
  ),
  'profiles.import': op<{ imported: ProfileView[] }>()(
    z.strictObject({ json: z.string().min(2).max(2_000_000) }),
    { effect: 'home', audit: { none: IN_HOME } },
    // A 2 MB export with its quotes escaped once more inside the call.
    MAX_FRAME_BYTES - FRAME_OVERHEAD_BYTES,
  ),
  'profiles.test': op<ConnectionTestResult>()(
    z.strictObject({
      profile: ProfileInputSchema,
      password: PasswordSchema.optional(),
      /** Use the stored password of this profile when none is typed (only for its own target). */
      storedPasswordOf: ProfileId.optional(),
    }),
  ),
} as const;
