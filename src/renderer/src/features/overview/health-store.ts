import { create } from 'zustand';
import type { HealthSnapshot, NodeHealth, Thresholds } from '../../../../shared/model/health';
import type { MetricsUsage } from '../../../../shared/model/metrics';
import { errorText } from '../../components/notice';
import { transport } from '../../transport';
import type { LatencyPoint } from './latency-point';

/** Ten minutes of history at the monitor's beat, enough for the charts. */
const HISTORY = 300;

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
  apply(snapshot: HealthSnapshot): void;
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
