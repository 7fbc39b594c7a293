import type { MemoryConflict } from '../../../../shared/model/memory';
import { refusedProps } from '../../components/guard-button';
import { pretty } from './memory-space';
import type { ConflictActions } from './use-memory-actions';

/** The conflicts kept for an operator, each with both sides and a choice between them. */
export function ConflictList({ conflicts, actions }: { conflicts: MemoryConflict[]; actions: ConflictActions }) {
  if (conflicts.length === 0) return null;
  return (
    <div className="memory-conflicts" data-testid="memory-conflicts">
      <h4>Conflicts kept for an operator</h4>
      {conflicts.map((c) => (
        <ConflictCard key={c.key} conflict={c} actions={actions} />
      ))}
    </div>
  );
}

function ConflictCard({ conflict: c, actions }: { conflict: MemoryConflict; actions: ConflictActions }) {
  const keepLocal = actions.decide(c, 'local');
  const keepRemote = actions.decide(c, 'remote');
  const busy = actions.resolve.busy;
  return (
    <div className="conflict-card" data-testid={`conflict-${c.key}`}>
      <div className="mono">{c.key}</div>
      <div className="conflict-sides">
        <div>
          <div className="muted">
            {c.local.by} wrote (from version {c.local.baseVersion})
          </div>
          <pre className="mono">{pretty(c.local.value)}</pre>
        </div>
        <div>
          <div className="muted">
            stored: version {c.remote.version} by {c.remote.by}
          </div>
          <pre className="mono">{pretty(c.remote.value)}</pre>
        </div>
      </div>
      <div className="panel-actions">
        <button
          type="button"
          className="btn btn-small btn-ghost-danger"
          disabled={busy || !keepLocal.allowed}
          {...refusedProps(keepLocal)}
          onClick={() => actions.ask(c, 'local')}
        >
          Keep {c.local.by}'s
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={busy || !keepRemote.allowed}
          {...refusedProps(keepRemote)}
          onClick={() => actions.ask(c, 'remote')}
        >
          Keep stored
        </button>
      </div>
    </div>
  );
}
