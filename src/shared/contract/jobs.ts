import { z } from 'zod';
import type { JobView } from '../model/job';
import { Empty, op } from './op';

export const JobId = z.string().regex(/^job-[a-z0-9-]{1,64}$/, 'Malformed job id');

export const jobsContract = {
  'jobs.list': op<JobView[]>()(Empty),
  'jobs.get': op<JobView>()(z.strictObject({ jobId: JobId })),
  'jobs.cancel': op<JobView>()(z.strictObject({ jobId: JobId }), true),
} as const;
