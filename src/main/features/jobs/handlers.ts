import type { SliceHandlers } from '../../../shared/contract';
import type { jobsContract } from '../../../shared/contract/jobs';
import type { Services } from '../../services';

export function jobsHandlers(s: Services): SliceHandlers<typeof jobsContract> {
  return {
    'jobs.list': async () => s.jobs.list(),
    'jobs.get': async ({ jobId }) => s.jobs.get(jobId),
    'jobs.cancel': async ({ jobId }) => s.jobs.cancel(jobId),
  };
}
