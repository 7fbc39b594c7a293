import { useConnections } from '../connections/connections-store';
import { useHealth } from './health-store';

/** The active connection's open alerts, on the Overview nav item. */
export function AlertBadge() {
  const activeId = useConnections((s) => s.activeId);
  const alertCount = useHealth((s) => (activeId ? (s.latest[activeId]?.alerts.length ?? 0) : 0));
  return alertCount > 0 ? (
    <span className="nav-badge" data-testid="alert-badge">
      {alertCount}
    </span>
  ) : null;
}
