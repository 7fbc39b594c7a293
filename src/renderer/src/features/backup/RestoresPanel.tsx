import type { ProfileView } from '../../../../shared/model/profile';
import type { ConfirmRequest } from '../../components/use-confirmed-action';
import { backupGuard, backupRequest } from './backup-action';

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
