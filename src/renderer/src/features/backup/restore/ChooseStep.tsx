import { useState } from 'react';
import type { BackupRunResult, BackupSummary } from '../../../../../shared/model/backup';
import { JobProgress } from '../../../components/JobProgress';
import { errorText } from '../../../components/notice';
import { useJob } from '../../../app/jobs-store';
import { transport } from '../../../transport';
import { count, when, whatItHolds } from '../backup-format';
import { track } from '../backups-store';
import { formatBytes } from '../../../components/format';
import { resultOf } from './wizard-model';

interface Props {
  profileId: string;
  backups: BackupSummary[];
  chosen: BackupSummary | undefined;
  onChoose(backup: BackupSummary): void;
}

/** A backup of this profile, or an .rdb file turned into one first (main imports it through a scratch server). */
export function ChooseStep({ profileId, backups, chosen, onChoose }: Props) {
  const [path, setPath] = useState('');
  const [jobId, setJobId] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const job = useJob(jobId);
  const imported = resultOf<BackupRunResult>(job);
  const pathProblem = path.trim() === '' ? undefined : path.trim().toLowerCase().endsWith('.rdb') ? undefined : 'The path must end in .rdb';

  const importFile = async (): Promise<void> => {
    setError(undefined);
    try {
      setJobId(track(await transport.call('backup.importRdb', { profileId, rdbPath: path.trim() })).id);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const options = imported && !backups.some((b) => b.id === imported.backup.id) ? [imported.backup, ...backups] : backups;
  return (
    <div className="choose-step">
      {options.length === 0 ? (
        <p className="muted">This profile has no backup yet. Back one up first, or restore from an .rdb file below.</p>
      ) : null}
      <ul className="choice-list" role="radiogroup" aria-label="Backup to restore">
        {options.map((b) => (
          <li key={b.id}>
            <label className={`choice ${chosen?.id === b.id ? 'on' : ''}`} data-testid={`choose-${b.id}`}>
              <input type="radio" name="backup" checked={chosen?.id === b.id} onChange={() => onChoose(b)} />
              <span className="mono">{when(b.createdAt)}</span>
              <span className="ellipsis choice-holds" title={whatItHolds(b)}>
                {whatItHolds(b)}
              </span>
              <span className="muted">
                {count(b.keys)} keys · {formatBytes(b.sizeBytes)}
              </span>
              <span
                className={`tag ${b.verification.state === 'verified' ? 'tag-ok' : b.verification.state === 'failed' ? 'tag-bad' : 'tag-muted'}`}
              >
                {b.verification.state}
              </span>
              {b.origin === 'rdb-import' ? <span className="tag tag-info">from .rdb</span> : null}
            </label>
          </li>
        ))}
      </ul>
      <div className="rdb-import">
        <h4>Restore from an .rdb file</h4>
        <p className="muted">
          Swarmdeck loads the file into a private scratch redis-server, backs that up, and restores from the backup — so the same preflight
          and dry run apply.
        </p>
        <div className="inline">
          <input
            className="search rdb-path"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/var/backups/redis/dump.rdb"
            aria-label=".rdb file path"
          />
          <button
            type="button"
            className="btn"
            disabled={path.trim() === '' || pathProblem !== undefined || job?.state === 'running'}
            onClick={() => void importFile()}
          >
            Import
          </button>
        </div>
        {pathProblem ? <div className="field-error">{pathProblem}</div> : null}
        {error ? <div className="error-text">{error}</div> : null}
        {job ? <JobProgress job={job} /> : null}
        {imported && chosen?.id !== imported.backup.id ? (
          <button type="button" className="btn btn-small" onClick={() => onChoose(imported.backup)}>
            Use the imported backup ({count(imported.backup.keys)} keys)
          </button>
        ) : null}
      </div>
    </div>
  );
}
