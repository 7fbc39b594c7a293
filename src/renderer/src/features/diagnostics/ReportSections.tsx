import type { ClientsAnalysis, ConnectionStepReport, NodePerformance } from '../../../../shared/model/diagnostics';
import { formatBytes, formatMs } from '../../components/format';

const number = new Intl.NumberFormat('en');

export function ConnectionSteps({ steps }: { steps: ConnectionStepReport[] }) {
  return (
    <section className="panel">
      <header className="panel-head">
        <h3>Connection walk</h3>
        <span className="muted">each step as the client takes it</span>
      </header>
      <ol className="steps">
        {steps.map((s) => (
          <li key={s.step} className={s.ok ? 'ok' : 'failed'}>
            <span className="step-mark">{s.ok ? '✓' : '✗'}</span>
            <strong>{s.step}</strong>
            <span className="muted">{formatMs(s.ms)}</span>
            <span>{s.message}</span>
            {s.advice && <em className="advice">{s.advice}</em>}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function PerformanceNodes({ nodes }: { nodes: NodePerformance[] }) {
  return (
    <section className="panel">
      <header className="panel-head">
        <h3>Per node</h3>
      </header>
      <table className="data-table">
        <thead>
          <tr>
            <th>Node</th>
            <th>Role</th>
            <th>PING p50 / p99 / max</th>
            <th>Memory used</th>
            <th>Fragmentation</th>
            <th>Slow log</th>
            <th>Top command by time</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((n) => {
            const top = n.topCommands[0];
            return (
              <tr key={n.node}>
                <td className="mono">{n.node}</td>
                <td>{n.role}</td>
                <td className="mono">
                  {formatMs(n.ping.p50Ms)} / {formatMs(n.ping.p99Ms)} / {formatMs(n.ping.maxMs)}
                </td>
                <td>
                  {formatBytes(n.memory.usedBytes)}
                  {n.memory.maxmemory ? ` of ${formatBytes(n.memory.maxmemory)}` : ''}
                </td>
                <td>{n.memory.fragmentationRatio.toFixed(2)}</td>
                <td>
                  {n.slowlog.length
                    ? `${n.slowlog.length} · worst ${formatMs(Math.max(...n.slowlog.map((s) => s.durationUs)) / 1000)}`
                    : '—'}
                </td>
                <td>
                  {top ? (
                    <>
                      <code>{top.command}</code>{' '}
                      <span className="muted">
                        {number.format(top.calls)} calls · {top.usecPerCall.toFixed(1)} µs/call
                      </span>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function ClientsReport({ clients }: { clients: ClientsAnalysis }) {
  return (
    <div className="charts-2">
      <section className="panel">
        <header className="panel-head">
          <h3>Clients by name</h3>
          <span className="muted">{number.format(clients.total)} connected</span>
        </header>
        <table className="data-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Clients</th>
              <th>Longest idle</th>
              <th>Output buffers</th>
              <th>Commands</th>
            </tr>
          </thead>
          <tbody>
            {clients.byName.map((g) => (
              <tr key={g.group}>
                <td>
                  <code>{g.group || '(unnamed)'}</code>
                </td>
                <td className="num">{number.format(g.clients)}</td>
                <td className="num">{number.format(g.maxIdleSeconds)} s</td>
                <td className="num">{formatBytes(g.outputBufferBytes)}</td>
                <td className="muted">
                  {Object.entries(g.commands)
                    .sort((a, b) => b[1] - a[1])
                    .slice(0, 4)
                    .map(([c, n]) => `${c}×${n}`)
                    .join(' ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <header className="panel-head">
          <h3>Largest output buffers</h3>
        </header>
        <table className="data-table">
          <thead>
            <tr>
              <th>Client</th>
              <th>Address</th>
              <th>Buffer</th>
              <th>Last command</th>
              <th>Idle</th>
            </tr>
          </thead>
          <tbody>
            {clients.largestBuffers.map((c) => (
              <tr key={`${c.node}/${c.id}`}>
                <td>
                  <code>{c.name || c.id}</code>
                </td>
                <td className="mono">{c.addr}</td>
                <td className="num">{formatBytes(c.omem)}</td>
                <td>
                  <code>{c.cmd}</code>
                </td>
                <td className="num">{number.format(c.idle)} s</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
