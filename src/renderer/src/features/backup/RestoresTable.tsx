import type { RestoreRecord, RestoreState } from '../../../../shared/model/backup';
import type { ProfileView } from '../../../../shared/model/profile';
import { formatAge } from '../../components/format';
import { refusedProps } from '../../components/guard-button';
import type { ConfirmRequest } from '../../components/use-confirmed-action';
import { backupGuard } from './backup-action';
import { count, when } from './backup-format';
import { undoRequest, type UndoPayload } from './RestoresPanel';

const STATE_TAGS: Record<RestoreState, { tag: string; says: string }> = {
  running: { tag: 'tag-info', says: 'still writing to the target' },
  completed: { tag: 'tag-ok', says: 'ended as it should' },
  failed: { tag: 'tag-bad', says: 'stopped on an error; undo puts back what it wrote' },
  cancelled: { tag: 'tag-muted', says: 'cancelled; undo puts back what it wrote' },
  interrupted: { tag: 'tag-warn', says: 'its process died before it ended; undo puts back what it wrote' },
  undone: { tag: 'tag-muted', says: 'undone: the target holds again what it held before' },
};

function StateTag({ r }: { r: RestoreRecord }) {
  const s = STATE_TAGS[r.state];
  return (
    <span className={`tag ${s.tag}`} title={r.error ? `${s.says}: ${r.error.message}` : s.says}>
      {r.state}
    </span>
  );
}

/** What the restore touched: the keys its snapshot saved, and how many it wrote once it said so. */
const keysText = (r: RestoreRecord) => (r.written === undefined ? count(r.keys) : `${count(r.written)} of ${count(r.keys)}`);

/**
 * Every restore into this profile, newest first, with where it stands and its undo id (the id the
 * CLI's `undo` takes); Undo opens the same confirmed undo as the wizard's report.
 */
export function RestoresTable({
  restores,
  profile,
  ask,
}: {
  restores: RestoreRecord[];
  profile: ProfileView;
  ask(r: ConfirmRequest<UndoPayload>): void;
}) {
  if (restores.length === 0) return null;
  const undo = backupGuard(profile, 'backup.undo');
  return (
    <section className="panel" aria-label="Restores" data-testid="restores-panel">
      <header className="panel-head">
        <h3>Restores into this profile</h3>
        <span className="muted">each kept a safety snapshot; its id undoes it</span>
      </header>
      <table className="data-table compact">
        <thead>
          <tr>
            <th>When</th>
            <th>State</th>
            <th>Target</th>
            <th>From backup</th>
            <th className="num">Keys</th>
            <th>Undo id</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {restores.map((r) => (
            <tr key={r.restoreId} data-testid={`restore-${r.restoreId}`}>
              <td>
                <span className="mono">{when(r.createdAt)}</span> <span className="sub">{formatAge(r.createdAt)} ago</span>
              </td>
              <td>
                <StateTag r={r} />
              </td>
              <td>{r.target.profileName}</td>
              <td className="mono ellipsis" title={`${r.backupProfileId} / ${r.backupId}`}>
                {r.backupId}
              </td>
              <td className="num" title="written of the keys its safety snapshot saved">
                {keysText(r)}
              </td>
              <td className="mono" data-testid="restore-undo-id">
                {r.restoreId}
              </td>
              <td>
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={r.state === 'undone' || r.state === 'running' || !undo.allowed}
                  {...refusedProps(undo)}
                  onClick={() => ask(undoRequest(profile, r.restoreId))}
                >
                  Undo…
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
