import type { SwarmDetail } from '../../../../shared/model/swarm';
import { refusedProps } from '../../components/guard-button';
import { useActiveConnection } from '../connections/use-active-connection';
import { swarmAction, swarmGuard, type AskSwarmAction, type SwarmAction } from './swarm-action';
import { StatusTag } from './StatusTag';
import { useSwarms } from './swarms-store';

interface Props {
  detail: SwarmDetail;
  readOnlySource: boolean;
  busy: boolean;
  ask: AskSwarmAction;
}

/** Name, shape and leader of the swarm, and the operator's actions on it. */
export function SwarmHeader({ detail, readOnlySource, busy, ask }: Props) {
  const { profile } = useActiveConnection();
  // A refusal wins over the other reasons a button is off, so its tooltip says why.
  const button = (action: SwarmAction['action'], off: boolean) => {
    const refused = profile ? refusedProps(swarmGuard(profile, action, detail)) : { disabled: true };
    return { ...refused, disabled: refused.disabled ?? (busy || off) };
  };
  const act = (action: SwarmAction['action'], label: string, body: string): void => {
    if (profile) ask(swarmAction({ action, label }, body, swarmGuard(profile, action, detail)));
  };
  return (
    <header className="page-head">
      <SwarmTitle detail={detail} readOnlySource={readOnlySource} />
      <div className="inline">
        {detail.status === 'paused' ? (
          <button
            type="button"
            className="btn"
            {...button('resume', false)}
            onClick={() => act('resume', 'Resume', `Resume swarm ${detail.id}: proposals and elections start again.`)}
          >
            Resume
          </button>
        ) : (
          <button
            type="button"
            className="btn"
            {...button('pause', detail.status !== 'running')}
            onClick={() =>
              act('pause', 'Pause', `Pause swarm ${detail.id}: no elections or proposals while paused; agents keep their heartbeats.`)
            }
          >
            Pause
          </button>
        )}
        <button
          type="button"
          className="btn"
          {...button('stepDown', !detail.leader)}
          onClick={() =>
            act(
              'stepDown',
              'Step down leader',
              `Take the lease from ${detail.leader?.agent ?? ''}; it hears at its next renewal and a new leader is elected with a larger epoch.`,
            )
          }
        >
          Step down leader
        </button>
        {detail.status === 'stopped' ? (
          <button
            type="button"
            className="btn btn-ghost-danger"
            {...button('archive', false)}
            onClick={() => act('archive', 'Archive', `Archive swarm ${detail.id}. It cannot run again.`)}
          >
            Archive
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-ghost-danger"
            {...button('stop', detail.status === 'archived')}
            onClick={() => act('stop', 'Stop', `Stop swarm ${detail.id}. Agents can no longer join and it cannot be resumed.`)}
          >
            Stop
          </button>
        )}
      </div>
    </header>
  );
}

/** Back to the list, then what the swarm is: shape, liveness, leader, objective. */
function SwarmTitle({ detail, readOnlySource }: Pick<Props, 'detail' | 'readOnlySource'>) {
  return (
    <div>
      <button type="button" className="btn btn-small back" onClick={() => useSwarms.getState().open(undefined)}>
        ← Swarms
      </button>
      <h2>
        {detail.name} <StatusTag status={detail.status} />
        {readOnlySource && <span className="tag tag-info">claude-flow-novice · read-only</span>}
      </h2>
      <div className="muted">
        <span className="mono">{detail.id}</span> · {detail.topology} · {detail.strategy} {readOnlySource ? 'strategy' : 'consensus'} ·{' '}
        <strong data-testid="live-count">{detail.liveAgents}</strong> of {detail.agents.length} agents live · leader{' '}
        {detail.leader ? (
          <span className="mono" data-testid="leader">
            ★ {detail.leader.agent} (epoch {detail.leader.epoch})
          </span>
        ) : (
          'none'
        )}{' '}
        · {detail.messages} message{detail.messages === 1 ? '' : 's'}
      </div>
      {detail.objective && <div className="objective">{detail.objective}</div>}
      {detail.sourceFields && (
        <div className="muted">
          as written:{' '}
          {Object.entries(detail.sourceFields)
            .map(([k, v]) => `${k} ${v}`)
            .join(' · ')}
        </div>
      )}
    </div>
  );
}
