import type { BackupDetail, BackupSummary, DryRunView, RestoreView } from '../../../../../shared/model/backup';
import type { JobView } from '../../../../../shared/model/job';
import type { ProfileView } from '../../../../../shared/model/profile';
import type { WizardStep } from '../../../components/Wizard';
import { ChooseStep } from './ChooseStep';
import { DryRunStep } from './DryRunStep';
import { PoliciesStep } from './PoliciesStep';
import { PreflightStep } from './PreflightStep';
import { ReportStep } from './ReportStep';
import { RunStep } from './RunStep';
import { SelectStep } from './SelectStep';
import { SnapshotStep } from './SnapshotStep';
import type { Preflight } from './use-restore-target';
import {
  dryRunBlocker,
  policiesProblem,
  preflightBlocker,
  resultOf,
  runBlocker,
  selectionProblem,
  type RestoreChoice,
} from './wizard-model';

/** Where each look is in the wizard. */
export const STEP = { choose: 0, preflight: 1, select: 2, policies: 3, dryRun: 4, snapshot: 5, run: 6, report: 7 } as const;

export interface RestoreStepsState {
  profileId: string;
  profile: ProfileView;
  backups: BackupSummary[];
  choice: RestoreChoice;
  detail: BackupDetail | undefined;
  preflight: Preflight;
  dryJob: JobView | undefined;
  runJob: JobView | undefined;
  undoJob: JobView | undefined;
  /** A confirmed action is in flight. */
  busy: boolean;
  change(patch: Partial<RestoreChoice>): void;
  onRun(): void;
  onUndo(restoreId: string, replaceChanged: boolean): void;
}

const blocked = (blocker: string | undefined): { blocker?: string } => (blocker ? { blocker } : {});

/** The eight looks of a restore, each with what keeps the operator from going on. */
export function restoreSteps(s: RestoreStepsState): WizardStep[] {
  const { profileId, profile, choice, dryJob, runJob } = s;
  const backup = choice.backup;
  const dry = resultOf<DryRunView>(dryJob);
  const restored = resultOf<RestoreView>(runJob);
  return [
    {
      id: 'choose',
      title: 'Backup',
      content: <ChooseStep profileId={profileId} backups={s.backups} chosen={backup} onChoose={(b) => s.change({ backup: b })} />,
      ...blocked(backup ? undefined : 'Choose a backup'),
    },
    {
      id: 'preflight',
      title: 'Preflight',
      content: <PreflightStep report={s.preflight.report} error={s.preflight.error} />,
      ...blocked(preflightBlocker(s.preflight)),
    },
    {
      id: 'select',
      title: 'Select',
      content: <SelectStep profileId={profileId} choice={choice} detail={s.detail} onChange={s.change} />,
      ...blocked(selectionProblem(choice)),
    },
    {
      id: 'policies',
      title: 'Policies',
      content: <PoliciesStep choice={choice} onChange={s.change} />,
      nextLabel: 'Dry run →',
      ...blocked(policiesProblem(choice)),
    },
    { id: 'dry-run', title: 'Dry run', content: <DryRunStep job={dryJob} report={dry} />, ...blocked(dryRunBlocker(dryJob, choice, dry)) },
    {
      id: 'snapshot',
      title: 'Safety snapshot',
      content: dry ? <SnapshotStep choice={choice} dry={dry} profileName={profile.name} /> : null,
    },
    {
      id: 'run',
      title: 'Run',
      content: dry ? <RunStep choice={choice} dry={dry} profile={profile} job={runJob} busy={s.busy} onRun={s.onRun} /> : null,
      nextLabel: 'Verification report →',
      ...blocked(runBlocker(runJob)),
    },
    {
      id: 'report',
      title: 'Verification',
      final: true,
      content: restored ? <ReportStep report={restored} profile={profile} undoJob={s.undoJob} onUndo={s.onUndo} /> : null,
    },
  ];
}
