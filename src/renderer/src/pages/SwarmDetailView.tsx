import { useCallback, useEffect, useMemo, useState } from 'react';
import type { OpInput } from '../../../shared/contract';
import type { ProfileView } from '../../../shared/model/profile';
import type { AgentView } from '../../../shared/model/swarm';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ConsensusPanel } from '../components/ConsensusPanel';
import { EventTimeline } from '../components/EventTimeline';
import { agentState, STATE_COLOURS, STATE_LABELS } from '../components/graph-layout';
import { ProposalDialog } from '../components/ProposalDialog';
import { StreamPanel } from '../components/StreamPanel';
import { TopologyGraph } from '../components/TopologyGraph';
import { VirtualTable, type Column } from '../components/VirtualTable';
import { useSwarms } from '../stores/swarms-store';
import { transport } from '../transport';
import { StatusTag } from './SwarmsPage';

type Action = OpInput<'swarms.action'>['action'];
interface Pending {
  action: Action;
  label: string;
  body: string;
  agentId?: string;
  danger?: boolean;
}

/** Problems first when sorting by status. */
const RANK: Record<ReturnType<typeof agentState>, number> = { offline: 0, silent: 1, error: 2, busy: 3, idle: 4 };

const seconds = (ms: number | undefined): string => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);

const AGENT_COLUMNS: Column<AgentView>[] = [
  { key: 'id', label: 'Agent', width: 'minmax(140px, 1.4fr)', compare: (a, b) => a.id.localeCompare(b.id), render: (a) => <span className="mono">{a.id}</span> },
  { key: 'role', label: 'Role', width: '90px', compare: (a, b) => a.role.localeCompare(b.role), render: (a) => a.role },
  {
    key: 'state', label: 'Status', width: '150px', compare: (a, b) => RANK[agentState(a)] - RANK[agentState(b)],
    render: (a) => {
      const s = agentState(a);
      return <span className="agent-state"><i style={{ background: STATE_COLOURS[s] }} />{STATE_LABELS[s]}{s === 'offline' && <span className="muted"> (says {a.reported})</span>}</span>;
    },
  },
  { key: 'beat', label: 'Heartbeat age', width: '110px', compare: (a, b) => (a.heartbeatAgeMs ?? Infinity) - (b.heartbeatAgeMs ?? Infinity), render: (a) => <span className={a.live ? '' : 'error-text'}>{seconds(a.heartbeatAgeMs)}</span> },
  { key: 'load', label: 'Load', width: '70px', compare: (a, b) => a.load - b.load, render: (a) => `${(a.load * 100).toFixed(0)} %` },
  { key: 'caps', label: 'Capabilities', width: 'minmax(120px, 1fr)', compare: (a, b) => a.capabilities.join().localeCompare(b.capabilities.join()), render: (a) => <span className="muted">{a.capabilities.join(', ')}</span> },
  { key: 'task', label: 'Current task', width: 'minmax(120px, 1fr)', compare: (a, b) => (a.task ?? '').localeCompare(b.task ?? ''), render: (a) => (a.task ? <span className="mono">{a.task}</span> : <span className="muted">—</span>) },
];

