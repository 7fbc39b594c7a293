import { z } from 'zod';
import type { StreamEntry } from '../model/task';
import { ProfileId, op } from './op';

export const auditContract = {
  /**
   * The newest operator actions, newest first; with `target` and/or `action` (a prefix ending
   * in "." matches a family, e.g. "queue.") only the matching ones, filtered in main.
   */
  'audit.recent': op<StreamEntry[]>()(
    z.strictObject({
      profileId: ProfileId,
      count: z.number().int().min(1).max(500),
      target: z.string().min(1).max(256).optional(),
      action: z
        .string()
        .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'Malformed action')
        .optional(),
    }),
  ),
} as const;
