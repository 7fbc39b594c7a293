import type { BackupSummary } from '../../../../shared/model/backup';
import type { Notice } from '../../components/notice';
import { useConfirmedAction, type ConfirmedAction } from '../../components/use-confirmed-action';
import { useBackups } from './backups-store';
import type { RecoverPayload } from './RecoveryPanel';
import type { UndoPayload } from './RestoresPanel';
import type { PrunePayload } from './RetentionPanel';

/** Every confirmed action of the Backups page, one dialog for all of them. */
export type BackupPayload = { kind: 'delete'; backup: BackupSummary } | PrunePayload | RecoverPayload | UndoPayload;

interface Effects {
  /** Asks again for the list and the restores. */
  reload(): void;
  /** A recovery was applied: its plan is spent. */
  recovered(): void;
  report(notice: Notice): void;
}

/** The page's confirmed actions: delete, prune, apply recovery and undo a restore, each said in one sentence. */
export function useBackupActions(profileId: string, { reload, recovered, report }: Effects): ConfirmedAction<BackupPayload> {
  return useConfirmedAction<BackupPayload>({
    perform: async (p, confirm) => {
      const backups = useBackups.getState();
      switch (p.kind) {
        case 'delete':
          await backups.remove(profileId, p.backup.id, confirm);
          reload();
          return `Deleted backup ${p.backup.id}`;
        case 'prune': {
          const removed = await backups.prune(profileId, p.policy, confirm);
          reload();
          return `Removed ${removed.length} backup${removed.length === 1 ? '' : 's'}`;
        }
        case 'recover': {
          const r = await backups.applyRecovery(profileId, confirm);
          recovered();
          return `Recovery: ${r.applied} fixed${r.failed.length ? `, ${r.failed.length} failed (${r.failed.map((f) => `${f.subject}: ${f.error}`).join('; ')})` : ''}`;
        }
        case 'undo': {
          await backups.undo({ profileId, restoreId: p.restoreId, replaceChanged: p.replaceChanged, ...(confirm ? { confirm } : {}) });
          return `Undo of ${p.restoreId} started`;
        }
      }
    },
    report,
  });
}
