import type { MonitorLine } from '../../../../shared/model/console';
import { VirtualTable, type Column } from '../../components/VirtualTable';

const columns: Column<MonitorLine>[] = [
  {
    key: 'time',
    label: 'Time',
    width: '120px',
    render: (l) => new Date(l.time * 1000).toISOString().slice(11, 23),
    compare: (a, b) => a.time - b.time,
    className: 'mono muted',
  },
  { key: 'node', label: 'Node', width: '140px', render: (l) => l.node, compare: (a, b) => a.node.localeCompare(b.node), className: 'mono' },
  { key: 'client', label: 'Client', width: '150px', render: (l) => `${l.db} ${l.client}`, className: 'mono muted' },
  {
    key: 'cmd',
    label: 'Command',
    width: 'minmax(300px, 1fr)',
    render: (l) => (
      <code>
        <b>{l.argv[0]}</b> {l.argv.slice(1).join(' ')}
      </code>
    ),
  },
];

interface Props {
  shown: MonitorLine[];
  filter: string;
  setFilter(text: string): void;
}

/** Every command the window kept, newest first, filtered by text. */
export function MonitoredCommands({ shown, filter, setFilter }: Props) {
  return (
    <section className="panel">
      <header className="panel-head">
        <h3>Commands</h3>
        <input
          className="input"
          type="search"
          placeholder="Filter what was seen"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          aria-label="filter commands"
        />
        <span className="muted">{shown.length.toLocaleString('en')} shown</span>
      </header>
      <VirtualTable
        rows={shown}
        columns={columns}
        rowKey={(l) => String(l.seq)}
        height={360}
        rowHeight={26}
        label="monitored commands"
        initialSort={{ key: 'time', descending: true }}
        empty="Waiting for commands…"
      />
    </section>
  );
}
