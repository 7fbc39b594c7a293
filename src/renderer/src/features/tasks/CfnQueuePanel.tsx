import type { CfnTaskSource } from '../../../../shared/model/cfn';
import { usePoll } from '../../components/use-poll';
import { useQueues } from './queues-store';

const age = (ms: number | undefined): string =>
  ms === undefined ? '—' : ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;

/**
 * A claude-flow-novice deployment's task routing beside Swarmdeck's queues, read only: its
 * leader and lease, the queue's depth and oldest entry, agents with load, routing failures.
 * Renders nothing where no such deployment writes.
 */
export function CfnQueuePanel({ profileId }: { profileId: string }) {
  const read = useQueues((s) => s.cfnTasks[profileId]);
  const loadCfnTasks = useQueues((s) => s.loadCfnTasks);
  usePoll(() => void loadCfnTasks(profileId), 5000, [profileId]);
  const { source: t, readAt = 0, error } = read ?? {};

  if (error)
    return (
      <div className="notice notice-error" role="alert">
        claude-flow-novice tasks: {error}
      </div>
    );
  if (!t || (!t.leader && t.queue.depth === 0 && t.agents.length === 0 && t.failures.length === 0)) return null;
  return (
    <section className="panel" data-testid="cfn-queue">
      <header className="panel-head">
        <h3>claude-flow-novice task routing</h3>
        <span className="tag tag-info">read-only</span>
      </header>
      <div className="muted">
        leader <strong className="mono">{t.leader?.coordinator ?? 'none'}</strong>
        {t.leader && ` (lease ${Math.max(0, Math.round(t.leader.ttlMs / 1000))} s left)`}
        {' · '}queue <strong data-testid="cfn-queue-depth">{t.queue.depth}</strong> task{t.queue.depth === 1 ? '' : 's'}, oldest queued{' '}
        {age(t.queue.oldestAgeMs)} ago
      </div>
      {t.queue.entries.length > 0 && (
        <table className="data-table compact">
          <thead>
            <tr>
              <th>Task</th>
              <th>What</th>
              <th>Queued by</th>
              <th className="num">Waiting</th>
            </tr>
          </thead>
          <tbody>
            {t.queue.entries.slice(0, 20).map((e) => (
              <tr key={e.id}>
                <td className="mono">{e.id}</td>
                <td>{e.task}</td>
                <td className="mono">{e.queuedBy}</td>
                <td className="num">{age(readAt - e.queuedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h4>Agents</h4>
      {t.agents.length === 0 ? <p className="muted">None registered.</p> : <CfnAgents agents={t.agents} />}
      <h4>Routing failures</h4>
      {t.failures.length === 0 ? <p className="muted">None.</p> : <CfnFailures failures={t.failures} />}
    </section>
  );
}

function CfnAgents({ agents }: { agents: CfnTaskSource['agents'] }) {
  return (
    <table className="data-table compact">
      <thead>
        <tr>
          <th>Agent</th>
          <th>Type</th>
          <th>Status</th>
          <th className="num">Load</th>
        </tr>
      </thead>
      <tbody>
        {agents.map((a) => (
          <tr key={a.id}>
            <td className="mono">{a.id}</td>
            <td>{a.type}</td>
            <td>{a.status}</td>
            <td className="num">{(a.load * 100).toFixed(0)} %</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CfnFailures({ failures }: { failures: CfnTaskSource['failures'] }) {
  return (
    <table className="data-table compact" data-testid="cfn-failures">
      <thead>
        <tr>
          <th>Task</th>
          <th>What</th>
          <th>Error</th>
          <th>When</th>
        </tr>
      </thead>
      <tbody>
        {failures.map((f, i) => (
          <tr key={`${f.taskId}-${i}`} className="row-bad">
            <td className="mono">{f.taskId}</td>
            <td>{f.task}</td>
            <td>{f.error}</td>
            <td>{f.at ? new Date(f.at).toLocaleTimeString() : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
