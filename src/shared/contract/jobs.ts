import { z } from 'zod';
import type { JobView } from '../model/job';
import { Empty, op } from './op';

export const JobId = z.string().regex(/^job-[a-z0-9-]{1,64}$/, 'Malformed job id');

export const jobsContract = {
  'jobs.list': op<JobView[]>()(Empty),
  'jobs.get': op<JobView>()(z.strictObject({ jobId: JobId })),
  'jobs.cancel': op<JobView>()(z.strictObject({ jobId: JobId }), {
    effect: 'home',
    audit: { none: 'stops work of this process; the job ends as cancelled, and what it did is in its own entry' },
  }),
} as const;
