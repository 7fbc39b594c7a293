import { useEffect } from 'react';
import { useConnections } from '../connections/connections-store';
import { startAlertEvents, useAlerts } from './alerts-store';

/**
 * Firing alerts of the connection in view, on the Analytics nav item. The nav is always
 * mounted, so this is where alert events are heard — and critical ones notified — whichever
 * page is open.
 */
export function AlertsNavBadge() {
  const activeId = useConnections((s) => s.activeId);
  const firing = useAlerts((s) => (activeId ? (s.firing[activeId] ?? 0) : 0));
  useEffect(() => startAlertEvents(), []);
  useEffect(() => {
    if (activeId)
      void useAlerts
        .getState()
        .load(activeId)
        .catch(() => undefined);
  }, [activeId]);
  return firing > 0 ? (
    <span className="nav-badge" data-testid="alerts-badge" title={`${firing} alert${firing === 1 ? '' : 's'} firing`}>
      {firing}
    </span>
  ) : null;
}
