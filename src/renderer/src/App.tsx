import { useEffect } from 'react';
import { EnvBadge, StatusPill } from './components/Badges';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { OverviewPage } from './pages/OverviewPage';
import { SwarmsPage } from './pages/SwarmsPage';
import { TasksPage } from './pages/TasksPage';
import { isLive, useConnections } from './stores/connections-store';
import { useHealth } from './stores/health-store';
import { startLiveEvents } from './stores/live-events';
import { useProfiles } from './stores/profiles-store';
import { useUi, type Page } from './stores/ui-store';

const NAV: { page: Page; label: string; icon: string }[] = [
  { page: 'connections', label: 'Connections', icon: '⌁' },
  { page: 'overview', label: 'Overview', icon: '◉' },
  { page: 'swarms', label: 'Swarms', icon: '⬡' },
  { page: 'tasks', label: 'Tasks', icon: '☰' },
];

function ProfileSwitcher() {
  const profiles = useProfiles((s) => s.profiles);
  const statuses = useConnections((s) => s.statuses);
  const activeId = useConnections((s) => s.activeId);
  const setActive = useConnections((s) => s.setActive);
  const live = profiles.filter((p) => isLive(statuses[p.id]));
  if (live.length === 0) return <span className="muted">no connection</span>;
  return (
    <select className="switcher" value={activeId ?? ''} onChange={(e) => setActive(e.target.value)} aria-label="Active connection">
      {!activeId && <option value="">choose a connection</option>}
      {live.map((p) => (
        <option key={p.id} value={p.id}>{`${p.name} (${p.environment})`}</option>
      ))}
    </select>
  );
}

export function App() {
  const page = useUi((s) => s.page);
  const go = useUi((s) => s.go);
  const activeId = useConnections((s) => s.activeId);
  const status = useConnections((s) => (s.activeId ? s.statuses[s.activeId] : undefined));
  const profile = useProfiles((s) => s.profiles.find((p) => p.id === activeId));
  const alertCount = useHealth((s) => (activeId ? s.latest[activeId]?.alerts.length ?? 0 : 0));

  useEffect(() => {
    const stop = startLiveEvents();
    void useProfiles.getState().load();
    void useConnections.getState().load();
    void useHealth.getState().loadThresholds();
    return stop;
  }, []);

  const production = profile?.environment === 'production' && isLive(status);
  return (
    <div className={`app${production ? ' is-production' : ''}`}>
      {production && (
        <div className="prod-banner" role="alert" data-testid="production-banner">
          PRODUCTION — {profile.name}{profile.readOnly ? ' · read-only' : ' · destructive actions need typed confirmation'}
        </div>
      )}
      <div className="shell">
        <nav className="sidebar" aria-label="Pages">
          <div className="brand">
            <span className="logo">◆</span> Swarmdeck
          </div>
          {NAV.map((item) => (
            <button type="button" key={item.page} className={`nav-item${page === item.page ? ' active' : ''}`} onClick={() => go(item.page)} aria-current={page === item.page ? 'page' : undefined}>
              <span className="nav-icon">{item.icon}</span>
              {item.label}
              {item.page === 'overview' && alertCount > 0 && <span className="nav-badge" data-testid="alert-badge">{alertCount}</span>}
            </button>
          ))}
        </nav>
        <div className="main">
          <header className="topbar">
            <ProfileSwitcher />
            {profile && <EnvBadge environment={profile.environment} />}
            {profile && <StatusPill status={status} />}
          </header>
          {page === 'connections' ? <ConnectionsPage /> : page === 'overview' ? <OverviewPage /> : page === 'swarms' ? <SwarmsPage /> : <TasksPage />}
        </div>
      </div>
    </div>
  );
}