/** One swarm: its graph, agents, consensus, events and the operator's actions on it. */
export function SwarmDetailView({ profile }: { profile: ProfileView }) {
  const { detail, pulses, timeline, timelineComplete, selected } = useSwarms();
  const store = useSwarms.getState();
  const [agent, setAgent] = useState<string | undefined>();
  const [focus, setFocus] = useState(false);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [pending, setPending] = useState<Pending | undefined>();
  const [proposing, setProposing] = useState(false);
  const [proposal, setProposal] = useState<string | undefined>();
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>();
  const profileId = profile.id;
  const big = (detail?.agents.length ?? 0) > 300;

  useEffect(() => {
    const s = useSwarms.getState();
    const refresh = (): void => void s.loadDetail(profileId).catch((e: Error) => setNotice({ kind: 'error', text: e.message }));
    refresh();
    void s.tailTimeline(profileId).catch(() => undefined);
    const timers = [
      setInterval(refresh, big ? 2500 : 1500),
      setInterval(() => void s.pollMessages(profileId).catch(() => undefined), 1000),
      setInterval(() => void s.tailTimeline(profileId).catch(() => undefined), 2000),
    ];
    return () => timers.forEach(clearInterval);
  }, [profileId, selected, big]);

  const loadAudit = useCallback(async () => (await transport.call('audit.recent', { profileId, count: 100 })).filter((e) => e.fields.target === selected?.id).slice(0, 10), [profileId, selected]);
  const neighbours = useMemo(() => {
    if (!detail || !agent) return [];
    return detail.edges.flatMap((e) => (e.from === agent ? [{ id: e.to, reason: e.reason }] : e.to === agent ? [{ id: e.from, reason: e.reason }] : []));
  }, [detail, agent]);

  if (!detail || !selected) return <div className="page"><p className="muted">Loading swarm…</p></div>;
  const readOnlySource = detail.source !== 'swarmdeck';
  const locked = readOnlySource || profile.readOnly;
  const lockReason = readOnlySource ? 'claude-flow-novice swarms are read-only in Swarmdeck' : profile.readOnly ? 'this profile is read-only' : undefined;
  const production = profile.environment === 'production';
  const chosen = detail.agents.find((a) => a.id === agent);

  const run = async (p: Pending, confirm?: string): Promise<void> => {
    setPending(undefined);
    try {
      const done = await store.act(profileId, p.action, { ...(p.agentId ? { agentId: p.agentId } : {}), ...(confirm ? { confirm } : {}) });
      setNotice({ kind: 'ok', text: `${p.label}: ${done}` });
      if (p.action === 'removeAgent') setAgent(undefined);
    } catch (error) {
      setNotice({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  };
  const ask = (p: Pending): void => setPending(p);
  const toggleTeam = (lead: string): void => setCollapsed((c) => {
    const next = new Set(c);
    if (next.has(lead)) next.delete(lead);
    else next.add(lead);
    return next;
  });
  const leads = detail.agents.filter((a) => a.role === 'lead').map((a) => a.id);

  return (
    <div className="page swarm-detail">
      <header className="page-head">
        <div>
          <button type="button" className="btn btn-small back" onClick={() => store.open(undefined)}>← Swarms</button>
          <h2>
            {detail.name} <StatusTag status={detail.status} />
            {readOnlySource && <span className="tag tag-info">claude-flow-novice · read-only</span>}
          </h2>
          <div className="muted">
            <span className="mono">{detail.id}</span> · {detail.topology} · {detail.strategy} {readOnlySource ? 'strategy' : 'consensus'} · <strong data-testid="live-count">{detail.liveAgents}</strong> of {detail.agents.length} agents live ·{' '}
            leader {detail.leader ? <span className="mono" data-testid="leader">★ {detail.leader.agent} (epoch {detail.leader.epoch})</span> : 'none'} · {detail.messages} message{detail.messages === 1 ? '' : 's'}
          </div>
          {detail.objective && <div className="objective">{detail.objective}</div>}
          {detail.sourceFields && <div className="muted">as written: {Object.entries(detail.sourceFields).map(([k, v]) => `${k} ${v}`).join(' · ')}</div>}
        </div>
        <div className="inline" title={lockReason}>
          {detail.status === 'paused'
            ? <button type="button" className="btn" disabled={locked} onClick={() => ask({ action: 'resume', label: 'Resume', body: `Resume swarm ${detail.id}: proposals and elections start again.` })}>Resume</button>
            : <button type="button" className="btn" disabled={locked || detail.status !== 'running'} onClick={() => ask({ action: 'pause', label: 'Pause', body: `Pause swarm ${detail.id}: no elections or proposals while paused; agents keep their heartbeats.` })}>Pause</button>}
          <button type="button" className="btn" disabled={locked || !detail.leader} onClick={() => ask({ action: 'stepDown', label: 'Step down leader', body: `Take the lease from ${detail.leader?.agent ?? ''}; it hears at its next renewal and a new leader is elected with a larger epoch.` })}>Step down leader</button>
          {detail.status === 'stopped'
            ? <button type="button" className="btn btn-ghost-danger" disabled={locked} onClick={() => ask({ action: 'archive', label: 'Archive', danger: true, body: `Archive swarm ${detail.id}. It cannot run again.` })}>Archive</button>
            : <button type="button" className="btn btn-ghost-danger" disabled={locked || detail.status === 'archived'} onClick={() => ask({ action: 'stop', label: 'Stop', danger: true, body: `Stop swarm ${detail.id}. Agents can no longer join and it cannot be resumed.` })}>Stop</button>}
        </div>
      </header>
      {notice && <div className={`notice notice-${notice.kind}`} role="status">{notice.text}</div>}
      {detail.findings.length > 0 && (
        <details className="findings" open={detail.findings.length <= 6} data-testid="findings">
          <summary><span className="tag tag-warn">{detail.findings.length}</span> {detail.findings.length === 1 ? 'finding' : 'findings'} — where what is stored and the evidence disagree</summary>
          <ul>{detail.findings.slice(0, 50).map((f, i) => <li key={i}><span className="mono muted">{f.kind}</span> {f.message}</li>)}</ul>
        </details>
      )}
      <div className="swarm-grid">
        <section className="panel graph-panel">
          <header className="panel-head">
            <h3>Topology</h3>
            <div className="inline">
              {leads.length > 0 && (
                <>
                  <button type="button" className="btn btn-small" onClick={() => setCollapsed(new Set(leads))}>Fold all teams</button>
                  <button type="button" className="btn btn-small" onClick={() => setCollapsed(new Set())}>Unfold all</button>
                </>
              )}
              <label className="check"><input type="checkbox" checked={focus} disabled={!agent} onChange={(e) => setFocus(e.target.checked)} /> only the selected agent's neighbours</label>
            </div>
          </header>
          <TopologyGraph detail={detail} collapsed={collapsed} focus={focus ? agent : undefined} selected={agent} pulses={pulses} onSelect={setAgent} onToggleTeam={toggleTeam} />
        </section>
        <aside className="panel agent-card" data-testid="agent-card">
          {!chosen ? (
            <div className="muted">
              <h3>Agent</h3>
              <p>Click an agent in the graph or the table to see why it is connected to its neighbours. Click a team lead to fold or unfold its team.</p>
            </div>
          ) : (
            <>
              <header className="panel-head">
                <h3 className="mono">{chosen.id}</h3>
                <button type="button" className="btn btn-small btn-ghost-danger" disabled={locked} title={lockReason} onClick={() => ask({ action: 'removeAgent', agentId: chosen.id, danger: true, label: `Remove ${chosen.id}`, body: `Deregister ${chosen.id} from ${detail.id}. A running agent process would have to register again.` })}>Remove</button>
              </header>
              <dl className="facts">
                <dt>state</dt><dd><span className="agent-state"><i style={{ background: STATE_COLOURS[agentState(chosen)] }} />{STATE_LABELS[agentState(chosen)]}</span> (reports {chosen.reported})</dd>
                <dt>role · type</dt><dd>{chosen.role} · {chosen.type}{chosen.team ? ` · team ${chosen.team}` : ''}</dd>
                <dt>heartbeat</dt><dd>{seconds(chosen.heartbeatAgeMs)} ago, TTL {seconds(chosen.ttlMs)}</dd>
                <dt>load · weight</dt><dd>{(chosen.load * 100).toFixed(0)} % · {chosen.weight}</dd>
                <dt>task</dt><dd className="mono">{chosen.task ?? '—'}</dd>
                <dt>capabilities</dt><dd>{chosen.capabilities.join(', ') || '—'}</dd>
                <dt>resources</dt><dd>{Object.entries(chosen.resources).map(([k, v]) => `${k} ${v}`).join(' · ') || '—'}</dd>
              </dl>
              <h4>{neighbours.length} neighbours</h4>
              <ul className="neighbours" data-testid="neighbours">
                {neighbours.slice(0, 100).map((n) => (
                  <li key={n.id}><button type="button" className="linkish mono" onClick={() => setAgent(n.id)}>{n.id}</button><span className="muted">{n.reason}</span></li>
                ))}
              </ul>
            </>
          )}
        </aside>
      </div>
      <section className="panel">
        <header className="panel-head"><h3>Agents</h3><span className="muted">{detail.agents.length} · sort by any column</span></header>
        <VirtualTable label="Agents" testId="agents-table" rows={detail.agents} columns={AGENT_COLUMNS} rowKey={(a) => a.id} height={280} initialSort={{ key: 'state', descending: false }} selectedKey={agent} onRowClick={(a) => setAgent(a.id)} />
      </section>
      <div className="two-col">
        <ConsensusPanel proposals={detail.proposals} chosen={proposal} onChoose={setProposal} canPropose={!locked && detail.status === 'running'} onPropose={() => setProposing(true)} />
        <EventTimeline entries={timeline} complete={timelineComplete} onOlder={() => void store.loadOlder(profileId)} />
      </div>
      <StreamPanel title="Operator actions on this swarm" load={loadAudit} version={`${detail.updatedAt}:${detail.status}:${detail.proposals.length}:${detail.agents.length}:${detail.leader?.epoch ?? '-'}`} columns={[{ field: 'action', label: 'Action' }, { field: 'detail', label: 'Detail' }, { field: 'profile', label: 'Profile' }]} testId="swarm-audit" />
      {pending && (
        <ConfirmDialog
          title={pending.label}
          body={pending.body}
          confirmLabel={pending.label}
          danger={pending.danger}
          typedConfirmation={production ? detail.id : undefined}
          onCancel={() => setPending(undefined)}
          onConfirm={() => void run(pending, production ? detail.id : undefined)}
        />
      )}
      {proposing && (
        <ProposalDialog
          strategy={detail.strategy}
          typedConfirmation={production ? detail.id : undefined}
          onCancel={() => setProposing(false)}
          onSubmit={async (input, confirm) => {
            setProposing(false);
            try {
              const id = await store.propose(profileId, input, confirm);
              setProposal(id);
              setNotice({ kind: 'ok', text: `Opened ${id}: "${input.title}"` });
            } catch (error) {
              setNotice({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
            }
          }}
        />
      )}
    </div>
  );
}
