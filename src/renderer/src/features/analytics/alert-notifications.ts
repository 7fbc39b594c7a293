import type { AlertView } from '../../../../shared/model/metrics';

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
