import { useMemo, useState } from 'react';
import type { SwarmList as SwarmListView } from '../../../../shared/model/swarm';
import { VirtualTable } from '../../components/VirtualTable';
import { SWARM_COLUMNS } from './swarm-columns';
import { useSwarms } from './swarms-store';

/** Every swarm on the connection, filtered and sorted; a row opens the swarm. */
export function SwarmList({ error }: { error: string | undefined }) {
  const list = useSwarms((s) => s.list);
  const [text, setText] = useState('');
  const [state, setState] = useState('all');
  const [topology, setTopology] = useState('all');
  const [onlyFindings, setOnlyFindings] = useState(false);

  const rows = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return (list?.swarms ?? []).filter(
      (s) =>
        (state === 'all' || s.status === state) &&
        (topology === 'all' || s.topology === topology) &&
        (!onlyFindings || s.findings > 0) &&
        (needle === '' || s.id.toLowerCase().includes(needle) || s.name.toLowerCase().includes(needle)),
    );
  }, [list, text, state, topology, onlyFindings]);

  const topologies = [...new Set((list?.swarms ?? []).map((s) => s.topology).filter(Boolean))].sort();
  return (
    <div className="page swarms-page">
      <SwarmsHeading list={list} />
      {error && (
        <div className="notice notice-error" role="alert">
          {error}
        </div>
      )}
      <div className="filters">
        <input
          className="search"
          placeholder="Find by name or id"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="Find swarms"
        />
        <select value={state} onChange={(e) => setState(e.target.value)} aria-label="Status filter">
          <option value="all">every status</option>
          {['running', 'stale', 'paused', 'stopped', 'archived'].map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select value={topology} onChange={(e) => setTopology(e.target.value)} aria-label="Topology filter">
          <option value="all">every topology</option>
          {topologies.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <label className="check">
          <input type="checkbox" checked={onlyFindings} onChange={(e) => setOnlyFindings(e.target.checked)} /> with findings
        </label>
        <span className="muted">{rows.length} shown</span>
      </div>
      {list === undefined ? (
        <p className="muted">Loading swarms…</p>
      ) : (
        <VirtualTable
          label="Swarms"
          testId="swarms-table"
          rows={rows}
          columns={SWARM_COLUMNS}
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

/** The fleet in one line, and what the claude-flow-novice registry shows beside it. */
function SwarmsHeading({ list }: { list: SwarmListView | undefined }) {
  const all = list?.swarms ?? [];
  return (
    <header className="page-head">
      <div>
        <h2>Swarms</h2>
        <div className="muted">
          {all.length} swarms · {all.filter((s) => s.status === 'running').length} running · {all.reduce((a, s) => a + s.liveAgents, 0)} of{' '}
          {all.reduce((a, s) => a + s.agents, 0)} agents live · {all.reduce((a, s) => a + s.findings, 0)} findings
        </div>
      </div>
      {list?.claudeFlowNovice && (
        <span className="tag tag-info" data-testid="cfn-detected">
          claude-flow-novice registry detected · shown read-only
        </span>
      )}
      {list?.ghosts && list.ghosts.length > 0 && (
        <details className="ghosts" data-testid="cfn-ghosts">
          <summary className="tag tag-warn">
            {list.ghosts.length} ghost{list.ghosts.length === 1 ? '' : 's'}: listed in a status set, swarm key expired
          </summary>
          <ul>
            {list.ghosts.slice(0, 100).map((g) => (
              <li key={`${g.status}:${g.id}`} className="mono">
                {g.id} <span className="muted">swarm:status:{g.status}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </header>
  );
}
