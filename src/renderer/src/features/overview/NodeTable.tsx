import { significantFragmentation } from '../../../../shared/fragmentation';
import type { NodeHealth } from '../../../../shared/model/health';
import { formatAge, formatBytes, formatMs } from '../../components/format';

function MemoryBar({ node }: { node: NodeHealth }) {
  const ratio = node.maxMemory ? (node.usedMemory ?? 0) / node.maxMemory : undefined;
  const level = ratio === undefined ? '' : ratio >= 0.9 ? 'crit' : ratio >= 0.8 ? 'warn' : '';
  return (
    <div className="membar" title={ratio === undefined ? 'no maxmemory set' : `${Math.round(ratio * 100)} % of maxmemory`}>
      <span>
        {formatBytes(node.usedMemory)}
        {node.maxMemory ? ` / ${formatBytes(node.maxMemory)}` : ''}
      </span>
      {ratio !== undefined && (
        <div className="membar-track">
          <div className={`membar-fill ${level}`} style={{ width: `${Math.min(100, ratio * 100)}%` }} />
        </div>
      )}
    </div>
  );
}

export function NodeTable({ nodes }: { nodes: NodeHealth[] }) {
  return (
    <table className="data-table" data-testid="node-table">
      <thead>
        <tr>
          <th>Node</th>
          <th>Role</th>
          <th>Slots</th>
          <th>Link</th>
          <th className="num">Repl. lag</th>
          <th>Memory</th>
          <th className="num">Frag.</th>
          <th className="num">ops/s</th>
          <th className="num">Clients</th>
          <th className="num">p50</th>
          <th className="num">p99</th>
        </tr>
      </thead>
      <tbody>
        {nodes.map((n) => (
          <tr
            key={n.address}
            className={`${n.link === 'connected' ? '' : 'row-bad'}${n.stale ? ' row-stale' : ''}`}
            data-role={n.role}
            title={
              n.stale
                ? n.lastSeen
                  ? `Not read now: grey figures are from ${formatAge(n.lastSeen)} ago`
                  : 'Never read: no figures'
                : undefined
            }
          >
            <td className="mono">
              {n.address}
              {n.masterAddress && <div className="sub">↳ replica of {n.masterAddress}</div>}
            </td>
            <td>
              <span className={`role role-${n.role}`}>{n.role}</span>
            </td>
            <td className="mono slots">
              {n.slots.length ? (
                <>
                  {n.slots.join(' ')}
                  <div className="sub">{n.slotCount} slots</div>
                </>
              ) : (
                '—'
              )}
            </td>
            <td>
              <span className={`link link-${n.link === 'connected' ? 'ok' : 'bad'}`}>{n.link}</span>
              {n.stale && (
                <div className="sub" data-testid="node-last-seen">
                  {n.lastSeen ? `last read ${formatAge(n.lastSeen)} ago` : 'never read'}
                </div>
              )}
            </td>
            <td className="num">{n.replicationLagBytes === undefined ? '—' : formatBytes(n.replicationLagBytes)}</td>
            <td>
              <MemoryBar node={n} />
            </td>
            <td
              className={`num${significantFragmentation(n) ? ' warn-text' : ''}`}
              title={`dataset ${formatBytes(n.datasetMemory)}, RSS ${formatBytes(n.rssMemory)}: flagged only when the waste matters against the dataset`}
            >
              {n.fragmentation?.toFixed(2) ?? '—'}
            </td>
            <td className="num">{n.opsPerSec ?? '—'}</td>
            <td className="num">{n.connectedClients ?? '—'}</td>
            <td className="num">{formatMs(n.latency.p50Ms)}</td>
            <td className="num">{formatMs(n.latency.p99Ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
