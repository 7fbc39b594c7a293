import { create } from 'zustand';
import type { AlertRule, AlertRuleInput, AlertView, SeriesInfo } from '../../../../shared/model/metrics';
import { transport } from '../../transport';

interface AlertsState {
  /** Firing alerts per profile, as the last pushed event said. */
  firing: Record<string, number>;
  /** The latest alerts per profile, newest first (pushed ones merged into the last list read). */
  byProfile: Record<string, AlertView[]>;
  /** The alert rules per profile; undefined until the first answer. */
  rules: Record<string, AlertRule[] | undefined>;
  /** The series a rule can watch, per profile, as last read. */
  series: Record<string, SeriesInfo[]>;
  load(profileId: string): Promise<void>;
  /** A pushed alert event: the alert merged in, and main's count of what fires. */
  apply(profileId: string, alert: AlertView, firing: number): void;
  loadRules(profileId: string): Promise<void>;
  loadSeries(profileId: string): Promise<void>;
  /** Saves a rule (a disabled one silences what it watched). The caller reads the rules again: a failed read is not a failed save. */
  saveRule(profileId: string, rule: AlertRuleInput, confirm: string | undefined): Promise<AlertRule>;
  deleteRule(profileId: string, id: string, confirm: string | undefined): Promise<void>;
  /** Acknowledges a firing alert, then reads the alerts again. */
  ack(profileId: string, id: string, confirm: string | undefined): Promise<void>;
}

const LIST_COUNT = 200;
const confirmed = (confirm: string | undefined) => (confirm ? { confirm } : {});

export const useAlerts = create<AlertsState>((set, get) => ({
  firing: {},
  byProfile: {},
  rules: {},
  series: {},
  async load(profileId) {
    const list = await transport.call('alerts.list', { profileId, count: LIST_COUNT });
    set((s) => ({
      byProfile: { ...s.byProfile, [profileId]: list },
      firing: { ...s.firing, [profileId]: list.filter((a) => a.state === 'firing').length },
    }));
  },
  apply(profileId, alert, firing) {
    set((s) => {
      const rest = (s.byProfile[profileId] ?? []).filter((a) => a.id !== alert.id);
      return {
        firing: { ...s.firing, [profileId]: firing },
        byProfile: { ...s.byProfile, [profileId]: [alert, ...rest].slice(0, LIST_COUNT) },
      };
    });
  },
  async loadRules(profileId) {
    const rules = await transport.call('alerts.rules', { profileId });
    set((s) => ({ rules: { ...s.rules, [profileId]: rules } }));
  },
  async loadSeries(profileId) {
    const series = await transport.call('metrics.series', { profileId });
    set((s) => ({ series: { ...s.series, [profileId]: series } }));
  },
  async saveRule(profileId, rule, confirm) {
    return transport.call('alerts.setRule', { profileId, rule, ...confirmed(confirm) });
  },
  async deleteRule(profileId, id, confirm) {
    await transport.call('alerts.deleteRule', { profileId, id, ...confirmed(confirm) });
  },
  async ack(profileId, id, confirm) {
    await transport.call('alerts.ack', { profileId, id, ...confirmed(confirm) });
    await get().load(profileId);
  },
}));
