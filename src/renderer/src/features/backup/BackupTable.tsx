import type { BackupSummary } from '../../../../shared/model/backup';
import type { ProfileView } from '../../../../shared/model/profile';
import { EnvBadge } from '../../components/Badges';
import { formatAge, formatBytes } from '../../components/format';
import { JobProgress } from '../../components/JobProgress';
import { refusedProps } from '../../components/guard-button';
import { useJob } from '../../app/jobs-store';
import { backupGuard } from './backup-action';
import { count, when, whatItHolds } from './backup-format';
import { useBackups } from './backups-store';

interface Props {
  backups: BackupSummary[];
  profile: ProfileView;
  onRestore(backup: BackupSummary): void;
  onVerify(backup: BackupSummary): void;
  onDelete(backup: BackupSummary): void;
}

const VERIFY_LABEL = { unverified: 'not verified', verified: 'verified', failed: 'failed' } as const;
const VERIFY_TAG = { unverified: 'tag-muted', verified: 'tag-ok', failed: 'tag-bad' } as const;

function Verification({ backup }: { backup: BackupSummary }) {
  const jobId = useBackups((s) => s.verifyJobs[backup.id]);
  const job = useJob(jobId);
  if (job?.state === 'running') return <JobProgress job={job} />;
  const v = backup.verification;
  const detail = [v.at ? `checked ${formatAge(v.at)} ago` : undefined, v.testRestored ? 'test-restored' : undefined]
    .filter(Boolean)
    .join(' · ');
  return (
    <div className="cell-stack">
      <span className={`tag ${VERIFY_TAG[v.state]}`} title={v.problems.join('\n') || undefined} data-testid="verification">
        {VERIFY_LABEL[v.state]}
      </span>
      {detail ? <span className="sub">{detail}</span> : null}
      {v.problems[0] ? (
        <span className="sub error-text ellipsis" title={v.problems.join('\n')}>
          {v.problems[0]}
        </span>
      ) : null}
    </div>
  );
}

export function BackupTable({ backups, profile, onRestore, onVerify, onDelete }: Props) {
  return (
    <table className="data-table backup-table" data-testid="backup-table">
      <thead>
        <tr>
          <th>Taken</th>
          <th>Environment</th>
          <th>Holds</th>
          <th className="num">Keys</th>
          <th className="num">Size</th>
          <th>Verification</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {backups.map((b) => {
          const del = backupGuard(profile, 'backup.delete');
          const restore = backupGuard(profile, 'backup.restore');
          return (
            <tr key={b.id} data-testid={`backup-${b.id}`}>
              <td>
                <div className="cell-stack">
                  <span className="mono">{when(b.createdAt)}</span>
                  <span className="sub">
                    {formatAge(b.createdAt)} ago · took {(b.durationMs / 1000).toFixed(1)} s
                  </span>
                </div>
              </td>
              <td>
                <div className="inline">
                  <EnvBadge environment={b.environment} />
                  <span className="ellipsis backup-source" title={b.profileName}>
                    {b.profileName}
                  </span>
                </div>
                <span className="sub">
                  {b.topology}
                  {b.origin === 'rdb-import' ? ' · from .rdb' : ''}
                </span>
              </td>
              <td>
                <span className="ellipsis backup-holds" title={whatItHolds(b)}>
                  {whatItHolds(b)}
                </span>
                <span className="sub">
                  RDB {b.rdbVersion ?? '—'} · Redis {b.redisVersions.join(', ') || '—'}
                </span>
              </td>
              <td className="num">{count(b.keys)}</td>
              <td className="num">
                {formatBytes(b.sizeBytes)}
                <div className="sub">{formatBytes(b.payloadBytes)} raw</div>
              </td>
              <td className="verify-cell">
                <Verification backup={b} />
              </td>
              <td>
                <div className="row-actions">
                  <button type="button" className="btn btn-small btn-primary" onClick={() => onRestore(b)} {...refusedProps(restore)}>
                    Restore…
                  </button>
                  <button type="button" className="btn btn-small" onClick={() => onVerify(b)}>
                    Verify
                  </button>
                  <button type="button" className="btn btn-small btn-ghost-danger" onClick={() => onDelete(b)} {...refusedProps(del)}>
                    Delete
                  </button>
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
