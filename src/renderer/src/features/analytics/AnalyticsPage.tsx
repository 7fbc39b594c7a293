import { useState } from 'react';
import type { LiveConnection } from '../../app/page';
import { RecordingOffNotice } from '../overview/OwnDataPanel';
import { AlertsView } from './AlertsView';
import { useAlerts } from './alerts-store';
import { SeriesView } from './SeriesView';
import { useSeriesAnalytics } from './use-series-analytics';

type Tab = 'series' | 'alerts';

function AnalyticsHeader({ profileName, tab, onTab, firing }: { profileName: string; tab: Tab; onTab(tab: Tab): void; firing: number }) {
  const tabButton = (id: Tab, label: string) => (
    <button type="button" role="tab" className={tab === id ? 'active' : ''} aria-selected={tab === id} onClick={() => onTab(id)}>
      {label}
    </button>
  );
  return (
    <header className="page-head">
      <div>
        <h2>Analytics</h2>
        <div className="muted">Recorded series of {profileName}: trends, anomalies against the expected band, bottlenecks and alerts.</div>
      </div>
      <div className="segmented" role="tablist">
        {tabButton('series', 'Series')}
        {tabButton('alerts', `Alerts${firing > 0 ? ` (${firing})` : ''}`)}
      </div>
    </header>
  );
}

export function AnalyticsPage({ connection: { profileId, profile } }: { connection: LiveConnection }) {
  const [tab, setTab] = useState<Tab>('series');
  const firing = useAlerts((s) => s.firing[profileId] ?? 0);
  // Held here, not in the Series tab: its choices and polls carry on while the Alerts tab is open.
  const analytics = useSeriesAnalytics(profileId);
  return (
    <div className="page analytics-page">
      <AnalyticsHeader profileName={profile.name} tab={tab} onTab={setTab} firing={firing} />
      <RecordingOffNotice profile={profile} />
      {tab === 'alerts' ? (
        <AlertsView profileId={profileId} profile={profile} />
      ) : (
        <SeriesView profileId={profileId} profileName={profile.name} analytics={analytics} />
      )}
    </div>
  );
}
