import type { HealthSnapshot, Thresholds } from '../../../../shared/model/health';
import { formatBytes, formatMs } from '../../components/format';
import { liveSum } from './health-store';

function Kpi({ label, value, sub, tone }: { label: string; value: string; sub?: string; tone?: 'ok' | 'warn' | 'bad' }) {
  return (
    <div className={`kpi${tone ? ` kpi-${tone}` : ''}`}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {sub && <div className="kpi-sub">{sub}</div>}
    </div>
  );
}

/** The six figures at the top of the overview, toned against the alert thresholds. */
export function OverviewKpis({ snapshot, thresholds }: { snapshot: HealthSnapshot | undefined; thresholds: Thresholds | undefined }) {
  const masters = snapshot?.nodes.filter((n) => n.role === 'master').length ?? 0;
  const replicas = snapshot?.nodes.filter((n) => n.role === 'replica').length ?? 0;
  const down = snapshot?.nodes.filter((n) => n.link !== 'connected').length ?? 0;
  const ops = liveSum(snapshot, (n) => n.opsPerSec);
  const clients = liveSum(snapshot, (n) => n.connectedClients);
  const unread = snapshot?.memory.unreadNodes ?? 0;
  // Sums over the nodes read this time; the ones left out are said, not counted as zero.
  const partial = unread > 0 ? `${unread} node${unread === 1 ? '' : 's'} not read` : undefined;
  const allUnread = snapshot !== undefined && unread === snapshot.nodes.length;
  const memRatio = snapshot?.memory.usedRatio;
  const clusterOk = snapshot?.clusterState === undefined || snapshot.clusterState === 'ok';
  return (
    <div className="kpis">
      <Kpi
        label={snapshot?.topology === 'cluster' ? 'Cluster state' : 'Topology'}
        value={snapshot?.topology === 'cluster' ? (snapshot.clusterState ?? '…') : 'standalone'}
        sub={
          snapshot
            ? `${masters} master${masters === 1 ? '' : 's'}, ${replicas} replica${replicas === 1 ? '' : 's'}${down ? `, ${down} down` : ''}`
            : 'sampling…'
        }
        tone={clusterOk && down === 0 ? 'ok' : 'bad'}
      />
      <Kpi
        label="PING p50 (1 min)"
        value={formatMs(snapshot?.latency.p50Ms)}
        sub={`p99 ${formatMs(snapshot?.latency.p99Ms)} · ${snapshot?.latency.samples ?? 0} samples`}
        tone={thresholds && (snapshot?.latency.p99Ms ?? 0) > thresholds.latencyWarnMs ? 'warn' : undefined}
      />
      <Kpi
        label="Memory"
        value={allUnread ? '—' : formatBytes(snapshot?.memory.used)}
        sub={
          partial
            ? `${partial}`
            : snapshot?.memory.max
              ? `${Math.round((memRatio ?? 0) * 100)} % of ${formatBytes(snapshot.memory.max)}`
              : 'no maxmemory limit'
        }
        tone={
          memRatio === undefined || !thresholds
            ? undefined
            : memRatio >= thresholds.memoryCritRatio
              ? 'bad'
              : memRatio >= thresholds.memoryWarnRatio
                ? 'warn'
                : 'ok'
        }
      />
      <Kpi label="Throughput" value={ops === undefined ? '—' : `${ops.toLocaleString()} ops/s`} sub={partial ?? 'sum over nodes'} />
      <Kpi label="Clients" value={clients === undefined ? '—' : clients.toLocaleString()} sub={partial ?? 'connected, all nodes'} />
      <Kpi
        label="Alerts"
        value={String(snapshot?.alerts.length ?? 0)}
        sub={snapshot?.alerts.some((a) => a.severity === 'critical') ? 'critical' : snapshot?.alerts.length ? 'warning' : 'none'}
        tone={snapshot?.alerts.length ? (snapshot.alerts.some((a) => a.severity === 'critical') ? 'bad' : 'warn') : 'ok'}
      />
    </div>
  );
}
