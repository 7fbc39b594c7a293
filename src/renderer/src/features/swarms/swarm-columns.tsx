import type { AgentView, SwarmSummary } from '../../../../shared/model/swarm';
import { formatAge } from '../../components/format';
import type { Column } from '../../components/VirtualTable';
import { agentState, STATE_COLOURS, STATE_LABELS } from './graph-layout';
import { StatusTag } from './StatusTag';

export const SWARM_COLUMNS: Column<SwarmSummary>[] = [
  {
    key: 'name',
    label: 'Swarm',
    width: 'minmax(180px, 2fr)',
    compare: (a, b) => a.name.localeCompare(b.name),
    render: (s) => (
      <span className="cell-stack">
        <strong>{s.name}</strong>
        <span className="mono muted">{s.id}</span>
      </span>
    ),
  },
  {
    key: 'source',
    label: 'Source',
    width: '120px',
    compare: (a, b) => a.source.localeCompare(b.source),
    render: (s) =>
      s.source === 'swarmdeck' ? (
        <span className="muted">swarmdeck</span>
      ) : (
        <span className="cell-stack">
          <span className="tag tag-info" title="read-only">
            claude-flow-novice
          </span>
          {s.origin && <span className="muted">{s.origin}</span>}
        </span>
      ),
  },
  {
    key: 'status',
    label: 'Status',
    width: '110px',
    compare: (a, b) => a.status.localeCompare(b.status),
    render: (s) => (
      <span className="cell-stack">
        <StatusTag status={s.status} />
        {s.storedStatus !== undefined && s.storedStatus !== s.status && (
          <span className="muted" title="as stored by claude-flow-novice">
            stored: {s.storedStatus}
          </span>
        )}
      </span>
    ),
  },
  {
    key: 'topology',
    label: 'Topology',
    width: '100px',
    compare: (a, b) => a.topology.localeCompare(b.topology),
    render: (s) => s.topology || '—',
  },
  {
    key: 'strategy',
    label: 'Consensus',
    width: '96px',
    compare: (a, b) => a.strategy.localeCompare(b.strategy),
    render: (s) => s.strategy || '—',
  },
  {
    key: 'live',
    label: 'Live / agents',
    width: '150px',
    compare: (a, b) => a.liveAgents / Math.max(1, a.agents) - b.liveAgents / Math.max(1, b.agents),
    render: (s) => (
      <span className="live-cell">
        <span className="live-bar">
          <i style={{ width: `${(100 * s.liveAgents) / Math.max(1, s.agents)}%` }} />
        </span>
        {s.liveAgents} / {s.agents}
      </span>
    ),
  },
  {
    key: 'leader',
    label: 'Leader',
    width: '130px',
    compare: (a, b) => (a.leader ?? '').localeCompare(b.leader ?? ''),
    render: (s) => (s.leader ? <span className="mono">★ {s.leader}</span> : <span className="muted">none</span>),
  },
  {
    key: 'findings',
    label: 'Findings',
    width: '72px',
    compare: (a, b) => a.findings - b.findings,
    render: (s) => (s.findings > 0 ? <span className="tag tag-warn">{s.findings}</span> : <span className="muted">0</span>),
  },
  {
    key: 'activity',
    label: 'Last activity',
    width: '96px',
    compare: (a, b) => a.lastActivity - b.lastActivity,
    render: (s) => <span className="muted">{formatAge(new Date(s.lastActivity).toISOString())} ago</span>,
  },
];

/** Problems first when sorting by status. */
const RANK: Record<ReturnType<typeof agentState>, number> = { offline: 0, silent: 1, error: 2, busy: 3, idle: 4 };

export const seconds = (ms: number | undefined): string => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);

export const AGENT_COLUMNS: Column<AgentView>[] = [
  {
    key: 'id',
    label: 'Agent',
    width: 'minmax(140px, 1.4fr)',
    compare: (a, b) => a.id.localeCompare(b.id),
    render: (a) => <span className="mono">{a.id}</span>,
  },
  { key: 'role', label: 'Role', width: '90px', compare: (a, b) => a.role.localeCompare(b.role), render: (a) => a.role },
  {
    key: 'state',
    label: 'Status',
    width: '150px',
    compare: (a, b) => RANK[agentState(a)] - RANK[agentState(b)],
    render: (a) => {
      const s = agentState(a);
      return (
        <span className="agent-state">
          <i style={{ background: STATE_COLOURS[s] }} />
          {STATE_LABELS[s]}
          {s === 'offline' && <span className="muted"> (says {a.reported})</span>}
        </span>
      );
    },
  },
  {
    key: 'beat',
    label: 'Heartbeat age',
    width: '110px',
    compare: (a, b) => (a.heartbeatAgeMs ?? Infinity) - (b.heartbeatAgeMs ?? Infinity),
    render: (a) => <span className={a.live ? '' : 'error-text'}>{seconds(a.heartbeatAgeMs)}</span>,
  },
  { key: 'load', label: 'Load', width: '70px', compare: (a, b) => a.load - b.load, render: (a) => `${(a.load * 100).toFixed(0)} %` },
  {
    key: 'caps',
    label: 'Capabilities',
    width: 'minmax(120px, 1fr)',
    compare: (a, b) => a.capabilities.join().localeCompare(b.capabilities.join()),
    render: (a) => <span className="muted">{a.capabilities.join(', ')}</span>,
  },
  {
    key: 'task',
    label: 'Current task',
    width: 'minmax(120px, 1fr)',
    compare: (a, b) => (a.task ?? '').localeCompare(b.task ?? ''),
    render: (a) => (a.task ? <span className="mono">{a.task}</span> : <span className="muted">—</span>),
  },
];
