import { useCallback, useEffect, useState } from 'react';
import type { BackupSummary, RecoveryPlanView } from '../../../../shared/model/backup';
import type { LiveConnection } from '../../app/page';
import { useJobs } from '../../app/jobs-store';
import { NoticeBar, errorText, type Notice } from '../../components/notice';
import { keys, when } from './backup-format';
import { BackupNow } from './BackupNow';
import { BackupsListPanel } from './BackupsListPanel';
import { useBackups } from './backups-store';
import { RecoveryPanel } from './RecoveryPanel';
import { RestoresTable } from './RestoresTable';
import { RestoreWizard } from './restore/RestoreWizard';
import { RetentionPanel } from './RetentionPanel';
import { SchedulePanel } from './SchedulePanel';
import { useBackupActions } from './use-backup-actions';

const LIST_CHANGING = new Set(['backup', 'backup.importRdb', 'backup.verify', 'backup.restore', 'backup.undo']);

/** The wizard is open on a backup, on an empty choice (step 1), or closed. */
type WizardOpen = { backup?: BackupSummary } | undefined;

/** Another profile starts from a clean page: an open wizard or a recovery plan belongs to the previous one. */
export function BackupsPage({ connection }: { connection: LiveConnection }) {
  return <BackupsView key={connection.profileId} connection={connection} />;
}

/**
 * Loads the profile's backups and restores, and again whenever backup work of this profile ends —
 * from this page, the wizard, the CLI or the schedule — since that changes the list or the restores.
 */
function useBackupLists(profileId: string, report: (n: Notice) => void) {
  const backups = useBackups((s) => s.lists[profileId]);
  const restores = useBackups((s) => s.restores[profileId]);
  const reload = useCallback(() => {
    const s = useBackups.getState();
    void Promise.all([s.load(profileId), s.loadRestores(profileId)]).catch((e: unknown) => report({ kind: 'error', text: errorText(e) }));
  }, [profileId, report]);
  useEffect(() => reload(), [reload]);
  const ended = useJobs(
    (s) => Object.values(s.jobs).filter((j) => j.profileId === profileId && LIST_CHANGING.has(j.kind) && j.state !== 'running').length,
  );
  useEffect(() => {
    if (ended > 0) reload();
  }, [ended, reload]);
  return { backups, restores, reload };
}

function BackupsView({ connection: { profileId, profile } }: { connection: LiveConnection }) {
  const [notice, setNotice] = useState<Notice | undefined>();
  const [wizard, setWizard] = useState<WizardOpen>();
  const [recovery, setRecovery] = useState<RecoveryPlanView | undefined>();
  const [testRestore, setTestRestore] = useState(false);
  const { backups, restores, reload } = useBackupLists(profileId, setNotice);
  const actions = useBackupActions(profileId, { reload, recovered: () => setRecovery(undefined), report: setNotice });

  if (wizard) {
    return (
      <div className="page backups-page">
        <RestoreWizard
          profileId={profileId}
          profile={profile}
          backups={backups ?? []}
          initial={wizard.backup}
          onClose={() => setWizard(undefined)}
        />
      </div>
    );
  }

  const latest = backups?.[0];
  return (
    <div className="page backups-page">
      <div className="page-head">
        <div>
          <h2>Backups</h2>
          <p className="muted">
            {backups === undefined
              ? 'Loading…'
              : backups.length === 0
                ? `No backup of ${profile.name} yet.`
                : `${backups.length} backup${backups.length === 1 ? '' : 's'} of ${profile.name}; the latest taken ${when(latest?.createdAt ?? '')}, ${keys(latest?.keys ?? 0)}.`}
          </p>
        </div>
        <button type="button" className="btn" onClick={() => setWizard({})}>
          Restore from .rdb file…
        </button>
      </div>
      <NoticeBar notice={notice} />
      <BackupNow profileId={profileId} report={setNotice} />
      <BackupsListPanel
        profileId={profileId}
        profile={profile}
        backups={backups}
        testRestore={testRestore}
        setTestRestore={setTestRestore}
        onRestore={(backup) => setWizard({ backup })}
        ask={actions.ask}
        report={setNotice}
      />
      {restores ? <RestoresTable restores={restores} profile={profile} ask={actions.ask} /> : null}
      <div className="backup-side">
        <SchedulePanel profileId={profileId} profile={profile} report={setNotice} />
        <RetentionPanel profileId={profileId} profile={profile} report={setNotice} ask={actions.ask} />
      </div>
      <RecoveryPanel profileId={profileId} profile={profile} report={setNotice} ask={actions.ask} plan={recovery} setPlan={setRecovery} />
      {actions.dialog}
    </div>
  );
}
