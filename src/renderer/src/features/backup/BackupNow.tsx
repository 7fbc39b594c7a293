import { useState } from 'react';
import { JobProgress } from '../../components/JobProgress';
import { errorText, type Notice } from '../../components/notice';
import { useJob } from '../../app/jobs-store';
import { BackupScopeFields } from './BackupScopeFields';
import { useBackups } from './backups-store';
import { initialScopeForm, scopeOf, type ScopeForm } from './scope-form';

/** "Back up now" with its scope, then the job's bar until it ends (the page reloads the list then). */
export function BackupNow({ profileId, report }: { profileId: string; report(notice: Notice): void }) {
  const [form, setForm] = useState<ScopeForm>(initialScopeForm);
  const [starting, setStarting] = useState(false);
  const jobId = useBackups((s) => s.backupJob[profileId]);
  const job = useJob(jobId);
  const state = job?.state;
  const scope = scopeOf(form);

  const start = async (): Promise<void> => {
    if (!('scope' in scope)) return;
    setStarting(true);
    try {
      const swarmId = form.swarmId.trim();
      await useBackups.getState().start({ profileId, scope: scope.scope, format: form.format, ...(swarmId ? { swarmId } : {}) });
    } catch (error) {
      report({ kind: 'error', text: errorText(error) });
    } finally {
      setStarting(false);
    }
  };

  const patch = (p: Partial<ScopeForm>): void => setForm((f) => ({ ...f, ...p }));
  const running = state === 'running';
  return (
    <section className="panel backup-now" aria-label="Back up now">
      <header className="panel-head">
        <h3>Back up now</h3>
        <span className="muted">reads with SCAN and DUMP; nothing in Redis changes</span>
      </header>
      <div className="backup-now-form">
        <BackupScopeFields form={form} patch={patch} />
        <div className="backup-now-options">
          <label className="field inline-field">
            <span>Only one swarm (optional)</span>
            <input value={form.swarmId} onChange={(e) => patch({ swarmId: e.target.value })} aria-label="Swarm id" placeholder="swarm id" />
          </label>
          <label className="field inline-field">
            <span>Format</span>
            <select
              className="switcher"
              value={form.format}
              onChange={(e) => patch({ format: e.target.value === 'rdb' ? 'rdb' : 'swarmdeck' })}
              aria-label="Format"
            >
              <option value="swarmdeck">Swarmdeck (.sdbk)</option>
              <option value="rdb">Swarmdeck + .rdb file</option>
            </select>
          </label>
          <span className="spacer" />
          {'problem' in scope ? <span className="wizard-blocker">{scope.problem}</span> : null}
          <button
            type="button"
            className="btn btn-primary"
            disabled={'problem' in scope || starting || running}
            onClick={() => void start()}
          >
            {running ? 'Backing up…' : 'Back up now'}
          </button>
        </div>
      </div>
      {job ? <JobProgress job={job} /> : null}
    </section>
  );
}
