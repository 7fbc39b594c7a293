import { create } from 'zustand';
import type { JobView } from '../../../shared/model/job';
import { transport } from '../transport';

interface JobsState {
  jobs: Record<string, JobView>;
  apply(job: JobView): void;
  cancel(jobId: string): Promise<void>;
}

/** Every job main runs, kept current by its pushed `job` events. */
export const useJobs = create<JobsState>((set) => ({
  jobs: {},
  apply: (job) => set((state) => ({ jobs: { ...state.jobs, [job.id]: job } })),
  cancel: async (jobId) => {
    const job = await transport.call('jobs.cancel', { jobId });
    set((state) => ({ jobs: { ...state.jobs, [job.id]: { ...(state.jobs[job.id] ?? job), ...job } } }));
  },
}));

/** One job, followed live; undefined until main has said anything about it. */
export function useJob(jobId: string | undefined): JobView | undefined {
  return useJobs((state) => (jobId ? state.jobs[jobId] : undefined));
}
