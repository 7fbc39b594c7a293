import { useState } from 'react';
import { BACKUP_COMPONENTS, type BackupComponent } from '../../../../shared/model/backup';
import { JobProgress } from '../../components/JobProgress';
import { errorText, type Notice } from '../../components/notice';
import { useJob } from '../../app/jobs-store';
import { transport } from '../../transport';
import { useBackups } from './backups-store';
import { initialScopeForm, scopeOf, type ScopeForm, type ScopeKind } from './scope-form';

const KINDS: { kind: ScopeKind; label: string }[] = [
  { kind: 'all', label: 'Whole database' },
  { kind: 'components', label: 'Components' },
  { kind: 'patterns', label: 'Key patterns' },
  { kind: 'prefixes', label: 'Key prefixes' },
];

const COMPONENT_HINT: Record<BackupComponent, string> = {
  queues: 'task queues, their tasks and streams',
  swarms: 'swarms, agents, votes, messages',
  memory: 'agent memory and its conflicts',
  config: 'configuration scopes and their versions',
  metrics: 'recorded series and alerts',
  locks: 'fenced locks and their counters',
  state: 'versioned state and its history',
  audit: 'the operator-action stream',
};

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
      const started = await transport.call('backup.start', {
        profileId,
        scope: scope.scope,
        format: form.format,
        ...(swarmId ? { swarmId } : {}),
      });
      useBackups.getState().setBackupJob(profileId, started);
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
        <div className="segmented" role="radiogroup" aria-label="Scope">
          {KINDS.map((k) => (
            <button
              key={k.kind}
              type="button"
              role="radio"
              aria-checked={form.kind === k.kind}
              className={`seg ${form.kind === k.kind ? 'on' : ''}`}
              onClick={() => patch({ kind: k.kind })}
            >
              {k.label}
            </button>
          ))}
        </div>
        {form.kind === 'components' ? (
          <div className="check-row">
            {BACKUP_COMPONENTS.map((c) => (
              <label key={c} className="check" title={COMPONENT_HINT[c]}>
                <input
                  type="checkbox"
                  checked={form.components.includes(c)}
                  onChange={(e) =>
                    patch({ components: e.target.checked ? [...form.components, c] : form.components.filter((x) => x !== c) })
                  }
                />
                {c} <span className="muted">— {COMPONENT_HINT[c]}</span>
              </label>
            ))}
          </div>
        ) : null}
        {form.kind === 'patterns' || form.kind === 'prefixes' ? (
          <label className="field">
            <span>{form.kind === 'patterns' ? 'Glob patterns (SCAN MATCH), one per line' : 'Key prefixes, one per line'}</span>
            <textarea
              rows={2}
              value={form.lines}
              onChange={(e) => patch({ lines: e.target.value })}
              aria-label={form.kind === 'patterns' ? 'Key patterns' : 'Key prefixes'}
              placeholder={form.kind === 'patterns' ? 'user:*\nsession:??' : 'cache:'}
            />
          </label>
        ) : null}
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
