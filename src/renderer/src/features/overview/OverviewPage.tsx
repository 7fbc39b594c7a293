import { describeTopology } from '../../../../shared/model/profile';
import type { LiveConnection } from '../../app/page';
import { EnvBadge, StatusPill } from '../../components/Badges';
import { useConnections } from '../connections/connections-store';
import { AlertsPanel } from './AlertsPanel';
import { useHealth } from './health-store';
import { LatencyChart } from './LatencyChart';
import { NodeTable } from './NodeTable';
import { OverviewKpis } from './OverviewKpis';
import { OwnDataPanel } from './OwnDataPanel';

export function OverviewPage({ connection: { profileId, profile } }: { connection: LiveConnection }) {
  const status = useConnections((s) => s.statuses[profileId]);
  const snapshot = useHealth((s) => s.latest[profileId]);
  const history = useHealth((s) => s.history[profileId]);
  const thresholds = useHealth((s) => s.thresholds);

  return (
    <div className="page overview-page">
      <header className="page-head">
        <div>
          <h2>
            <EnvBadge environment={profile.environment} /> {profile.name}
          </h2>
          <div className="muted mono">
            {describeTopology(profile.topology)} · prefix <code>{profile.keyPrefix}</code>
            {profile.readOnly ? ' · read-only' : ''}
          </div>
        </div>
        <StatusPill status={status} />
      </header>
      {status?.state === 'reconnecting' && <div className="notice notice-error">Reconnecting: {status.reason ?? 'connection lost'}</div>}

      <OverviewKpis snapshot={snapshot} thresholds={thresholds} />

      <div className="overview-grid">
        <section className="panel chart-panel">
          <header className="panel-head">
            <h3>Latency and throughput</h3>
            <span className="muted">live, last 10 minutes</span>
          </header>
          <LatencyChart points={history ?? []} warnMs={thresholds?.latencyWarnMs} />
        </section>
        <AlertsPanel alerts={snapshot?.alerts ?? []} />
      </div>

      <section className="panel">
        <header className="panel-head">
          <h3>
            Nodes <span className="count">{snapshot?.nodes.length ?? 0}</span>
          </h3>
          <span className="muted">{snapshot ? `updated ${new Date(snapshot.at).toLocaleTimeString()}` : 'sampling…'}</span>
        </header>
        {snapshot ? <NodeTable nodes={snapshot.nodes} /> : <p className="muted">Collecting the first sample…</p>}
      </section>

      <OwnDataPanel profileId={profileId} />
    </div>
  );
}
