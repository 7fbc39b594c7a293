import type { DryRunView } from '../../../../../shared/model/backup';
import { count } from '../backup-format';
import type { RestoreChoice } from './wizard-model';

/** Says what the automatic safety snapshot will hold, so the operator knows what Undo can give back. */
export function SnapshotStep({ choice, dry, profileName }: { choice: RestoreChoice; dry: DryRunView; profileName: string }) {
  const overwritten = choice.conflict === 'replace' ? dry.different.count + dry.identical.count : 0;
  return (
    <div className="snapshot-step" data-testid="snapshot-step">
      <p>
        Before the first key is written, Swarmdeck takes a <strong>safety snapshot</strong> of {profileName}: it is automatic, and it is
        finished on disk before anything changes.
      </p>
      <ul className="snapshot-holds">
        <li>
          <strong>{count(dry.new.count)}</strong> {dry.new.count === 1 ? 'key' : 'keys'} the restore creates are noted by name: Undo deletes
          them again.
        </li>
        <li>
          {overwritten > 0 ? (
            <>
              <strong>{count(overwritten)}</strong> current values the restore overwrites are saved in full (with their TTL): Undo puts them
              back.
            </>
          ) : (
            <>
              No existing key is overwritten (conflict policy <code>{choice.conflict}</code>), so no value needs saving.
            </>
          )}
        </li>
        <li>Every key the restore actually writes is logged, so Undo touches exactly those and nothing written by anyone else.</li>
      </ul>
      <p className="muted">
        Keys only in the target ({count(dry.onlyInTarget.count)}) are not touched by the restore, so they are not in the snapshot.
      </p>
    </div>
  );
}
