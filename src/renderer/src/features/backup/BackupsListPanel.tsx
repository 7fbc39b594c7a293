import type { BackupSummary } from '../../../../shared/model/backup';
import type { ProfileView } from '../../../../shared/model/profile';
import { errorText, type Notice } from '../../components/notice';
import type { ConfirmRequest } from '../../components/use-confirmed-action';
import { backupGuard, backupRequest } from './backup-action';
import { keys } from './backup-format';
import { BackupTable } from './BackupTable';
import { useBackups } from './backups-store';
import type { BackupPayload } from './use-backup-actions';

interface Props {
  profileId: string;
  profile: ProfileView;
  backups: BackupSummary[] | undefined;
  /** Verify with a test restore: kept by the page, so it survives a trip through the wizard. */
  testRestore: boolean;
  setTestRestore(on: boolean): void;
  onRestore(backup: BackupSummary): void;
  ask(request: ConfirmRequest<BackupPayload>): void;
  report(notice: Notice): void;
}

/** The profile's backups, newest first, each to restore, verify or delete; or how to take the first. */
export function BackupsListPanel({ profileId, profile, backups, testRestore, setTestRestore, onRestore, ask, report }: Props) {
  const verify = async (backup: BackupSummary): Promise<void> => {
    try {
      await useBackups.getState().verify(profileId, backup.id, testRestore);
    } catch (error) {
      report({ kind: 'error', text: errorText(error) });
    }
  };
  return (
    <section className="panel" aria-label="Backups list">
      <header className="panel-head">
        <h3>
          Backups <span className="count">{backups?.length ?? 0}</span>
        </h3>
        <span className="muted">newest first · stored in the Swarmdeck home, per profile</span>
        {/* A test restore runs a private redis-server beside the app: slower, so the operator opts in. */}
        <label className="check" title="Verify restores every key into a private scratch redis-server, not into this profile">
          <input type="checkbox" checked={testRestore} onChange={(e) => setTestRestore(e.target.checked)} />
          Verify with a test restore into a scratch server
        </label>
      </header>
      {backups && backups.length === 0 ? (
        <div className="empty-state" data-testid="backups-empty">
          <h3>No backups yet</h3>
          <p className="muted">
            Choose a scope above and press <strong>Back up now</strong>: Swarmdeck reads every key with SCAN and DUMP, so nothing in Redis
            changes. Or set a schedule below, or bring an existing <code>dump.rdb</code> in with <strong>Restore from .rdb file</strong>.
          </p>
        </div>
      ) : backups ? (
        <BackupTable
          backups={backups}
          profile={profile}
          onRestore={onRestore}
          onVerify={(backup) => void verify(backup)}
          onDelete={(backup) =>
            ask(
              backupRequest<BackupPayload>(
                { kind: 'delete', backup },
                'Delete the backup',
                `Backup ${backup.id} (${keys(backup.keys)}) is deleted from disk for good.`,
                backupGuard(profile, 'backup.delete'),
              ),
            )
          }
        />
      ) : null}
    </section>
  );
}
