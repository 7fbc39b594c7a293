import { useEffect, useState } from 'react';
import type { BackupDetail, BackupSummary, DryRunView, PreflightReport, RestoreView } from '../../../../../shared/model/backup';
import type { ProfileView } from '../../../../../shared/model/profile';
import { NoticeBar, errorText, type Notice } from '../../../components/notice';
import { useConfirmedAction } from '../../../components/use-confirmed-action';
import { Wizard, type WizardStep } from '../../../components/Wizard';
import { useJob } from '../../../app/jobs-store';
import { transport } from '../../../transport';
import { undoRequest, type UndoPayload } from '../RestoresPanel';
import { backupGuard, backupRequest } from '../backup-action';
import { keys } from '../backup-format';
import { track } from '../backups-store';
import { ChooseStep } from './ChooseStep';
import { DryRunStep } from './DryRunStep';
import { PoliciesStep } from './PoliciesStep';
import { PreflightStep } from './PreflightStep';
import { ReportStep } from './ReportStep';
import { RunStep } from './RunStep';
import { SelectStep } from './SelectStep';
import { SnapshotStep } from './SnapshotStep';
import {
  dryRunProblem,
  initialChoice,
  keysToWrite,
  policiesOf,
  policiesProblem,
  resultOf,
  selectionOf,
  selectionProblem,
  type RestoreChoice,
} from './wizard-model';

type Payload = { kind: 'restore' } | UndoPayload;

const STEP = { choose: 0, preflight: 1, select: 2, policies: 3, dryRun: 4, snapshot: 5, run: 6, report: 7 } as const;

interface Props {
  profileId: string;
  profile: ProfileView;
  backups: BackupSummary[];
  initial?: BackupSummary;
  onClose(): void;
}

/**
 * Restore in eight looks: nothing is written before step 7, and step 7 runs only after a dry run
 * against the target, a passed preflight, an explained safety snapshot and a confirmation.
 */
export function RestoreWizard({ profileId, profile, backups, initial, onClose }: Props) {
  const [step, setStep] = useState<number>(initial ? STEP.preflight : STEP.choose);
  const [choice, setChoice] = useState<RestoreChoice>(() => initialChoice(initial));
  // Each answer names the backup it is about, so a late one for a previous choice is never shown.
  const [detailOf, setDetail] = useState<BackupDetail | undefined>();
  const [preflightOf, setPreflight] = useState<{ backupId: string; report?: PreflightReport; error?: string } | undefined>();
  const [dryJobId, setDryJobId] = useState<string | undefined>();
  const [runJobId, setRunJobId] = useState<string | undefined>();
  const [undoJobId, setUndoJobId] = useState<string | undefined>();
  const [notice, setNotice] = useState<Notice | undefined>();
  const [busy, setBusy] = useState(false);
  const dryJob = useJob(dryJobId);
  const runJob = useJob(runJobId);
  const undoJob = useJob(undoJobId);
  const dry = resultOf<DryRunView>(dryJob);
  const restored = resultOf<RestoreView>(runJob);
  const backup = choice.backup;
  const source = backup ? { profileId, backupProfileId: backup.profileId, backupId: backup.id } : undefined;
  const detail = detailOf?.summary.id === backup?.id ? detailOf : undefined;
  const preflight: { report?: PreflightReport; error?: string } = preflightOf?.backupId === backup?.id && preflightOf ? preflightOf : {};

  // Preflight and the manifest belong to one backup: choosing another asks again.
  useEffect(() => {
    if (!source) return undefined;
    const { backupId } = source;
    void transport.call('backup.preflight', source).then(
      (report) => setPreflight({ backupId, report }),
      (e: unknown) => setPreflight({ backupId, error: errorText(e) }),
    );
    void transport.call('backup.show', { profileId: source.backupProfileId, backupId }).then(setDetail, () => undefined);
    return undefined;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the source is identified by its ids
  }, [source?.backupProfileId, source?.backupId, profileId]);

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

  const actions = useConfirmedAction<Payload>({
    perform: async (payload, confirm) => {
      if (payload.kind === 'undo') {
        setUndoJobId(
          track(await transport.call('backup.undo', { profileId, restoreId: payload.restoreId, ...(confirm ? { confirm } : {}) })).id,
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
    report: setNotice,
  });

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

  const dryBlocker = !dryJob
    ? 'The dry run has not run'
    : dryJob.state === 'running'
      ? 'The dry run is counting…'
      : dryJob.state !== 'done'
        ? `The dry run ${dryJob.state}: ${dryJob.error?.message ?? 'go back and run it again'}`
        : dryRunProblem(choice, dry);
  const preflightBlocker =
    preflight.error ??
    (!preflight.report
      ? 'Checking the target…'
      : preflight.report.ok
        ? undefined
        : `Refused: ${preflight.report.checks
            .filter((c) => c.status === 'fail')
            .map((c) => c.message)
            .join('; ')}`);
  const runBlocker = !runJob
    ? 'Run the restore first'
    : runJob.state === 'running'
      ? 'Restoring…'
      : runJob.state === 'done'
        ? undefined
        : `The restore ${runJob.state}: ${runJob.error?.message ?? ''}`;

  const steps: WizardStep[] = [
    {
      id: 'choose',
      title: 'Backup',
      content: <ChooseStep profileId={profileId} backups={backups} chosen={backup} onChoose={(b) => change({ backup: b })} />,
      ...(backup ? {} : { blocker: 'Choose a backup' }),
    },
    {
      id: 'preflight',
      title: 'Preflight',
      content: <PreflightStep report={preflight.report} error={preflight.error} />,
      ...(preflightBlocker ? { blocker: preflightBlocker } : {}),
    },
    {
      id: 'select',
      title: 'Select',
      content: <SelectStep profileId={profileId} choice={choice} detail={detail} onChange={change} />,
      ...(selectionProblem(choice) ? { blocker: selectionProblem(choice) } : {}),
    },
    {
      id: 'policies',
      title: 'Policies',
      content: <PoliciesStep choice={choice} onChange={change} />,
      nextLabel: 'Dry run →',
      ...(policiesProblem(choice) ? { blocker: policiesProblem(choice) } : {}),
    },
    { id: 'dry-run', title: 'Dry run', content: <DryRunStep job={dryJob} report={dry} />, ...(dryBlocker ? { blocker: dryBlocker } : {}) },
    {
      id: 'snapshot',
      title: 'Safety snapshot',
      content: dry ? <SnapshotStep choice={choice} dry={dry} profileName={profile.name} /> : null,
    },
    {
      id: 'run',
      title: 'Run',
      content: dry ? <RunStep choice={choice} dry={dry} profile={profile} job={runJob} busy={actions.busy} onRun={runRestore} /> : null,
      nextLabel: 'Verification report →',
      ...(runBlocker ? { blocker: runBlocker } : {}),
    },
    {
      id: 'report',
      title: 'Verification',
      final: true,
      content: restored ? (
        <ReportStep
          report={restored}
          profile={profile}
          undoJob={undoJob}
          onUndo={(restoreId) => actions.ask(undoRequest(profile, restoreId))}
        />
      ) : null,
    },
  ];

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
