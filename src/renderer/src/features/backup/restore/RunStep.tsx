import type { DryRunView, RestoreView } from '../../../../../shared/model/backup';
import type { JobView } from '../../../../../shared/model/job';
import type { ProfileView } from '../../../../../shared/model/profile';
import { JobProgress } from '../../../components/JobProgress';
import { refusedProps } from '../../../components/guard-button';
import { backupGuard } from '../backup-action';
import { keys } from '../backup-format';
import { keysToWrite, resultOf, type RestoreChoice } from './wizard-model';

interface Props {
  choice: RestoreChoice;
  dry: DryRunView;
  profile: ProfileView;
  job: JobView | undefined;
  busy: boolean;
  onRun(): void;
}

/** The last look before writing, then the job: progress per node and in total, rate, ETA, cancel. */
export function RunStep({ choice, dry, profile, job, busy, onRun }: Props) {
  const decision = backupGuard(profile, 'backup.restore');
  if (job) {
    const result = resultOf<RestoreView>(job);
    return (
      <div className="run-step">
        <JobProgress job={job} />
        {result ? (
          <p className={result.status === 'completed' ? 'ok-text' : 'error-text'}>
            Restore {result.status}: {keys(result.writtenCount)} written. The verification report is next.
          </p>
        ) : null}
        {job.state === 'cancelled' ? (
          <p className="warn-text">Cancelled: what was written so far is in the report, and Undo can take it back.</p>
        ) : null}
      </div>
    );
  }
  return (
    <div className="run-step">
      <dl className="facts run-summary">
        <dt>Backup</dt>
        <dd className="mono">{choice.backup?.id}</dd>
        <dt>Into</dt>
        <dd>
          {profile.name} <span className="muted">({profile.environment})</span>
        </dd>
        <dt>Writes</dt>
        <dd>
          <strong>{keys(keysToWrite(choice, dry))}</strong> (conflict <code>{choice.conflict}</code>, TTL <code>{choice.ttl}</code>
          {choice.rename ? (
            <>
              , under <code>{choice.renameTo}</code>
            </>
          ) : null}
          )
        </dd>
        <dt>Leaves</dt>
        <dd>
          {keys(dry.onlyInTarget.count)} only in the target{choice.conflict === 'skip' ? `, ${keys(dry.different.count)} that differ` : ''}
        </dd>
      </dl>
      {decision.confirm ? <p className="prod-note">{decision.confirm.prompt}</p> : null}
      <button type="button" className="btn btn-danger" disabled={busy || !decision.allowed} {...refusedProps(decision)} onClick={onRun}>
        Run the restore…
      </button>
    </div>
  );
}
