import { useMemo, useState } from 'react';
import type { NodeReply, ReplyNode } from '../../../../shared/model/console';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import type { ResultView } from './console-store';
import { fanOutFields, replyJson, replyResp, replyRows, scalarText, type ReplyRow } from './reply-format';

const ROW = 28;
const tableHeight = (rows: number, max = 380): number => Math.min(max, Math.max(ROW * 2, rows * ROW + 4));

/** A value in a cell: binary shown escaped (hex on demand), nil and errors told apart from text. */
export function ValueCell({ node }: { node: ReplyNode }) {
  const [hex, setHex] = useState(false);
  if (node.type === 'binary') {
    return (
      <span className="reply-binary" title={`${node.bytes} bytes, not UTF-8`}>
        <button type="button" className="chip" onClick={() => setHex((h) => !h)} aria-label={hex ? 'show escaped' : 'show hex'}>
          {hex ? 'hex' : 'bin'}
        </button>
        <code>
          {hex ? node.hex : node.preview}
          {node.truncated ? '…' : ''}
        </code>
      </span>
    );
  }
  if (node.type === 'nil') return <span className="reply-nil">(nil)</span>;
  if (node.type === 'error') return <span className="reply-error">{node.message}</span>;
  if (node.type === 'integer') return <span className="reply-int">{node.value}</span>;
  return (
    <span className={node.type === 'string' ? 'reply-str' : 'reply-nested'}>
      {scalarText(node)}
      {node.type === 'string' && node.truncated ? '…' : ''}
    </span>
  );
}

function typeLabel(node: ReplyNode): string {
  if (node.type === 'array' || node.type === 'map') return `${node.type}(${node.length})`;
  if (node.type === 'string' || node.type === 'binary') return `${node.type}(${node.bytes})`;
  return node.type;
}

function ReplyTable({ reply, label, height }: { reply: ReplyNode; label: string; height?: number }) {
  const rows = useMemo(() => replyRows(reply), [reply]);
  const columns = useMemo(() => {
    const cols: Column<ReplyRow>[] = [
      { key: 'index', label: '#', width: '56px', render: (r) => r.index + 1, compare: (a, b) => a.index - b.index, className: 'muted num' },
    ];
    if (rows.some((r) => r.section))
      cols.push({
        key: 'section',
        label: 'Section',
        width: '120px',
        render: (r) => r.section,
        compare: (a, b) => (a.section ?? '').localeCompare(b.section ?? ''),
      });
    if (rows.some((r) => r.key !== undefined))
      cols.push({
        key: 'key',
        label: 'Field',
        width: 'minmax(140px, 1fr)',
        render: (r) => <code>{r.key}</code>,
        compare: (a, b) => (a.key ?? '').localeCompare(b.key ?? ''),
      });
    cols.push({
      key: 'value',
      label: 'Value',
      width: 'minmax(200px, 3fr)',
      render: (r) => <ValueCell node={r.value} />,
      compare: (a, b) => scalarText(a.value).localeCompare(scalarText(b.value), undefined, { numeric: true }),
    });
    cols.push({ key: 'type', label: 'Type', width: '120px', render: (r) => <span className="muted">{typeLabel(r.value)}</span> });
    return cols;
  }, [rows]);
  return (
    <VirtualTable
      rows={rows}
      columns={columns}
      rowKey={(r) => r.id}
      height={height ?? tableHeight(rows.length)}
      rowHeight={ROW}
      label={label}
      testId="reply-table"
    />
  );
}

export function ReplyView({ reply, view, label, height }: { reply: ReplyNode; view: ResultView; label: string; height?: number }) {
  if (view === 'json')
    return (
      <pre className="reply-text" data-testid="reply-json">
        {JSON.stringify(replyJson(reply), null, 2)}
      </pre>
    );
  if (view === 'raw')
    return (
      <pre className="reply-text" data-testid="reply-raw">
        {replyResp(reply)}
      </pre>
    );
  return <ReplyTable reply={reply} label={label} height={height} />;
}

/**
 * Counters differ on every node and say nothing by differing; a setting, a role or a version
 * that differs is what an operator looks for.
 */
const differs = (values: readonly string[]): boolean =>
  new Set(values).size > 1 && values.some((v) => v !== '' && !/^-?[\d.]+[KMGB%]?$/.test(v));

/** A field × node table for INFO-like fan-outs, so a value that differs between nodes stands out. */
function FanOutTable({ fields }: { fields: NonNullable<ReturnType<typeof fanOutFields>> }) {
  type Row = (typeof fields.rows)[number];
  const [filter, setFilter] = useState('');
  const rows = useMemo(
    () =>
      filter ? fields.rows.filter((r) => r.key.includes(filter) || r.section.toLowerCase().includes(filter.toLowerCase())) : fields.rows,
    [fields, filter],
  );
  const columns: Column<Row>[] = [
    {
      key: 'key',
      label: 'Field',
      width: 'minmax(170px, 1.5fr)',
      render: (r) => <code title={r.section}>{r.key}</code>,
      compare: (a, b) => a.key.localeCompare(b.key),
    },
    ...fields.nodes.map((node, i): Column<Row> => ({
      key: node,
      label: node,
      width: 'minmax(80px, 1fr)',
      render: (r) => <span className={differs(r.values) ? 'differs' : ''}>{r.values[i]}</span>,
      className: 'mono',
    })),
  ];
  return (
    <div className="fanout" data-testid="fanout-table" data-nodes={fields.nodes.length}>
      <div className="fanout-head">
        <span className="muted">
          {fields.nodes.length} nodes · {fields.rows.length} fields · settings that differ between nodes are highlighted
        </span>
        <input
          className="input input-small"
          placeholder="filter fields"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          aria-label="filter fields"
        />
      </div>
      <VirtualTable
        rows={rows}
        columns={columns}
        rowKey={(r) => r.id}
        height={tableHeight(rows.length, 420)}
        rowHeight={ROW}
        label="fan-out by node"
      />
    </div>
  );
}

/** One command's answer: one reply, or one per node side by side when it fanned out. */
export function RepliesView({ replies, view }: { replies: NodeReply[]; view: ResultView }) {
  const fields = useMemo(() => (replies.length > 1 && view === 'table' ? fanOutFields(replies) : undefined), [replies, view]);
  if (replies.length === 1) {
    const only = replies[0] as NodeReply;
    return <ReplyView reply={only.reply} view={view} label={`reply${only.node ? ` from ${only.node}` : ''}`} />;
  }
  if (fields) return <FanOutTable fields={fields} />;
  return (
    <div className="fanout-grid" data-testid="fanout-grid" data-nodes={replies.length}>
      {replies.map((r, i) => (
        <section key={r.node ?? i} className="fanout-node" data-testid="fanout-node">
          <header className="mono">{r.node ?? `node ${i + 1}`}</header>
          <ReplyView reply={r.reply} view={view} label={`reply from ${r.node ?? `node ${i + 1}`}`} height={240} />
        </section>
      ))}
    </div>
  );
}
