import { z } from 'zod';
import type { MemoryConflict, MemoryEntry, MemorySpaceSummary } from '../model/memory';
import { Confirm, ProfileId, op } from './op';

/** Agent ids and namespaces become part of a hash tag: no braces, no colon. */
export const MemoryNameSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'Malformed name (letters, digits, _ . -, at most 64)');
export const MemoryKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:/-]{1,200}$/, 'Malformed memory key (letters, digits, _ . : / -, at most 200)');
export const MemoryTagSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'Malformed tag (letters, digits, _ . -, at most 64)');
export const MEMORY_MAX_VALUE_BYTES = 1024 * 1024;

/** What the operator types to confirm: the entry, named by its namespace. */
export const memoryTarget = (agent: string | undefined, namespace: string, key: string): string =>
  `${agent ?? 'shared'}/${namespace}/${key}`;

const Space = { profileId: ProfileId, agent: MemoryNameSchema.optional(), namespace: MemoryNameSchema };
/** An opaque position in a listing: pass back what the last page returned ('' starts over). */
const Cursor = z.string().max(260);

export interface MemoryPage {
  entries: MemoryEntry[];
  /** '' when the listing is complete, else pass it back to read on. */
  cursor: string;
}

export const memoryContract = {
  /** Every namespace that was ever written, with its open conflicts. */
  'memory.spaces': op<MemorySpaceSummary[]>()(z.strictObject({ profileId: ProfileId })),
  'memory.get': op<{ entry: MemoryEntry | null }>()(z.strictObject({ ...Space, key: MemoryKeySchema })),
  'memory.set': op<{ version: number }>()(
    z.strictObject({
      ...Space,
      key: MemoryKeySchema,
      value: z.string().max(MEMORY_MAX_VALUE_BYTES),
      tags: z.array(MemoryTagSchema).max(32).optional(),
      ttlMs: z
        .number()
        .int()
        .min(1)
        .max(365 * 86_400_000)
        .optional(),
      expectVersion: z.number().int().min(0).optional(),
      by: MemoryNameSchema.optional(),
      confirm: Confirm,
    }),
    {
      effect: 'write',
      guard: ({ agent, namespace, key }) => ({ action: 'memory.set', target: memoryTarget(agent, namespace, key) }),
      audit: ({ agent, namespace, key, by }, { version }) => ({
        action: 'memory.set',
        target: memoryTarget(agent, namespace, key),
        detail: `version ${version}${by ? ` by ${by}` : ''}`,
      }),
    },
    MEMORY_MAX_VALUE_BYTES * 2 + 64 * 1024,
  ),
  'memory.delete': op<{ deleted: boolean }>()(
    z.strictObject({ ...Space, key: MemoryKeySchema, expectVersion: z.number().int().min(1).optional(), confirm: Confirm }),
    {
      effect: 'write',
      guard: ({ agent, namespace, key }) => ({ action: 'memory.delete', target: memoryTarget(agent, namespace, key) }),
      audit: ({ agent, namespace, key }, { deleted }) =>
        deleted ? { action: 'memory.delete', target: memoryTarget(agent, namespace, key), detail: 'deleted' } : undefined,
    },
  ),
  /**
   * One page of entries by key prefix or by tag, optionally only those whose value contains
   * `text`; never KEYS: the namespace's own index is walked from the cursor.
   */
  'memory.search': op<MemoryPage>()(
    z.strictObject({
      ...Space,
      prefix: z
        .string()
        .regex(/^[A-Za-z0-9_.:/-]{0,200}$/, 'Malformed key prefix')
        .optional(),
      tag: MemoryTagSchema.optional(),
      text: z.string().min(1).max(256).optional(),
      cursor: Cursor.optional(),
      count: z.number().int().min(1).max(500).optional(),
    }),
  ),
  'memory.conflicts': op<MemoryConflict[]>()(z.strictObject(Space)),
  /** Settles a kept conflict: the agent's value, Redis's, or one the operator wrote. */
  'memory.resolve': op<{ version: number }>()(
    z.strictObject({
      ...Space,
      key: MemoryKeySchema,
      choice: z.enum(['local', 'remote', 'value']),
      value: z.string().max(MEMORY_MAX_VALUE_BYTES).optional(),
      confirm: Confirm,
    }),
    {
      effect: 'write',
      guard: ({ agent, namespace, key }) => ({ action: 'memory.resolve', target: memoryTarget(agent, namespace, key) }),
      audit: ({ agent, namespace, key, choice }, { version }) => ({
        action: 'memory.resolve',
        target: memoryTarget(agent, namespace, key),
        detail: `kept the ${choice === 'value' ? "operator's" : choice} value as version ${version}`,
      }),
    },
    MEMORY_MAX_VALUE_BYTES * 2 + 64 * 1024,
  ),
} as const;
