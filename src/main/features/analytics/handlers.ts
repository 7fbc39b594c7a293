import type { SliceHandlers } from '../../../shared/contract';
import type { analyticsContract } from '../../../shared/contract/analytics';
import type { Services } from '../../services';

export function analyticsHandlers(s: Services): SliceHandlers<typeof analyticsContract> {
  return {
    'analytics.analyze': ({ profileId, from, to }) => s.analytics.analyze(profileId, from, to),
    'analytics.report': async ({ profileId, from, to }) => s.analytics.report(profileId, from, to),
    'analytics.reportResult': async ({ jobId }) => s.analytics.reportResult(jobId),
    'metrics.record': ({ profileId, series, value, tags }) => s.analytics.record(profileId, series, value, tags),
  };
}
