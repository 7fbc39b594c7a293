import { ThresholdsSchema, type HealthSnapshot, type Thresholds } from '../model/health';
import { ByProfile, Empty, op } from './op';

export const healthContract = {
  'health.snapshot': op<HealthSnapshot>()(ByProfile),
  'alerts.thresholds': op<Thresholds>()(Empty),
  'alerts.setThresholds': op<Thresholds>()(ThresholdsSchema, {
    effect: 'home',
    audit: { none: 'a setting of this home for every profile' },
  }),
} as const;
