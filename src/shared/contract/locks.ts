import { z } from 'zod';
import { Confirm, ProfileId, op } from './op';

/** A lock's resource name: one hash tag `{l:<resource>}`, so no braces. */
export const RESOURCE_PATTERN = /^[A-Za-z0-9_.:/-]{1,128}$/;
export const ResourceSchema = z.string().regex(RESOURCE_PATTERN, 'Malformed resource name (letters, digits, _ . : / -, at most 128)');

export interface LockWaiter {
  id: string;
  /** When it gives up (ms since the epoch). */
  deadline: number;
}

/** One resource of the registry, held or free. */
export interface LockView {
  resource: string;
  held: boolean;
  owner?: string;
  /** The holder's fencing token; when free, the last one handed out (0: never locked). */
  fence: number;
  /** Lease left (ms) when held. */
  ttlMs?: number;
  acquiredAt?: number;
  waiters: LockWaiter[];
  /** Waiters in all (the list shows the first few). */
  waiterCount: number;
}

export const locksContract = {
  /** Every resource of the registry with its holder, lease, fence and waiters; held first. */
  'locks.list': op<LockView[]>()(z.strictObject({ profileId: ProfileId, includeFree: z.boolean().optional() })),
  /**
   * Takes a lock from whoever holds it (an operator's action: guarded, confirmed on production,
   * audited). With `fence`, only the holder the operator saw is released.
   */
  'locks.forceRelease': op<{ fence: number; owner: string }>()(
    z.strictObject({ profileId: ProfileId, resource: ResourceSchema, fence: z.number().int().min(1).optional(), confirm: Confirm }),
    {
      effect: 'write',
      guard: ({ resource }) => ({ action: 'lock.forceRelease', target: resource }),
      audit: ({ resource }, released) => ({
        action: 'lock.forceRelease',
        target: resource,
        detail: `fence ${released.fence} held by ${released.owner}`,
      }),
    },
  ),
} as const;
