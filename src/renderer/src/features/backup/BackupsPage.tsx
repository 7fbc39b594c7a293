import { useCallback, useEffect, useState } from 'react';
import type { BackupSummary, RecoveryPlanView } from '../../../../shared/model/backup';
import type { LiveConnection } from '../../app/page';
import { useJobs } from '../../app/jobs-store';
import { NoticeBar, errorText, type Notice } from '../../components/notice';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import { transport } from '../../transport';
import { backupGuard, backupRequest } from './backup-action';
import { keys, when } from './backup-format';
import { BackupNow } from './BackupNow';
import { BackupTable } from './BackupTable';
import { useBackups } from './backups-store';
import { RecoveryPanel, type RecoverPayload } from './RecoveryPanel';
import { RestoresPanel, type UndoPayload } from './RestoresPanel';
import { RestoreWizard } from './restore/RestoreWizard';
import { RetentionPanel, type PrunePayload } from './RetentionPanel';
import { SchedulePanel } from './SchedulePanel';

const LIST_CHANGING = new Set(['backup', 'backup.importRdb', 'backup.verify', 'backup.restore', 'backup.undo']);

type Payload = { kind: 'delete'; backup: BackupSummary } | PrunePayload | RecoverPayload | UndoPayload;

/** The wizard is open on a backup, on an empty choice (step 1), or closed. */
type WizardOpen = { backup?: BackupSummary } | undefined;

/** Another profile starts from a clean page: an open wizard or a recovery plan belongs to the previous one. */
export function BackupsPage({ connection }: { connection: LiveConnection }) {
  return <BackupsView key={connection.profileId} connection={connection} />;
}

function BackupsView({ connection: { profileId, profile } }: { connection: LiveConnection }) {
  const backups = useBackups((s) => s.lists[profileId]);
  const restores = useBackups((s) => s.restores[profileId]);
  const [notice, setNotice] = useState<Notice | undefined>();
  const [wizard, setWizard] = useState<WizardOpen>();
  const [recovery, setRecovery] = useState<RecoveryPlanView | undefined>();
  const [testRestore, setTestRestore] = useState(false);

  const reload = useCallback(() => {
    const s = useBackups.getState();
    void Promise.all([s.load(profileId), s.loadRestores(profileId)]).catch((e: unknown) =>
      setNotice({ kind: 'error', text: errorText(e) }),
    );
  }, [profileId]);
  useEffect(() => reload(), [reload]);

  // Any backup work of this profile that ends — from this page, the wizard, the CLI or the
  // schedule — changes the list or the restores, so the page asks again.
  const ended = useJobs(
    (s) => Object.values(s.jobs).filter((j) => j.profileId === profileId && LIST_CHANGING.has(j.kind) && j.state !== 'running').length,
  );
  useEffect(() => {
    if (ended > 0) reload();
  }, [ended, reload]);

  const actions = useConfirmedAction<Payload>({
    perform: async (p, confirm) => {
      const c = confirm ? { confirm } : {};
      switch (p.kind) {
        case 'delete':
          await transport.call('backup.delete', { profileId, backupId: p.backup.id, ...c });
          reload();
          return `Deleted backup ${p.backup.id}`;
        case 'prune': {
          const { removed } = await transport.call('backup.retention.apply', { profileId, policy: p.policy, ...c });
          reload();
          return `Removed ${removed.length} backup${removed.length === 1 ? '' : 's'}`;
        }
        case 'recover': {
          const r = await transport.call('backup.recovery.apply', { profileId, ...c });
          setRecovery(undefined);
          return `Recovery: ${r.applied} fixed${r.failed.length ? `, ${r.failed.length} failed (${r.failed.map((f) => `${f.subject}: ${f.error}`).join('; ')})` : ''}`;
        }
        case 'undo': {
          const job = await transport.call('backup.undo', { profileId, restoreId: p.restoreId, ...c });
          useJobs.getState().apply(job);
          return `Undo of ${p.restoreId} started`;
        }
      }
    },
    report: setNotice,
  });

  const verify = async (backup: BackupSummary): Promise<void> => {
    try {
      useBackups.getState().setVerifyJob(backup.id, await transport.call('backup.verify', { profileId, backupId: backup.id, testRestore }));
    } catch (error) {
      setNotice({ kind: 'error', text: errorText(error) });
    }
  };

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
            onRestore={(backup) => setWizard({ backup })}
            onVerify={(backup) => void verify(backup)}
            onDelete={(backup) =>
              actions.ask(
                backupRequest<Payload>(
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
      {restores ? <RestoresPanel restores={restores} profile={profile} ask={actions.ask} /> : null}
      <div className="backup-side">
        <SchedulePanel profileId={profileId} profile={profile} report={setNotice} />
        <RetentionPanel profileId={profileId} profile={profile} report={setNotice} ask={actions.ask} />
      </div>
      <RecoveryPanel profileId={profileId} profile={profile} report={setNotice} ask={actions.ask} plan={recovery} setPlan={setRecovery} />
      {actions.dialog}
    </div>
  );
}
