import { useCallback, useEffect } from 'react';
import { useHealth, type UsageRead } from './health-store';

/** A profile's `metrics.usage`, read once when shown and again when the operator asks (see loadUsage). */
export function useMetricsUsage(profileId: string): UsageRead & { refresh(): void } {
  const read = useHealth((s) => s.usage[profileId]);
  const loadUsage = useHealth((s) => s.loadUsage);
  const refresh = useCallback(() => void loadUsage(profileId), [loadUsage, profileId]);
  useEffect(() => refresh(), [refresh]);
  return { ...(read ?? { loading: true }), refresh };
}
