import { z } from 'zod';
import type { StreamEntry } from '../model/task';
import { ProfileId, op } from './op';

export const auditContract = {
  'audit.recent': op<StreamEntry[]>()(z.strictObject({ profileId: ProfileId, count: z.number().int().min(1).max(500) })),
} as const;
