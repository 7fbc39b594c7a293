import { declaredGuard } from '../../../../shared/declared-guard';
import type { GuardDecision } from '../../../../shared/guards';
import type { MemoryEntry } from '../../../../shared/model/memory';
import { refusedProps } from '../../components/guard-button';
import type { LiveConnection } from '../../app/page';
import { pretty, spaceOf } from './memory-space';

interface Props {
  entry: MemoryEntry;
  connection: LiveConnection;
  busy: boolean;
  onEdit(): void;
  onDelete(decision: GuardDecision): void;
}

/** The entry opened: its value, who wrote it and when, with edit and delete. */
export function OpenEntry({ entry, connection: { profileId, profile }, busy, onEdit, onDelete }: Props) {
  const edit = declaredGuard(
    'memory.set',
    { profileId, ...spaceOf(entry), key: entry.key, value: entry.value, expectVersion: entry.version },
    profile,
  );
  const remove = declaredGuard('memory.delete', { profileId, ...spaceOf(entry), key: entry.key, expectVersion: entry.version }, profile);
  return (
    <div className="memory-entry" data-testid="memory-entry">
      <div className="memory-entry-head">
        <h4 className="mono">{entry.key}</h4>
        <span className="spacer" />
        <button type="button" className="btn btn-small" disabled={busy || !edit.allowed} {...refusedProps(edit)} onClick={onEdit}>
          Edit
        </button>
        <button
          type="button"
          className="btn btn-small btn-ghost-danger"
          disabled={busy || !remove.allowed}
          {...refusedProps(remove)}
          onClick={() => onDelete(remove)}
        >
          Delete
        </button>
      </div>
      <div className="muted">
        version {entry.version} by {entry.updatedBy || 'unknown'} · {new Date(entry.updatedAt).toLocaleString()}
        {entry.ttlMs !== undefined ? ` · expires in ${Math.round(entry.ttlMs / 1000)} s` : ''}
        {entry.tags.length ? ` · ${entry.tags.join(', ')}` : ''}
      </div>
      <pre className="mono">{pretty(entry.value)}</pre>
    </div>
  );
}
