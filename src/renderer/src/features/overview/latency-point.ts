/** One point of the Overview's latency chart; pure, so the analytics that build it are unit-tested. */
export interface LatencyPoint {
  at: number;
  p50?: number;
  p99?: number;
  last?: number;
  /** Absent when no node could be read: a gap in the chart, not a flat line at the last value. */
  opsPerSec?: number;
}
