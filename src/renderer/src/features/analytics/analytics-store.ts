import { create } from 'zustand';
import type { JobView } from '../../../../shared/model/job';
import { useJobs } from '../../app/jobs-store';
import { transport } from '../../transport';

interface AnalyticsState {
  /** Starts the HTML report of a window; its job is tracked at once, so its bar shows before the first pushed event. */
  startReport(profileId: string, from: number, to: number): Promise<JobView>;
  /** The finished report's HTML page. */
  reportHtml(jobId: string): Promise<string>;
}

/**
 * The Analytics page's reports. Nothing is kept here: a report is a file the operator saves,
 * and the job that writes it lives in the jobs store.
 */
export const useAnalytics = create<AnalyticsState>(() => ({
  async startReport(profileId, from, to) {
    const job = await transport.call('analytics.report', { profileId, from, to });
    useJobs.getState().apply(job);
    return job;
  },
  async reportHtml(jobId) {
    return (await transport.call('analytics.reportResult', { jobId })).html;
  },
}));
