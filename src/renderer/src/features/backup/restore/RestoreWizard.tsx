import { useState } from 'react';
import type { BackupSummary, DryRunView } from '../../../../../shared/model/backup';
import type { ProfileView } from '../../../../../shared/model/profile';
import { NoticeBar, errorText, type Notice } from '../../../components/notice';
import { useConfirmedAction } from '../../../components/use-confirmed-action';
import { Wizard } from '../../../components/Wizard';
import { useJob } from '../../../app/jobs-store';
import { transport } from '../../../transport';
import { undoRequest, type UndoPayload } from '../RestoresPanel';
import { backupGuard, backupRequest } from '../backup-action';
import { keys } from '../backup-format';
import { track } from '../backups-store';
import { restoreSteps, STEP } from './restore-steps';
import { useRestoreTarget, type RestoreSource } from './use-restore-target';
import { initialChoice, keysToWrite, policiesOf, resultOf, selectionOf, type RestoreChoice } from './wizard-model';

type Payload = { kind: 'restore' } | UndoPayload;

interface Props {
  profileId: string;
  profile: ProfileView;
  backups: BackupSummary[];
  initial?: BackupSummary;
  onClose(): void;
}

/** The restore and its undo, both confirmed; each started job is tracked by its id. */
function useRestoreJobs(profileId: string, source: RestoreSource | undefined, choice: RestoreChoice, report: (n: Notice) => void) {
  const [runJobId, setRunJobId] = useState<string | undefined>();
  const [undoJobId, setUndoJobId] = useState<string | undefined>();
  const actions = useConfirmedAction<Payload>({
    perform: async (payload, confirm) => {
      if (payload.kind === 'undo') {
        setUndoJobId(
          track(
            await transport.call('backup.undo', {
              profileId,
              restoreId: payload.restoreId,
              replaceChanged: payload.replaceChanged,
              ...(confirm ? { confirm } : {}),
            }),
          ).id,
        );
        return undefined;
      }
      if (!source) return undefined;
      const job = await transport.call('backup.restore', {
        ...source,
        selection: selectionOf(choice),
        policies: policiesOf(choice),
        verify: true,
        ...(confirm ? { confirm } : {}),
      });
      setRunJobId(track(job).id);
      return undefined;
    },
    report,
  });
  return { actions, runJob: useJob(runJobId), undoJob: useJob(undoJobId) };
}

/**
 * Restore in eight looks: nothing is written before step 7, and step 7 runs only after a dry run
 * against the target, a passed preflight, an explained safety snapshot and a confirmation.
 */
export function RestoreWizard({ profileId, profile, backups, initial, onClose }: Props) {
  const [step, setStep] = useState<number>(initial ? STEP.preflight : STEP.choose);
  const [choice, setChoice] = useState<RestoreChoice>(() => initialChoice(initial));
  const [dryJobId, setDryJobId] = useState<string | undefined>();
  const [notice, setNotice] = useState<Notice | undefined>();
  const [busy, setBusy] = useState(false);
  const backup = choice.backup;
  const source = backup ? { profileId, backupProfileId: backup.profileId, backupId: backup.id } : undefined;
  const { detail, preflight } = useRestoreTarget(source);
  const dryJob = useJob(dryJobId);
  const dry = resultOf<DryRunView>(dryJob);
  const { actions, runJob, undoJob } = useRestoreJobs(profileId, source, choice, setNotice);

  const change = (patch: Partial<RestoreChoice>): void => {
    setChoice((c) => ({ ...c, ...patch }));
    // A dry run answers for one selection and one set of policies only.
    if (!('backup' in patch) || patch.backup?.id !== backup?.id) setDryJobId(undefined);
  };

  const startDryRun = async (): Promise<void> => {
    if (!source) return;
    setBusy(true);
    try {
      const job = await transport.call('backup.dryRun', {
        ...source,
        selection: selectionOf(choice),
        policies: policiesOf(choice),
        samples: 8,
      });
      setDryJobId(track(job).id);
      setStep(STEP.dryRun);
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  const runRestore = (): void => {
    if (!dry || !backup) return;
    actions.ask(
      backupRequest<Payload>(
        { kind: 'restore' },
        'Run the restore',
        `${keys(keysToWrite(choice, dry))} of backup ${backup.id} are written into ${profile.name}. The safety snapshot is taken first; Undo can take the restore back.`,
        backupGuard(profile, 'backup.restore'),
      ),
    );
  };

  const steps = restoreSteps({
    profileId,
    profile,
    backups,
    choice,
    detail,
    preflight,
    dryJob,
    runJob,
    undoJob,
    busy: actions.busy,
    change,
    onRun: runRestore,
    onUndo: (restoreId, replaceChanged) => actions.ask(undoRequest(profile, restoreId, replaceChanged)),
  });
  return (
    <div className="restore-wizard">
      <NoticeBar notice={notice} />
      <Wizard
        title={backup ? `Restore ${backup.id} into ${profile.name}` : `Restore into ${profile.name}`}
        steps={steps}
        current={step}
        // Once the restore has started, its choices are history: only the report lies ahead.
        lockedBefore={runJob ? STEP.run : 0}
        busy={busy || runJob?.state === 'running'}
        onStep={setStep}
        onNext={(i) => (i === STEP.policies ? void startDryRun() : setStep(i + 1))}
        onClose={onClose}
      />
      {actions.dialog}
    </div>
  );
}
