import type { SwarmDetail } from '../../../../shared/model/swarm';
import { swarmAction, type AskSwarmAction } from './swarm-action';
import { StatusTag } from './StatusTag';
import { useSwarms } from './swarms-store';

interface Props {
  detail: SwarmDetail;
  readOnlySource: boolean;
  locked: boolean;
  lockReason: string | undefined;
  busy: boolean;
  ask: AskSwarmAction;
}

/** Name, shape and leader of the swarm, and the operator's actions on it. */
export function SwarmHeader({ detail, readOnlySource, locked, lockReason, busy, ask }: Props) {
  const off = locked || busy;
  return (
    <header className="page-head">
      <div>
        <button type="button" className="btn btn-small back" onClick={() => useSwarms.getState().open(undefined)}>← Swarms</button>
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
          ? <button type="button" className="btn" disabled={off} onClick={() => ask(swarmAction({ action: 'resume', label: 'Resume' }, `Resume swarm ${detail.id}: proposals and elections start again.`))}>Resume</button>
          : <button type="button" className="btn" disabled={off || detail.status !== 'running'} onClick={() => ask(swarmAction({ action: 'pause', label: 'Pause' }, `Pause swarm ${detail.id}: no elections or proposals while paused; agents keep their heartbeats.`))}>Pause</button>}
        <button type="button" className="btn" disabled={off || !detail.leader} onClick={() => ask(swarmAction({ action: 'stepDown', label: 'Step down leader' }, `Take the lease from ${detail.leader?.agent ?? ''}; it hears at its next renewal and a new leader is elected with a larger epoch.`))}>Step down leader</button>
        {detail.status === 'stopped'
          ? <button type="button" className="btn btn-ghost-danger" disabled={off} onClick={() => ask(swarmAction({ action: 'archive', label: 'Archive' }, `Archive swarm ${detail.id}. It cannot run again.`, true))}>Archive</button>
          : <button type="button" className="btn btn-ghost-danger" disabled={off || detail.status === 'archived'} onClick={() => ask(swarmAction({ action: 'stop', label: 'Stop' }, `Stop swarm ${detail.id}. Agents can no longer join and it cannot be resumed.`, true))}>Stop</button>}
      </div>
    </header>
  );
}
