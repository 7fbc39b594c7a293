import { useEffect, useState } from 'react';
import type { MetricBucket } from '../../../../shared/model/metrics';
import { transport } from '../../transport';
import type { LatencyPoint } from '../overview/latency-point';
import { recordedLatency } from './latency-history';

/** The Overview chart's window. */
const WINDOW_MS = 10 * 60_000;

/** Reads the last ten minutes of stored history once per profile; nothing if metrics are not recorded. */
export function useRecordedLatency(profileId: string | undefined): LatencyPoint[] {
  const [points, setPoints] = useState<{ profileId?: string; points: LatencyPoint[] }>({ points: [] });
  useEffect(() => {
    if (!profileId) return undefined;
    let live = true;
    const to = Date.now();
    const q = (series: string) =>
      transport.call('metrics.query', { profileId, series, from: to - WINDOW_MS, to, resolution: '1s' }).then(
        (r) => r.buckets,
        () => [] as MetricBucket[],
      );
    void Promise.all([q('redis.ping_ms'), q('redis.ops_per_sec')]).then(([ping, ops]) => {
      if (live) setPoints({ profileId, points: recordedLatency(ping, ops) });
    });
    return () => {
      live = false;
    };
  }, [profileId]);
  return points.profileId === profileId ? points.points : [];
}
