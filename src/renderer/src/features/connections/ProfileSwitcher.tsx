import { ReadOnlyBadge } from '../../components/Badges';
import { isLive, useConnections } from './connections-store';
import { useProfiles } from './profiles-store';

/** Which of the live connections the pages are about, and whether it is read-only. */
export function ProfileSwitcher() {
  const profiles = useProfiles((s) => s.profiles);
  const statuses = useConnections((s) => s.statuses);
  const activeId = useConnections((s) => s.activeId);
  const setActive = useConnections((s) => s.setActive);
  const live = profiles.filter((p) => isLive(statuses[p.id]));
  const active = live.find((p) => p.id === activeId);
  if (live.length === 0) return <span className="muted">no connection</span>;
  // The badge sits between the switcher and the top bar's environment badge.
  return (
    <>
      <select className="switcher" value={activeId ?? ''} onChange={(e) => setActive(e.target.value)} aria-label="Active connection">
        {!activeId && <option value="">choose a connection</option>}
        {live.map((p) => (
          <option key={p.id} value={p.id}>{`${p.name} (${p.environment})`}</option>
        ))}
      </select>
      {active?.readOnly && <ReadOnlyBadge />}
    </>
  );
}
