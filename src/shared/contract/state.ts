import { z } from 'zod';
import { Confirm, ProfileId, op } from './op';

/** A state key: `namespace:rest`, one hash tag `{st:<key>}`, so no braces. */
export const StateKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:/-]{1,128}$/, 'Malformed state key (letters, digits, _ . : / -, at most 128)');
/** Values are text (JSON by convention); 512 KB is the most one version may hold. */
export const STATE_MAX_VALUE_BYTES = 512 * 1024;
export const StateMetaSchema = z
  .record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), z.string().max(1024))
  .refine((m) => Object.keys(m).length <= 32, 'At most 32 metadata fields');

export interface StateVersion {
  version: number;
  value: string;
  source: string;
  meta: Record<string, string>;
  /** When it was written (ms since the epoch). */
  at: number;
}

export interface StateEntry extends StateVersion {
  key: string;
  /** Time left (ms) when the value was set with a TTL. */
  ttlMs?: number;
}

export interface StateKeySummary {
  key: string;
  namespace: string;
  version: number;
  at: number;
  source: string;
}

export const stateContract = {
  'state.get': op<{ entry: StateEntry | null }>()(z.strictObject({ profileId: ProfileId, key: StateKeySchema })),
  /** The last versions kept, newest first. */
  'state.history': op<StateVersion[]>()(
    z.strictObject({ profileId: ProfileId, key: StateKeySchema, count: z.number().int().min(1).max(100).optional() }),
  ),
  /**
   * Compare-and-set: with `expectVersion` (0: must not exist) a stale writer gets CONFLICT with
   * the current value and version in its details, and nothing is written.
   */
  'state.set': op<{ version: number }>()(
    z.strictObject({
      profileId: ProfileId,
      key: StateKeySchema,
      value: z.string().max(STATE_MAX_VALUE_BYTES),
      expectVersion: z.number().int().min(0).optional(),
      ttlMs: z
        .number()
        .int()
        .min(1)
        .max(365 * 86_400_000)
        .optional(),
      source: z.string().max(128).optional(),
      meta: StateMetaSchema.optional(),
      confirm: Confirm,
    }),
    {
      effect: 'write',
      guard: ({ key }) => ({ action: 'state.set', target: key }),
      audit: ({ key, source }, { version }) => ({
        action: 'state.set',
        target: key,
        detail: `version ${version}${source ? ` as ${source}` : ''}`,
      }),
    },
    STATE_MAX_VALUE_BYTES * 2 + 64 * 1024,
  ),
  /**
   * Keys found by SCAN (never KEYS, every master of a cluster), at most `budget` keys looked at;
   * `complete` is false when the budget ran out first.
   */
  'state.keys': op<{ keys: StateKeySummary[]; complete: boolean; scanned: number }>()(
    z.strictObject({
      profileId: ProfileId,
      namespace: z
        .string()
        .regex(/^[A-Za-z0-9_./-]{1,64}$/)
        .optional(),
      budget: z.number().int().min(10).max(100_000).optional(),
    }),
  ),
} as const;
