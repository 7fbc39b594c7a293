import { create } from 'zustand';
import type { HealthSnapshot, NodeHealth, Thresholds } from '../../../../shared/model/health';
import { transport } from '../../transport';
import type { LatencyPoint } from './latency-point';

/** Ten minutes of history at the monitor's beat, enough for the charts. */
const HISTORY = 300;

interface HealthState {
  latest: Record<string, HealthSnapshot>;
  history: Record<string, LatencyPoint[]>;
  thresholds?: Thresholds;
  apply(snapshot: HealthSnapshot): void;
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
  async loadThresholds() {
    set({ thresholds: await transport.call('alerts.thresholds', {}) });
  },
  async saveThresholds(t) {
    set({ thresholds: await transport.call('alerts.setThresholds', t) });
  },
}));
