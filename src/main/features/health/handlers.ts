import type { SliceHandlers } from '../../../shared/contract';
import type { healthContract } from '../../../shared/contract/health';
import type { Services } from '../../services';

export function healthHandlers(s: Services): SliceHandlers<typeof healthContract> {
  return {
    'health.snapshot': ({ profileId }) => s.health.snapshot(profileId),
    'alerts.thresholds': () => s.settings.thresholds(),
    'alerts.setThresholds': (thresholds) => s.settings.setThresholds(thresholds),
  };
}
