import { create } from 'zustand';
import type { HealthSnapshot, NodeHealth, Thresholds } from '../../../../shared/model/health';
import type { MetricBucket, MetricsUsage } from '../../../../shared/model/metrics';
import { errorText } from '../../components/notice';
import { transport } from '../../transport';
import { recordedLatency } from '../analytics/latency-history';
import type { LatencyPoint } from './latency-point';

/** Ten minutes of history at the monitor's beat, enough for the charts. */
const HISTORY = 300;
/** The stored history the chart starts from, the same ten minutes. */
const RECORDED_MS = 10 * 60_000;

/** Swarmdeck's own data on a target, as last read: the usage, or why it could not be read. */
export interface UsageRead {
  usage?: MetricsUsage;
  error?: string;
  loading: boolean;
}

interface HealthState {
  latest: Record<string, HealthSnapshot>;
  history: Record<string, LatencyPoint[]>;
  thresholds?: Thresholds;
  /** Per profile; read when asked, never polled (see loadUsage). */
  usage: Record<string, UsageRead | undefined>;
  /** Per profile, the stored latency of the ten minutes before the page opened; [] when metrics are not recorded. */
  recorded: Record<string, LatencyPoint[] | undefined>;
  apply(snapshot: HealthSnapshot): void;
  /** Reads the stored history; a series that cannot be read counts as not recorded. */
  loadRecorded(profileId: string): Promise<void>;
  /**
   * Reads a profile's `metrics.usage`, keeping the last answer in view meanwhile. Only when asked:
   * it SCANs the target's metric keys on every master, which an operator console must not do every few seconds.
   */
  loadUsage(profileId: string): Promise<void>;
  loadThresholds(): Promise<void>;
  saveThresholds(t: Thresholds): Promise<void>;
}

/** A sum over the nodes read this time; undefined when none was (stale figures are not live). */
export function liveSum(snapshot: HealthSnapshot | undefined, figure: (n: NodeHealth) => number | undefined): number | undefined {
  const read = snapshot?.nodes.filter((n) => !n.stale && figure(n) !== undefined) ?? [];
  return read.length === 0 ? undefined : read.reduce((sum, n) => sum + (figure(n) ?? 0), 0);
}

export const useHealth = create<HealthState>((set) => ({
  latest: {},
  history: {},
  usage: {},
  recorded: {},
  apply(snapshot) {
    set((s) => {
      const point: LatencyPoint = {
        at: Date.parse(snapshot.at),
        p50: snapshot.latency.p50Ms,
        p99: snapshot.latency.p99Ms,
        last: snapshot.latency.lastMs,
        opsPerSec: liveSum(snapshot, (n) => n.opsPerSec),
      };
      const previous = s.history[snapshot.profileId] ?? [];
      return {
        latest: { ...s.latest, [snapshot.profileId]: snapshot },
        history: { ...s.history, [snapshot.profileId]: [...previous.slice(-(HISTORY - 1)), point] },
      };
    });
  },
  async loadRecorded(profileId) {
    const to = Date.now();
    const read = (series: string): Promise<MetricBucket[]> =>
      transport.call('metrics.query', { profileId, series, from: to - RECORDED_MS, to, resolution: '1s' }).then(
        (r) => r.buckets,
        () => [],
      );
    const [ping, ops] = await Promise.all([read('redis.ping_ms'), read('redis.ops_per_sec')]);
    set((s) => ({ recorded: { ...s.recorded, [profileId]: recordedLatency(ping, ops) } }));
  },
  async loadUsage(profileId) {
    const put = (read: (previous: UsageRead | undefined) => UsageRead): void =>
      set((s) => ({ usage: { ...s.usage, [profileId]: read(s.usage[profileId]) } }));
    put((previous) => ({ ...previous, loading: true }));
    try {
      const usage = await transport.call('metrics.usage', { profileId });
      put(() => ({ usage, loading: false }));
    } catch (error) {
      put(() => ({ error: errorText(error), loading: false }));
    }
  },
  async loadThresholds() {
    set({ thresholds: await transport.call('alerts.thresholds', {}) });
  },
  async saveThresholds(t) {
    set({ thresholds: await transport.call('alerts.setThresholds', t) });
  },
}));
