import { create } from 'zustand';
import type { AlertView } from '../../../../shared/model/metrics';
import { transport } from '../../transport';

interface AlertsState {
  /** Firing alerts per profile, as the last pushed event said. */
  firing: Record<string, number>;
  /** The latest alerts per profile, newest first (pushed ones merged into the last list read). */
  byProfile: Record<string, AlertView[]>;
  load(profileId: string): Promise<void>;
  apply(profileId: string, alert: AlertView, firing: number): void;
}

const LIST_COUNT = 200;

export const useAlerts = create<AlertsState>((set) => ({
  firing: {},
  byProfile: {},
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
}));

/** Remembered so the browser asks once, not on every load. */
const ASKED_KEY = 'swarmdeck.notifications.asked';

export type NotifyState = 'unsupported' | 'granted' | 'denied' | 'default';

export function notifyState(): NotifyState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks for permission to show desktop notifications, once per browser profile. */
export async function askNotifyOnce(force = false): Promise<NotifyState> {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  if (!force && localStorage.getItem(ASKED_KEY)) return 'default';
  localStorage.setItem(ASKED_KEY, new Date().toISOString());
  return Notification.requestPermission();
}

/** A desktop notification for a critical alert that fires; warnings only show in the app. */
export function notifyCritical(alert: AlertView): void {
  if (alert.severity !== 'critical' || alert.state !== 'firing' || alert.acknowledgedAt) return;
  if (notifyState() === 'granted') {
    new Notification(`Critical: ${alert.ruleName}`, { body: alert.message, tag: alert.id });
  } else if (notifyState() === 'default') {
    // The first critical alert is when the question makes sense to the operator.
    void askNotifyOnce().then((state) => {
      if (state === 'granted') new Notification(`Critical: ${alert.ruleName}`, { body: alert.message, tag: alert.id });
    });
  }
}

/** Pushed alert events: the badge's count, the list, and the desktop notification. */
export function startAlertEvents(): () => void {
  return transport.subscribe((event) => {
    if (event.type !== 'alerts') return;
    useAlerts.getState().apply(event.profileId, event.alert, event.firing);
    notifyCritical(event.alert);
  });
}
