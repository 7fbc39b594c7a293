import type { MetricBucket } from '../../../../shared/model/metrics';
import type { LatencyPoint } from '../overview/latency-point';

/**
 * PING latency and ops/s as the metrics collector stored them (1 s buckets, every node merged),
 * as the Overview chart's points. `ops/s` is the bucket's sum: one sample per node per beat.
 */
export function recordedLatency(ping: readonly MetricBucket[], ops: readonly MetricBucket[]): LatencyPoint[] {
  const opsAt = new Map(ops.map((b) => [b.start, b.sum]));
  return ping.map((b) => ({
    at: b.start,
    p50: b.p50,
    p99: b.p99,
    last: b.max,
    ...(opsAt.has(b.start) ? { opsPerSec: opsAt.get(b.start) } : {}),
  }));
}

/** The stored history before the first live point, then the live points: full on first load, live after. */
export function withHistory(history: readonly LatencyPoint[], live: readonly LatencyPoint[]): LatencyPoint[] {
  const first = live[0]?.at ?? Number.POSITIVE_INFINITY;
  return [...history.filter((p) => p.at < first - 1000), ...live];
}
