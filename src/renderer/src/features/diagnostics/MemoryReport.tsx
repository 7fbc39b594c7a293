import type { BigKey, MemoryAnalysis } from '../../../../shared/model/diagnostics';
import { useUi } from '../../app/ui-store';
import { formatBytes } from '../../components/format';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { useConsole } from '../console/console-store';

const number = new Intl.NumberFormat('en');

/** A key as the console reads it back: quoted with escapes when it is not one plain word. */
export function quoteKey(key: string): string {
  return /^[^\s"'\\]+$/.test(key)
    ? key
    : `"${key
        .replace(/[\\"]/g, (c) => `\\${c}`)
        .replace(/\n/g, '\\n')
        .replace(/\r/g, '\\r')
        .replace(/\t/g, '\\t')}"`;
}

/** Opens a key in the Console with the two commands that say what it is and what it costs. */
function openInConsole(key: BigKey): void {
  const k = quoteKey(key.key);
  useConsole.getState().fill(`TYPE ${k}\nMEMORY USAGE ${k}`);
  useUi.getState().go('console');
}

const bigKeyColumns: Column<BigKey>[] = [
  {
    key: 'key',
    label: 'Key',
    width: 'minmax(220px, 2fr)',
    render: (k) => <code>{k.key}</code>,
    compare: (a, b) => a.key.localeCompare(b.key),
  },
  { key: 'type', label: 'Type', width: '90px', render: (k) => k.type, compare: (a, b) => a.type.localeCompare(b.type) },
  {
    key: 'size',
    label: 'Size',
    width: '140px',
    render: (k) => `${number.format(k.size)} ${k.sizeUnit}`,
    compare: (a, b) => a.size - b.size,
    className: 'num',
  },
  {
    key: 'memory',
    label: 'Memory',
    width: '110px',
    render: (k) => formatBytes(k.memoryBytes),
    compare: (a, b) => a.memoryBytes - b.memoryBytes,
    className: 'num',
  },
  { key: 'node', label: 'Node', width: '150px', render: (k) => <span className="mono muted">{k.node}</span> },
  { key: 'open', label: '', width: '96px', render: () => <span className="link">Open in console →</span> },
];

function Bars({
  rows,
  value,
  label,
}: {
  rows: MemoryAnalysis['namespaces'];
  value(n: MemoryAnalysis['namespaces'][number]): number;
  label(v: number): string;
}) {
  const max = Math.max(1, ...rows.map(value));
  return (
    <div className="ns-bars">
      {rows.map((n) => (
        <div
          key={n.namespace}
          className="bar-row"
          title={`${n.namespace}: ${number.format(n.keys)} keys, ${formatBytes(n.bytes)}, ${number.format(n.withoutTtl)} without TTL`}
        >
          <code>{n.namespace || '(no namespace)'}</code>
          <div className="bar">
            <i style={{ width: `${(value(n) / max) * 100}%` }} />
          </div>
          <span className="num">{label(value(n))}</span>
        </div>
      ))}
    </div>
  );
}

export function MemoryReport({ memory }: { memory: MemoryAnalysis }) {
  const top = [...memory.namespaces].sort((a, b) => b.bytes - a.bytes).slice(0, 15);
  const most = [...memory.namespaces].sort((a, b) => b.keys - a.keys).slice(0, 15);
  return (
    <div className="memory-report" data-testid="memory-report">
      <ScanKpis memory={memory} />
      <div className="charts-2">
        <section className="panel">
          <header className="panel-head">
            <h3>Memory by namespace</h3>
            <span className="muted">top {top.length}</span>
          </header>
          <Bars rows={top} value={(n) => n.bytes} label={formatBytes} />
        </section>
        <section className="panel">
          <header className="panel-head">
            <h3>Keys by namespace</h3>
            <span className="muted">top {most.length}</span>
          </header>
          <Bars rows={most} value={(n) => n.keys} label={(v) => number.format(v)} />
        </section>
      </div>
      <section className="panel">
        <header className="panel-head">
          <h3>Big keys</h3>
          <span className="muted">{memory.bigKeys.length} above their type's threshold · click one to open it in the Console</span>
        </header>
        <VirtualTable
          rows={memory.bigKeys}
          columns={bigKeyColumns}
          rowKey={(k) => `${k.node}/${k.key}`}
          height={Math.min(330, Math.max(60, memory.bigKeys.length * 30 + 4))}
          label="big keys"
          testId="big-keys"
          onRowClick={openInConsole}
          initialSort={{ key: 'memory', descending: true }}
          empty="No key above its type's threshold."
        />
      </section>
      <div className="charts-2">
        <BiggestPerType memory={memory} />
        <TtlBuckets ttl={memory.ttl} />
      </div>
    </div>
  );
}

/** How much the scan read, how fast, within which budget and from where. */
function ScanKpis({ memory }: { memory: MemoryAnalysis }) {
  return (
    <div className="kpis kpis-5">
      <div className="kpi">
        <div className="kpi-label">Keys scanned</div>
        <div className="kpi-value">{number.format(memory.keysScanned)}</div>
      </div>
      <div className="kpi">
        <div className="kpi-label">Scan rate</div>
        <div className="kpi-value">{number.format(Math.round(memory.keysPerSecond))}/s</div>
      </div>
      <div className="kpi">
        <div className="kpi-label">Budget</div>
        <div className="kpi-value">{number.format(memory.opsPerSecondBudget)} ops/s</div>
      </div>
      <div className="kpi">
        <div className="kpi-label">From</div>
        <div className="kpi-value">
          {memory.scannedFrom} · {memory.nodes.length} node{memory.nodes.length === 1 ? '' : 's'}
        </div>
      </div>
      {memory.partial && (
        <div className="kpi kpi-warn">
          <div className="kpi-label">Partial</div>
          <div className="kpi-value">stopped early</div>
        </div>
      )}
    </div>
  );
}

/** The biggest key of each type by element count and by memory, as redis-cli ranks them. */
function BiggestPerType({ memory }: { memory: MemoryAnalysis }) {
  return (
    <section className="panel">
      <header className="panel-head">
        <h3>Biggest key per type</h3>
        <span className="muted">as redis-cli --bigkeys / --memkeys rank them</span>
      </header>
      <table className="data-table">
        <thead>
          <tr>
            <th>Type</th>
            <th>By size</th>
            <th>By memory</th>
          </tr>
        </thead>
        <tbody>
          {Object.keys({ ...memory.biggestBySize, ...memory.biggestByMemory })
            .sort()
            .map((t) => (
              <tr key={t}>
                <td>{t}</td>
                <td>
                  {memory.biggestBySize[t] ? (
                    <>
                      <code>{memory.biggestBySize[t].key}</code>{' '}
                      <span className="muted">
                        {number.format(memory.biggestBySize[t].size)} {memory.biggestBySize[t].sizeUnit}
                      </span>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  {memory.biggestByMemory[t] ? (
                    <>
                      <code>{memory.biggestByMemory[t].key}</code>{' '}
                      <span className="muted">{formatBytes(memory.biggestByMemory[t].memoryBytes)}</span>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}

/** How many keys expire within each bucket of time, and how many never do. */
function TtlBuckets({ ttl }: { ttl: MemoryAnalysis['ttl'] }) {
  const ttlMax = Math.max(1, ...ttl.map((t) => t.keys));
  return (
    <section className="panel">
      <header className="panel-head">
        <h3>Time to live</h3>
      </header>
      {ttl.map((t) => (
        <div key={t.bucket} className="bar-row">
          <span>{t.bucket}</span>
          <div className="bar">
            <i style={{ width: `${(t.keys / ttlMax) * 100}%` }} />
          </div>
          <span className="num">{number.format(t.keys)}</span>
        </div>
      ))}
    </section>
  );
}
