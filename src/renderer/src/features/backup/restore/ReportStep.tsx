import type { RestoreView, UndoView } from '../../../../../shared/model/backup';
import type { JobView } from '../../../../../shared/model/job';
import type { GuardDecision } from '../../../../../shared/guards';
import type { ProfileView } from '../../../../../shared/model/profile';
import { JobProgress } from '../../../components/JobProgress';
import { refusedProps } from '../../../components/guard-button';
import { backupGuard } from '../backup-action';
import { count, keyText } from '../backup-format';
import { resultOf } from './wizard-model';

interface Props {
  report: RestoreView;
  profile: ProfileView;
  undoJob: JobView | undefined;
  onUndo(restoreId: string, replaceChanged: boolean): void;
}

/** What the restore wrote and whether every written key now holds the backup's value; Undo from here. */
export function ReportStep({ report, profile, undoJob, onUndo }: Props) {
  const v = report.verification;
  return (
    <div className="report-step" data-testid="restore-report">
      <div
        className={`preflight-verdict ${report.status === 'completed' && (!v || v.mismatchedCount === 0) ? 'ok' : 'refused'}`}
        data-testid="restore-status"
      >
        Restore {report.status}
        {report.error ? `: ${report.error.message}` : ''}
      </div>
      <ReportKpis report={report} />
      {v && v.mismatched.length > 0 ? (
        <div className="findings">
          <strong>Keys that differ from the backup now</strong>{' '}
          <span className="muted">(changed by someone else since the write, or refused)</span>
          <ul>
            {v.mismatched.map((k) => (
              <li key={k.hex ?? k.text} className="mono">
                {keyText(k)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <UndoPanel restoreId={report.restoreId} profile={profile} undoJob={undoJob} onUndo={onUndo} />
    </div>
  );
}

/** Written, skipped and verified counts, and how long the restore took. */
function ReportKpis({ report }: { report: RestoreView }) {
  const v = report.verification;
  return (
    <div className="kpis kpis-5">
      <div className="kpi kpi-ok">
        <div className="kpi-label">Written</div>
        <div className="kpi-value" data-testid="report-written">
          {count(report.writtenCount)}
        </div>
      </div>
      <div className="kpi">
        <div className="kpi-label">Skipped, existing</div>
        <div className="kpi-value">{count(report.skippedExisting)}</div>
      </div>
      <div className="kpi">
        <div className="kpi-label">Skipped, expired</div>
        <div className="kpi-value">{count(report.skippedExpired)}</div>
      </div>
      <div className={`kpi ${v && v.mismatchedCount > 0 ? 'kpi-bad' : 'kpi-ok'}`}>
        <div className="kpi-label">Verified</div>
        <div className="kpi-value" data-testid="report-verified">
          {v ? `${count(v.checked - v.mismatchedCount)} / ${count(v.checked)}` : '—'}
        </div>
        <div className="kpi-sub">
          {v ? (v.mismatchedCount === 0 ? 'every written key matches' : `${count(v.mismatchedCount)} differ`) : 'not verified'}
        </div>
      </div>
      <div className="kpi">
        <div className="kpi-label">Took</div>
        <div className="kpi-value">{(report.durationMs / 1000).toFixed(1)} s</div>
      </div>
    </div>
  );
}

/** Undo by the restore's journal, its progress, what it put back, and the keys changed since that it left. */
function UndoPanel({ restoreId, profile, undoJob, onUndo }: Omit<Props, 'report'> & { restoreId: RestoreView['restoreId'] }) {
  const undone = resultOf<UndoView>(undoJob);
  const decision = backupGuard(profile, 'backup.undo');
  return (
    <section className="panel undo-panel">
      <header className="panel-head">
        <h3>Undo</h3>
        <span className="muted mono">{restoreId ?? ''}</span>
      </header>
      {restoreId === null ? (
        <p className="muted">
          This restore stopped before its safety snapshot was finished, so nothing was written and there is nothing to undo.
        </p>
      ) : undone && undoJob?.state !== 'running' ? (
        <UndoResult undone={undone} decision={decision} onReplace={() => onUndo(undone.restoreId, true)} />
      ) : (
        <>
          <p className="muted">
            Puts back the values this restore replaced and deletes the keys it created. Keys changed since the restore are listed and left
            as they are.
          </p>
          {undoJob ? <JobProgress job={undoJob} cancellable={false} /> : null}
          <button
            type="button"
            className="btn btn-ghost-danger"
            disabled={undoJob?.state === 'running' || !decision.allowed}
            {...refusedProps(decision)}
            onClick={() => restoreId && onUndo(restoreId, false)}
          >
            Undo this restore…
          </button>
        </>
      )}
    </section>
  );
}

/** What an undo did; keys changed since the restore, named, with the choice to replace them too. */
function UndoResult({ undone, decision, onReplace }: { undone: UndoView; decision: GuardDecision; onReplace(): void }) {
  const { changed } = undone;
  return (
    <>
      <p className="ok-text" data-testid="undo-result">
        Undone: {count(undone.restored)} values put back, {count(undone.deleted)} created keys deleted.
      </p>
      {changed.count > 0 ? (
        <div className="findings" data-testid="undo-changed">
          <strong>
            {count(changed.count)} keys changed since the restore {changed.replaced ? 'were replaced too' : 'were left as they are'}
          </strong>
          <ul>
            {changed.keys.map((k) => (
              <li key={k.hex ?? k.text} className="mono">
                {keyText(k)}
              </li>
            ))}
          </ul>
          {changed.count > changed.keys.length ? <p className="muted">… and {count(changed.count - changed.keys.length)} more</p> : null}
          {changed.replaced ? null : (
            <button
              type="button"
              className="btn btn-ghost-danger"
              disabled={!decision.allowed}
              {...refusedProps(decision)}
              onClick={onReplace}
            >
              Replace them too…
            </button>
          )}
        </div>
      ) : null}
    </>
  );
}
