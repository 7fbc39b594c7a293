import { useEffect, useMemo, useState } from 'react';
import type { SwarmSummary } from '../../../shared/model/swarm';
import { formatAge } from '../components/format';
import { VirtualTable, type Column } from '../components/VirtualTable';
import { isLive, useConnections } from '../stores/connections-store';
import { useProfiles } from '../stores/profiles-store';
import { useSwarms } from '../stores/swarms-store';
import { useUi } from '../stores/ui-store';
import { SwarmDetailView } from './SwarmDetailView';

const STATUS_CLASS: Record<string, string> = { running: 'tag-ok', paused: 'tag-warn', stopped: 'tag-bad', archived: 'tag-muted' };

export function StatusTag({ status }: { status: string }) {
  return <span className={`tag ${STATUS_CLASS[status] ?? 'tag-muted'}`}>{status}</span>;
}

const COLUMNS: Column<SwarmSummary>[] = [
  { key: 'name', label: 'Swarm', width: 'minmax(180px, 2fr)', compare: (a, b) => a.name.localeCompare(b.name), render: (s) => <span className="cell-stack"><strong>{s.name}</strong><span className="mono muted">{s.id}</span></span> },
  { key: 'source', label: 'Source', width: '120px', compare: (a, b) => a.source.localeCompare(b.source), render: (s) => (s.source === 'swarmdeck' ? <span className="muted">swarmdeck</span> : <span className="tag tag-info" title="read-only">claude-flow-novice</span>) },
  { key: 'status', label: 'Status', width: '84px', compare: (a, b) => a.status.localeCompare(b.status), render: (s) => <StatusTag status={s.status} /> },
  { key: 'topology', label: 'Topology', width: '100px', compare: (a, b) => a.topology.localeCompare(b.topology), render: (s) => s.topology || '—' },
  { key: 'strategy', label: 'Consensus', width: '96px', compare: (a, b) => a.strategy.localeCompare(b.strategy), render: (s) => s.strategy || '—' },
  {
    key: 'live', label: 'Live / agents', width: '150px', compare: (a, b) => a.liveAgents / Math.max(1, a.agents) - b.liveAgents / Math.max(1, b.agents),
    render: (s) => (
      <span className="live-cell">
        <span className="live-bar"><i style={{ width: `${(100 * s.liveAgents) / Math.max(1, s.agents)}%` }} /></span>
        {s.liveAgents} / {s.agents}
      </span>
    ),
  },
  { key: 'leader', label: 'Leader', width: '130px', compare: (a, b) => (a.leader ?? '').localeCompare(b.leader ?? ''), render: (s) => (s.leader ? <span className="mono">★ {s.leader}</span> : <span className="muted">none</span>) },
  { key: 'findings', label: 'Findings', width: '72px', compare: (a, b) => a.findings - b.findings, render: (s) => (s.findings > 0 ? <span className="tag tag-warn">{s.findings}</span> : <span className="muted">0</span>) },
  { key: 'activity', label: 'Last activity', width: '96px', compare: (a, b) => a.lastActivity - b.lastActivity, render: (s) => <span className="muted">{formatAge(new Date(s.lastActivity).toISOString())} ago</span> },
];

/** Every swarm on the connection — Swarmdeck's own and, read-only, a claude-flow-novice registry's. */
export function SwarmsPage() {
  const activeId = useConnections((s) => s.activeId);
  const status = useConnections((s) => (s.activeId ? s.statuses[s.activeId] : undefined));
  const profile = useProfiles((s) => s.profiles.find((p) => p.id === activeId));
  const list = useSwarms((s) => s.list);
  const selected = useSwarms((s) => s.selected);
  const go = useUi((s) => s.go);
  const [text, setText] = useState('');
  const [state, setState] = useState('all');
  const [topology, setTopology] = useState('all');
  const [onlyFindings, setOnlyFindings] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const live = isLive(status);

  // Another connection has other swarms: start from its list.
  useEffect(() => {
    useSwarms.getState().forProfile(activeId);
  }, [activeId]);

  useEffect(() => {
    if (!activeId || !live || selected) return undefined;
    const load = (): void => void useSwarms.getState().loadList(activeId).then(() => setError(undefined), (e: Error) => setError(e.message));
    load();
    const timer = setInterval(load, 2000);
    return () => clearInterval(timer);
  }, [activeId, live, selected]);

  const rows = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return (list?.swarms ?? []).filter((s) =>
      (state === 'all' || s.status === state) && (topology === 'all' || s.topology === topology) && (!onlyFindings || s.findings > 0) &&
      (needle === '' || s.id.toLowerCase().includes(needle) || s.name.toLowerCase().includes(needle)));
  }, [list, text, state, topology, onlyFindings]);

  if (!profile || !activeId || !live) {
    return (
      <div className="page empty-page">
        <h2>No live connection</h2>
        <p className="muted">Connect a profile to see its swarms.</p>
        <button type="button" className="btn btn-primary" onClick={() => go('connections')}>Go to connections</button>
      </div>
    );
  }
  if (selected) return <SwarmDetailView profile={profile} />;

  const all = list?.swarms ?? [];
  const topologies = [...new Set(all.map((s) => s.topology).filter(Boolean))].sort();
  return (
    <div className="page swarms-page">
      <header className="page-head">
        <div>
          <h2>Swarms</h2>
          <div className="muted">
            {all.length} swarms · {all.filter((s) => s.status === 'running').length} running · {all.reduce((a, s) => a + s.liveAgents, 0)} of {all.reduce((a, s) => a + s.agents, 0)} agents live · {all.reduce((a, s) => a + s.findings, 0)} findings
          </div>
        </div>
        {list?.claudeFlowNovice && <span className="tag tag-info" data-testid="cfn-detected">claude-flow-novice registry detected · shown read-only</span>}
      </header>
      {error && <div className="notice notice-error" role="alert">{error}</div>}
      <div className="filters">
        <input className="search" placeholder="Find by name or id" value={text} onChange={(e) => setText(e.target.value)} aria-label="Find swarms" />
        <select value={state} onChange={(e) => setState(e.target.value)} aria-label="Status filter">
          <option value="all">every status</option>
          {['running', 'paused', 'stopped', 'archived'].map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <select value={topology} onChange={(e) => setTopology(e.target.value)} aria-label="Topology filter">
          <option value="all">every topology</option>
          {topologies.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
        <label className="check"><input type="checkbox" checked={onlyFindings} onChange={(e) => setOnlyFindings(e.target.checked)} /> with findings</label>
        <span className="muted">{rows.length} shown</span>
      </div>
      {list === undefined ? <p className="muted">Loading swarms…</p> : (
        <VirtualTable
          label="Swarms"
          testId="swarms-table"
          rows={rows}
          columns={COLUMNS}
          rowKey={(s) => `${s.source}:${s.id}`}
          height={Math.max(240, window.innerHeight - 230)}
          rowHeight={44}
          initialSort={{ key: 'activity', descending: true }}
          onRowClick={(s) => useSwarms.getState().open({ id: s.id, source: s.source })}
          empty="No swarms yet. Run `npm run demo` (or `swarmdeck demo`) to start a live demo, or register agents with the SDK."
        />
      )}
    </div>
  );
}
