import type { CfnBlockingWait, CfnStates, CfnVerdict } from '../../../../shared/model/cfn';
import { formatBytes } from '../../components/format';
import { usePoll } from '../../components/use-poll';
import { useSwarms } from './swarms-store';

const VERDICT_CLASS: Record<CfnVerdict, string> = { finished: 'tag-muted', waiting: 'tag-ok', stuck: 'tag-warn', dead: 'tag-bad' };
const VERDICT_LABEL: Record<CfnVerdict, string> = {
  finished: 'finished',
  waiting: 'waiting normally',
  stuck: 'stuck',
  dead: 'dead coordinator',
};
const age = (ms: number | undefined): string =>
  ms === undefined ? 'no heartbeat' : ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
const time = (at: number): string => (at ? new Date(at).toLocaleTimeString() : '—');

/**
 * A claude-flow-novice swarm's coordination, read only: each blocking wait with its peers'
 * acknowledgements, unread signals and heartbeats and a verdict; its snapshots and checkpoints.
 */
export function CoordinationPanel({ profileId, swarmId }: { profileId: string; swarmId: string }) {
  const coordination = useSwarms((s) => (s.coordination?.swarmId === swarmId ? s.coordination : undefined));
  const loadCoordination = useSwarms((s) => s.loadCoordination);
  const viewSaved = useSwarms((s) => s.viewSaved);
  usePoll(() => void loadCoordination(profileId, swarmId), 5000, [profileId, swarmId]);
  const { waits, states, shown, error } = coordination ?? {};

  return (
    <section className="panel" data-testid="coordination-panel">
      <header className="panel-head">
        <h3>Coordination</h3>
        <span className="muted">claude-flow-novice blocking waits · read-only</span>
      </header>
      {error && (
        <div className="notice notice-error" role="alert">
          {error}
        </div>
      )}
      {waits === undefined ? (
        <p className="muted">Loading…</p>
      ) : waits.length === 0 ? (
        <p className="muted">No coordinator waits in this swarm.</p>
      ) : (
        waits.map((w) => <BlockingWait key={w.coordinator} w={w} />)
      )}
      <h4>Snapshots and checkpoints</h4>
      {!states || states.saved.length === 0 ? (
        <p className="muted">None saved.</p>
      ) : (
        <SavedList saved={states.saved} onView={(kind, id) => void viewSaved(profileId, swarmId, kind, id)} />
      )}
      {states?.state && (
        <details>
          <summary>Saved state (passwords redacted)</summary>
          <pre className="json">{states.state}</pre>
        </details>
      )}
      {shown && (
        <details open>
          <summary>{shown.title}</summary>
          <pre className="json" data-testid="cfn-saved-view">
            {shown.text}
          </pre>
        </details>
      )}
    </section>
  );
}

/** A coordinator's wait, its verdict, and where each peer stands. */
function BlockingWait({ w }: { w: CfnBlockingWait }) {
  return (
    <div className="coordination-wait" data-testid={`wait-${w.coordinator}`}>
      <div>
        <span className={`tag ${VERDICT_CLASS[w.verdict]}`} data-testid="wait-verdict">
          {VERDICT_LABEL[w.verdict]}
        </span>{' '}
        <strong className="mono">{w.coordinator}</strong>{' '}
        <span className="muted">
          {w.status} since {time(w.since)} · iteration {w.iteration ?? '—'} · phase {w.phase ?? '—'} · own heartbeat {age(w.heartbeatAgeMs)}
        </span>
      </div>
      <p className={w.verdict === 'stuck' || w.verdict === 'dead' ? 'error-text' : 'muted'}>{w.message}</p>
      {w.peers.length > 0 && (
        <table className="data-table compact">
          <thead>
            <tr>
              <th>Peer</th>
              <th>Its wait</th>
              <th>Acknowledged</th>
              <th>Unread signal</th>
              <th>Heartbeat</th>
              <th>Escalated / replacement</th>
            </tr>
          </thead>
          <tbody>
            {w.peers.map((p) => (
              <tr key={p.coordinator} className={p.coordinator === w.culprit ? 'row-bad' : ''}>
                <td className="mono">{p.coordinator}</td>
                <td>{p.status ?? '—'}</td>
                <td className="mono">{p.acknowledged.length ? p.acknowledged.join(', ') : <span className="muted">none</span>}</td>
                <td className="mono">{p.unreadSignal ?? <span className="muted">—</span>}</td>
                <td>{age(p.heartbeatAgeMs)}</td>
                <td>
                  {p.escalated ? 'escalated' : '—'}
                  {p.replacement && ` · ${p.replacement.coordinator} ${p.replacement.started ? 'running' : 'never started'}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The swarm's saved snapshots and checkpoints, each to view. */
function SavedList({ saved, onView }: { saved: CfnStates['saved']; onView(kind: 'snapshot' | 'checkpoint', id: string): void }) {
  return (
    <table className="data-table compact" data-testid="cfn-saved">
      <thead>
        <tr>
          <th>Kind</th>
          <th>Id</th>
          <th>Time</th>
          <th>Label</th>
          <th className="num">Size</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {saved.map((r) => (
          <tr key={`${r.kind}:${r.id}`}>
            <td>{r.kind}</td>
            <td className="mono">{r.id}</td>
            <td>{time(r.at)}</td>
            <td>{r.label || '—'}</td>
            <td className="num">{formatBytes(r.bytes)}</td>
            <td>
              <button type="button" className="btn btn-small" onClick={() => onView(r.kind, r.id)}>
                View
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
