import { useState } from 'react';
import type { RecoveryPlanView } from '../../../../shared/model/backup';
import type { ProfileView } from '../../../../shared/model/profile';
import { refusedProps } from '../../components/guard-button';
import { errorText, type Notice } from '../../components/notice';
import type { ConfirmRequest } from '../../components/use-confirmed-action';
import { backupGuard, backupRequest } from './backup-action';
import { useBackups } from './backups-store';

export interface RecoverPayload {
  kind: 'recover';
  findings: number;
}

/**
 * Automatic recovery in three looks: scan (reads only), the plan with the evidence for each
 * finding, then apply — confirmed, and only what the scan listed.
 */
export function RecoveryPanel({
  profileId,
  profile,
  report,
  ask,
  plan,
  setPlan,
}: {
  profileId: string;
  profile: ProfileView;
  report(n: Notice): void;
  ask(r: ConfirmRequest<RecoverPayload>): void;
  plan: RecoveryPlanView | undefined;
  setPlan(plan: RecoveryPlanView | undefined): void;
}) {
  const [scanning, setScanning] = useState(false);
  const apply = backupGuard(profile, 'recovery.apply');

  const scan = async (): Promise<void> => {
    setScanning(true);
    try {
      setPlan(await useBackups.getState().scanRecovery(profileId));
    } catch (error) {
      report({ kind: 'error', text: errorText(error) });
    } finally {
      setScanning(false);
    }
  };

  const n = plan?.findings.length ?? 0;
  return (
    <section className="panel" aria-label="Automatic recovery" data-testid="recovery-panel">
      <header className="panel-head">
        <h3>Automatic recovery</h3>
        <span className="muted">stale leases, swarms without agents, orphaned keys</span>
      </header>
      <div className="panel-actions">
        <button type="button" className="btn btn-small" disabled={scanning} onClick={() => void scan()}>
          {scanning ? 'Scanning…' : plan ? 'Scan again' : 'Scan'}
        </button>
        <span className="spacer" />
        <button
          type="button"
          className="btn btn-small btn-primary"
          disabled={n === 0 || !apply.allowed}
          {...refusedProps(apply)}
          onClick={() =>
            ask({
              ...backupRequest<RecoverPayload>(
                { kind: 'recover', findings: n },
                `Apply ${n} fix${n === 1 ? '' : 'es'}`,
                'Swarmdeck fixes what the recovery scan finds, as the Fix column says for each finding, and reports each fix or failure.',
                apply,
              ),
              immediate: false,
            })
          }
        >
          Apply…
        </button>
      </div>
      {plan ? (
        n === 0 ? (
          <p className="ok-text">Nothing to recover: every lease has a live holder and every key an owner.</p>
        ) : (
          <RecoveryPlanTable findings={plan.findings} />
        )
      ) : (
        <p className="muted">Scan reads the coordination keys and changes nothing.</p>
      )}
    </section>
  );
}

/** Each finding of the scan with its evidence and the fix apply would make. */
function RecoveryPlanTable({ findings }: { findings: RecoveryPlanView['findings'] }) {
  return (
    <table className="data-table compact recovery-table" data-testid="recovery-plan">
      <thead>
        <tr>
          <th>Finding</th>
          <th>Subject</th>
          <th>Evidence</th>
          <th>Fix</th>
        </tr>
      </thead>
      <tbody>
        {findings.map((f, i) => (
          <tr key={`${f.kind}-${f.subject}-${i}`}>
            <td>
              <span className="tag tag-warn">{f.kind}</span>
            </td>
            <td className="mono ellipsis" title={f.subject}>
              {f.subject}
            </td>
            <td>{f.detail}</td>
            <td className="muted">{f.action}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
