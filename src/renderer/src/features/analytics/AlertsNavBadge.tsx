import { useEffect } from 'react';
import { useConnections } from '../connections/connections-store';
import { useAlerts } from './alerts-store';

/** Firing alerts of the connection in view, on the Analytics nav item (pushed alert events reach it through `app/live-events.ts`). */
export function AlertsNavBadge() {
  const activeId = useConnections((s) => s.activeId);
  const firing = useAlerts((s) => (activeId ? (s.firing[activeId] ?? 0) : 0));
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
