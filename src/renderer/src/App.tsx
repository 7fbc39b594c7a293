import { useEffect } from 'react';
import { startAuditWarnings } from './app/audit-warnings';
import { startLiveEvents } from './app/live-events';
import { PAGES, pageById, type PageId } from './app/registry';
import { useUi } from './app/ui-store';
import { AuditWarnings } from './components/AuditWarnings';
import { EnvBadge, StatusPill } from './components/Badges';
import { NoConnection } from './components/NoConnection';
import { isLive, useConnections } from './features/connections/connections-store';
import { ProfileSwitcher } from './features/connections/ProfileSwitcher';
import { useProfiles } from './features/connections/profiles-store';
import { useActiveConnection } from './features/connections/use-active-connection';
import { useHealth } from './features/overview/health-store';

function CurrentPage({ id }: { id: PageId }) {
  const { live, profile, status } = useActiveConnection();
  const profiles = useProfiles((s) => s.profiles);
  const statuses = useConnections((s) => s.statuses);
  const setActive = useConnections((s) => s.setActive);
  const page = pageById(id);
  if (!page.needsConnection) return <page.component />;
  if (live) return <page.component connection={live} />;
  const others = profiles.filter((p) => p.id !== profile?.id && isLive(statuses[p.id]));
  return (
    <NoConnection
      hint={page.offline}
      profileName={profile?.name}
      state={status?.state}
      reason={status?.reason}
      others={others}
      onView={setActive}
    />
  );
}

export function App() {
  const page = useUi((s) => s.page);
  const go = useUi((s) => s.go);
  const { profile, status, live } = useActiveConnection();

  useEffect(() => {
    const stop = startLiveEvents();
    const stopWarnings = startAuditWarnings();
    void useProfiles.getState().load();
    void useConnections.getState().load();
    void useHealth.getState().loadThresholds();
    return () => {
      stop();
      stopWarnings();
    };
  }, []);

  const production = live?.profile.environment === 'production';
  return (
    <div className={`app${production ? ' is-production' : ''}`}>
      {live && production && (
        <div className="prod-banner" role="alert" data-testid="production-banner">
          PRODUCTION — {live.profile.name}
          {live.profile.readOnly ? ' · read-only' : ' · destructive actions need typed confirmation'}
        </div>
      )}
      <div className="shell">
        <nav className="sidebar" aria-label="Pages">
          <div className="brand">
            <span className="logo">◆</span> Swarmdeck
          </div>
          {PAGES.map((item) => (
            <button
              type="button"
              key={item.id}
              className={`nav-item${page === item.id ? ' active' : ''}`}
              onClick={() => go(item.id)}
              aria-current={page === item.id ? 'page' : undefined}
            >
              <span className="nav-icon">{item.icon}</span>
              {item.title}
              {item.NavBadge && <item.NavBadge />}
            </button>
          ))}
        </nav>
        <div className="main">
          <header className="topbar">
            <ProfileSwitcher />
            {profile && <EnvBadge environment={profile.environment} />}
            {profile && <StatusPill status={status} />}
          </header>
          <CurrentPage id={page} />
        </div>
      </div>
      <AuditWarnings />
    </div>
  );
}
