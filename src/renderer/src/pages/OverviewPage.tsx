import { describeTopology } from '../../../shared/model/profile';
import { AlertsPanel } from '../components/AlertsPanel';
import { EnvBadge, StatusPill } from '../components/Badges';
import { formatBytes, formatMs } from '../components/format';
import { LatencyChart } from '../components/LatencyChart';
import { NodeTable } from '../components/NodeTable';
import { isLive, useConnections } from '../stores/connections-store';
import { useHealth } from '../stores/health-store';
import { useProfiles } from '../stores/profiles-store';
import { useUi } from '../stores/ui-store';

function Kpi({ label, value, sub, tone }: { label: string; value: string; sub?: string; tone?: 'ok' | 'warn' | 'bad' }) {
  return (
    <div className={`kpi${tone ? ` kpi-${tone}` : ''}`}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {sub && <div className="kpi-sub">{sub}</div>}
    </div>
  );
}

export function OverviewPage() {
  const activeId = useConnections((s) => s.activeId);
  const status = useConnections((s) => (s.activeId ? s.statuses[s.activeId] : undefined));
  const profile = useProfiles((s) => s.profiles.find((p) => p.id === activeId));
  const snapshot = useHealth((s) => (activeId ? s.latest[activeId] : undefined));
  const history = useHealth((s) => (activeId ? s.history[activeId] : undefined));
  const thresholds = useHealth((s) => s.thresholds);
  const go = useUi((s) => s.go);

  if (!profile || !isLive(status)) {
    return (
      <div className="page empty-page">
        <h2>No live connection</h2>
        <p className="muted">Connect a profile to see its nodes, latency, memory and alerts.</p>
        <button type="button" className="btn btn-primary" onClick={() => go('connections')}>Go to connections</button>
      </div>
    );
  }

  const masters = snapshot?.nodes.filter((n) => n.role === 'master').length ?? 0;
  const replicas = snapshot?.nodes.filter((n) => n.role === 'replica').length ?? 0;
  const down = snapshot?.nodes.filter((n) => n.link !== 'connected').length ?? 0;
  const ops = snapshot?.nodes.reduce((s, n) => s + (n.opsPerSec ?? 0), 0) ?? 0;
  const clients = snapshot?.nodes.reduce((s, n) => s + (n.connectedClients ?? 0), 0) ?? 0;
  const memRatio = snapshot?.memory.usedRatio;
  const clusterOk = snapshot?.clusterState === undefined || snapshot.clusterState === 'ok';

  return (
    <div className="page overview-page">
      <header className="page-head">
        <div>
          <h2>
            <EnvBadge environment={profile.environment} /> {profile.name}
          </h2>
          <div className="muted mono">{describeTopology(profile.topology)} · prefix <code>{profile.keyPrefix}</code>{profile.readOnly ? ' · read-only' : ''}</div>
        </div>
        <StatusPill status={status} />
      </header>
      {status?.state === 'reconnecting' && <div className="notice notice-error">Reconnecting: {status.reason ?? 'connection lost'}</div>}

      <div className="kpis">
        <Kpi
          label={snapshot?.topology === 'cluster' ? 'Cluster state' : 'Topology'}
          value={snapshot?.topology === 'cluster' ? snapshot.clusterState ?? '…' : 'standalone'}
          sub={snapshot ? `${masters} master${masters === 1 ? '' : 's'}, ${replicas} replica${replicas === 1 ? '' : 's'}${down ? `, ${down} down` : ''}` : 'sampling…'}
          tone={clusterOk && down === 0 ? 'ok' : 'bad'}
        />
        <Kpi label="PING p50 (1 min)" value={formatMs(snapshot?.latency.p50Ms)} sub={`p99 ${formatMs(snapshot?.latency.p99Ms)} · ${snapshot?.latency.samples ?? 0} samples`} tone={thresholds && (snapshot?.latency.p99Ms ?? 0) > thresholds.latencyWarnMs ? 'warn' : undefined} />
        <Kpi
          label="Memory"
          value={formatBytes(snapshot?.memory.used)}
          sub={snapshot?.memory.max ? `${Math.round((memRatio ?? 0) * 100)} % of ${formatBytes(snapshot.memory.max)}` : 'no maxmemory limit'}
          tone={memRatio === undefined || !thresholds ? undefined : memRatio >= thresholds.memoryCritRatio ? 'bad' : memRatio >= thresholds.memoryWarnRatio ? 'warn' : 'ok'}
        />
        <Kpi label="Throughput" value={`${ops.toLocaleString()} ops/s`} sub="sum over nodes" />
        <Kpi label="Clients" value={clients.toLocaleString()} sub="connected, all nodes" />
        <Kpi label="Alerts" value={String(snapshot?.alerts.length ?? 0)} sub={snapshot?.alerts.some((a) => a.severity === 'critical') ? 'critical' : snapshot?.alerts.length ? 'warning' : 'none'} tone={snapshot?.alerts.length ? (snapshot.alerts.some((a) => a.severity === 'critical') ? 'bad' : 'warn') : 'ok'} />
      </div>

      <div className="overview-grid">
        <section className="panel chart-panel">
          <header className="panel-head"><h3>Latency and throughput</h3><span className="muted">live, last 10 minutes</span></header>
          <LatencyChart points={history ?? []} warnMs={thresholds?.latencyWarnMs} />
        </section>
        <AlertsPanel alerts={snapshot?.alerts ?? []} />
      </div>

      <section className="panel">
        <header className="panel-head">
          <h3>Nodes <span className="count">{snapshot?.nodes.length ?? 0}</span></h3>
          <span className="muted">{snapshot ? `updated ${new Date(snapshot.at).toLocaleTimeString()}` : 'sampling…'}</span>
        </header>
        {snapshot ? <NodeTable nodes={snapshot.nodes} /> : <p className="muted">Collecting the first sample…</p>}
      </section>
    </div>
  );
}
