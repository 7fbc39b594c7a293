import type { RestoreRecord } from '../../../../shared/model/backup';
import type { ProfileView } from '../../../../shared/model/profile';
import { formatAge } from '../../components/format';
import { refusedProps } from '../../components/guard-button';
import type { ConfirmRequest } from '../../components/use-confirmed-action';
import { backupGuard, backupRequest } from './backup-action';
import { count, when } from './backup-format';

export interface UndoPayload {
  kind: 'undo';
  restoreId: string;
  /** Also put back keys changed since the restore (by default undo names them and leaves them). */
  replaceChanged: boolean;
}

export const undoRequest = (profile: ProfileView, restoreId: string, replaceChanged = false): ConfirmRequest<UndoPayload> =>
  backupRequest<UndoPayload>(
    { kind: 'undo', restoreId, replaceChanged },
    replaceChanged ? 'Replace the keys changed since the restore' : 'Undo the restore',
    replaceChanged
      ? `The keys changed since restore ${restoreId} get back what they held before it too: the writes made to them since are lost.`
      : `The keys restore ${restoreId} overwrote get their previous values back, and the keys it created are deleted. Keys changed since the restore are listed and left as they are.`,
    backupGuard(profile, 'backup.undo'),
  );

/** Restores into this profile, newest first, each undoable from its safety snapshot. */
export function RestoresPanel({
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
        <span className="muted">each kept a safety snapshot</span>
      </header>
      <table className="data-table compact">
        <thead>
          <tr>
            <th>When</th>
            <th>From backup</th>
            <th className="num">Keys saved</th>
            <th>State</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {restores.map((r) => (
            <tr key={r.restoreId} data-testid={`restore-${r.restoreId}`}>
              <td>
                <span className="mono">{when(r.createdAt)}</span> <span className="sub">{formatAge(r.createdAt)} ago</span>
              </td>
              <td className="mono ellipsis" title={`${r.backupProfileId} / ${r.backupId}`}>
                {r.backupId}
              </td>
              <td className="num">{count(r.keys)}</td>
              <td>{r.undone ? <span className="tag tag-muted">undone</span> : <span className="tag tag-ok">applied</span>}</td>
              <td>
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={r.undone || !undo.allowed}
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
