import type { SliceHandlers } from '../../../shared/contract';
import type { metricsContract } from '../../../shared/contract/metrics';
import type { Services } from '../../services';

export function metricsHandlers(s: Services): SliceHandlers<typeof metricsContract> {
  return {
    'metrics.query': ({ profileId, ...q }) => s.metrics.query(profileId, q),
    'metrics.series': ({ profileId }) => s.metrics.series(profileId),
    'metrics.usage': ({ profileId }) => s.metrics.usage(profileId),
    'alerts.rules': ({ profileId }) => s.metrics.rules(profileId),
    'alerts.setRule': ({ profileId, rule }) => s.metrics.setRule(profileId, rule),
    'alerts.deleteRule': ({ profileId, id }) => s.metrics.deleteRule(profileId, id),
    'alerts.list': ({ profileId, count }) => s.metrics.alerts(profileId, count),
    'alerts.ack': ({ profileId, id }) => s.metrics.ack(profileId, id),
  };
}
