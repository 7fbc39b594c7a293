import { useEffect } from 'react';
import type { LatencyPoint } from '../overview/latency-point';
import { useHealth } from '../overview/health-store';

const NONE: LatencyPoint[] = [];

/** The last ten minutes of stored history, read once each time the chart is shown; nothing if metrics are not recorded. */
export function useRecordedLatency(profileId: string | undefined): LatencyPoint[] {
  const points = useHealth((s) => (profileId ? s.recorded[profileId] : undefined) ?? NONE);
  const loadRecorded = useHealth((s) => s.loadRecorded);
  useEffect(() => {
    if (profileId) void loadRecorded(profileId);
  }, [profileId, loadRecorded]);
  return points;
}
