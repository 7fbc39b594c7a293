import { useState } from 'react';
import type { StreamEntry } from '../../../../shared/model/task';

const TONE: Record<string, string> = {
  'agent.registered': 'ok',
  'leader.elected': 'gold',
  'proposal.accepted': 'ok',
  'proposal.rejected': 'bad',
  'proposal.expired': 'warn',
  'leader.stepped-down': 'warn',
  'agent.deregistered': 'warn',
  'swarm.paused': 'warn',
  'swarm.stopped': 'bad',
};

function describe(e: StreamEntry): string {
  const f = e.fields;
  switch (f.type) {
    case 'agent.status':
      return `${f.agent} now ${f.status}${f.was ? ` (was ${f.was})` : ''}`;
    case 'agent.registered':
      return `${f.agent} joined as ${f.role}`;
    case 'agent.deregistered':
      return `${f.agent} removed${f.by ? ` by ${f.by}` : ''}`;
    case 'leader.elected':
      return `${f.agent} leads, epoch ${f.epoch}${f.previous ? ` (after ${f.previous})` : ''}`;
    case 'leader.stepped-down':
      return `${f.agent} (epoch ${f.epoch}) stepped down by ${f.by}${f.reason ? `: ${f.reason}` : ''}`;
    case 'proposal.opened':
      return `${f.proposal} "${f.title}" opened by ${f.by} for ${f.eligible} voters`;
    case 'vote.cast':
      return `${f.voter} votes ${f.value} on ${f.proposal}`;
    case 'vote.changed':
      return `${f.voter} changes its vote on ${f.proposal} to ${f.value}`;
    case 'proposal.accepted':
    case 'proposal.rejected':
    case 'proposal.expired':
      return `${f.proposal} ${f.type.split('.')[1]}: yes ${(Number(f.ratio) * 100).toFixed(0)} %, participation ${(Number(f.participation) * 100).toFixed(0)} %, ${(Number(f.durationMs) / 1000).toFixed(1)} s`;
    default:
      return Object.entries(f)
        .filter(([k]) => k !== 'type' && k !== 'at')
        .map(([k, v]) => `${k} ${v}`)
        .join(' · ');
  }
}

interface Props {
  entries: StreamEntry[];
  complete: boolean;
  onOlder(): void;
}

/** The swarm's event stream, newest first; older pages load when scrolled to the end. */
export function EventTimeline({ entries, complete, onOlder }: Props) {
  const [statusChanges, setStatusChanges] = useState(false);
  const shown = statusChanges ? entries : entries.filter((e) => e.fields.type !== 'agent.status');
  return (
    <section className="panel timeline-panel" data-testid="event-timeline">
      <header className="panel-head">
        <h3>Events</h3>
        <span className="inline">
          <label className="check">
            <input type="checkbox" checked={statusChanges} onChange={(e) => setStatusChanges(e.target.checked)} /> status changes
          </label>
          <span className="muted">{entries.length} loaded · newest first</span>
        </span>
      </header>
      <ol
        className="timeline"
        onScroll={(e) => {
          const el = e.currentTarget;
          if (!complete && el.scrollTop + el.clientHeight >= el.scrollHeight - 40) onOlder();
        }}
      >
        {shown.map((e) => (
          <li key={e.id} className={`tone-${TONE[e.fields.type ?? ''] ?? 'plain'}`}>
            <span className="mono muted">{new Date(e.at).toLocaleTimeString()}</span>
            <span className="event-type">{e.fields.type}</span>
            <span>{describe(e)}</span>
          </li>
        ))}
        {shown.length === 0 && <li className="muted">No events yet.</li>}
        {!complete && entries.length > 0 && (
          <li>
            <button type="button" className="btn btn-small" onClick={onOlder}>
              Load older
            </button>
          </li>
        )}
      </ol>
    </section>
  );
}
