import { useMemo } from 'react';
import type { AgentView, SwarmDetail } from '../../../../shared/model/swarm';
import { groupNeighbours } from './graph-labels';
import { agentState, STATE_COLOURS, STATE_LABELS } from './graph-layout';
import { refusedProps } from '../../components/guard-button';
import { useActiveConnection } from '../connections/use-active-connection';
import { swarmAction, swarmGuard, type AskSwarmAction } from './swarm-action';
import { seconds } from './swarm-columns';

interface Props {
  detail: SwarmDetail;
  agent: string | undefined;
  onSelect(agentId: string): void;
  ask: AskSwarmAction;
}

/** The selected agent: its facts, and why it is connected to each neighbour. */
export function AgentCard({ detail, agent, onSelect, ask }: Props) {
  const { profile } = useActiveConnection();
  const decision = profile ? swarmGuard(profile, 'removeAgent', detail) : undefined;
  const chosen = detail.agents.find((a) => a.id === agent);
  const groups = useMemo(() => (agent ? groupNeighbours(detail.edges, agent) : []), [detail, agent]);
  return (
    <aside className="panel agent-card" data-testid="agent-card">
      {!chosen ? (
        <div className="muted">
          <h3>Agent</h3>
          <p>
            Click an agent in the graph or the table to see why it is connected to its neighbours. Click a team lead to fold or unfold its
            team.
          </p>
        </div>
      ) : (
        <>
          <header className="panel-head">
            <h3 className="mono">{chosen.id}</h3>
            <button
              type="button"
              className="btn btn-small btn-ghost-danger"
              {...(decision ? refusedProps(decision) : { disabled: true })}
              onClick={() =>
                decision &&
                ask(
                  swarmAction(
                    { action: 'removeAgent', agentId: chosen.id, label: `Remove ${chosen.id}` },
                    `Deregister ${chosen.id} from ${detail.id}. A running agent process would have to register again.`,
                    decision,
                  ),
                )
              }
            >
              Remove
            </button>
          </header>
          <AgentFacts agent={chosen} />
          <Neighbours groups={groups} onSelect={onSelect} />
        </>
      )}
    </aside>
  );
}

/** What the agent reports and what the registry holds about it. */
function AgentFacts({ agent: chosen }: { agent: AgentView }) {
  return (
    <dl className="facts">
      <dt>state</dt>
      <dd>
        <span className="agent-state">
          <i style={{ background: STATE_COLOURS[agentState(chosen)] }} />
          {STATE_LABELS[agentState(chosen)]}
        </span>{' '}
        (reports {chosen.reported})
      </dd>
      <dt>role · type</dt>
      <dd>
        {chosen.role} · {chosen.type}
        {chosen.team ? ` · team ${chosen.team}` : ''}
      </dd>
      <dt>heartbeat</dt>
      <dd>
        {seconds(chosen.heartbeatAgeMs)} ago, TTL {seconds(chosen.ttlMs)}
      </dd>
      <dt>load · weight</dt>
      <dd>
        {(chosen.load * 100).toFixed(0)} % · {chosen.weight}
      </dd>
      <dt>task</dt>
      <dd className="mono">{chosen.task ?? '—'}</dd>
      <dt>capabilities</dt>
      <dd>{chosen.capabilities.join(', ') || '—'}</dd>
      <dt>resources</dt>
      <dd>
        {Object.entries(chosen.resources)
          .map(([k, v]) => `${k} ${v}`)
          .join(' · ') || '—'}
      </dd>
    </dl>
  );
}

/** Why the agent is connected to each neighbour, one entry per reason. */
function Neighbours({ groups, onSelect }: { groups: ReturnType<typeof groupNeighbours>; onSelect(agentId: string): void }) {
  const count = groups.reduce((sum, g) => sum + g.ids.length, 0);
  return (
    <>
      <h4>{count} neighbours</h4>
      {/* One entry per reason: a mesh agent's eleven peers share one, said once. */}
      <ul className="neighbours" data-testid="neighbours">
        {groups.map((g) => (
          <li key={g.reason}>
            <span className="muted">
              {g.reason} ({g.ids.length})
            </span>
            <span className="inline" style={{ flexWrap: 'wrap' }}>
              {g.ids.slice(0, 100).map((id) => (
                <button key={id} type="button" className="linkish mono" onClick={() => onSelect(id)}>
                  {id}
                </button>
              ))}
              {g.ids.length > 100 && <span className="muted"> and {g.ids.length - 100} more</span>}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
