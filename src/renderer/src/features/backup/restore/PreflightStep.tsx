import type { PreflightReport } from '../../../../../shared/model/backup';
import { formatBytes } from '../../../components/format';

const MARK = { ok: '✓', warn: '!', fail: '✕' } as const;
const LABEL = {
  integrity: 'Backup file intact',
  reachable: 'Target reachable',
  'rdb-version': 'RDB version',
  topology: 'Topology',
  memory: 'Free memory',
  acl: 'ACL: RESTORE allowed',
} as const;

/** Every check main made against the target, with its verdict; a failed one ends the wizard here. */
export function PreflightStep({ report, error }: { report: PreflightReport | undefined; error: string | undefined }) {
  if (error)
    return (
      <div className="notice notice-error" role="alert">
        {error}
      </div>
    );
  if (!report) return <p className="muted">Asking the target…</p>;
  return (
    <div className="preflight" data-testid="preflight">
      <div className={`preflight-verdict ${report.ok ? 'ok' : 'refused'}`}>
        {report.ok ? 'The target can take this backup.' : 'The target cannot take this backup. Nothing has been written.'}
      </div>
      <ul className="checks">
        {report.checks.map((c) => (
          <li key={c.id} className={`check-${c.status}`} data-testid={`check-${c.id}`}>
            <span className="check-mark" aria-label={c.status}>
              {MARK[c.status]}
            </span>
            <strong>{LABEL[c.id]}</strong>
            <span>{c.message}</span>
          </li>
        ))}
      </ul>
      <dl className="facts preflight-facts">
        <dt>RDB version</dt>
        <dd>
          backup {report.payloadRdbVersion ?? '—'} → target accepts up to {report.targetRdbVersion ?? '—'}
        </dd>
        <dt>Topology</dt>
        <dd>
          {report.backupTopology} → {report.targetTopology}
        </dd>
        <dt>Memory</dt>
        <dd>
          {formatBytes(report.dataBytes)} to restore,{' '}
          {report.freeMemoryBytes === null ? 'no maxmemory limit' : `${formatBytes(report.freeMemoryBytes)} free`}
        </dd>
      </dl>
    </div>
  );
}
