import { create } from 'zustand';
import type { HealthSnapshot, Thresholds } from '../../../../shared/model/health';
import { transport } from '../../transport';

export interface LatencyPoint {
  at: number;
  p50?: number;
  p99?: number;
  last?: number;
  opsPerSec: number;
}

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
        opsPerSec: snapshot.nodes.reduce((sum, n) => sum + (n.opsPerSec ?? 0), 0),
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
