import { ThresholdsSchema, type HealthSnapshot, type Thresholds } from '../model/health';
import { ByProfile, Empty, op } from './op';

export const healthContract = {
  'health.snapshot': op<HealthSnapshot>()(ByProfile),
  'alerts.thresholds': op<Thresholds>()(Empty),
  'alerts.setThresholds': op<Thresholds>()(ThresholdsSchema, true),
} as const;
