import { useState } from 'react';
import type { RetentionPlanView, RetentionPolicy } from '../../../../shared/model/backup';
import type { ProfileView } from '../../../../shared/model/profile';
import { refusedProps } from '../../components/guard-button';
import { errorText, type Notice } from '../../components/notice';
import type { ConfirmRequest } from '../../components/use-confirmed-action';
import { backupGuard, backupRequest } from './backup-action';
import { samePolicy, useBackups } from './backups-store';

export interface PrunePayload {
  kind: 'prune';
  policy: RetentionPolicy;
  count: number;
}

type Rule = 'daily' | 'weekly' | 'monthly';

const FIELDS: { key: Rule; label: string; hint: string }[] = [
  { key: 'daily', label: 'Daily', hint: 'the newest backup of each of this many days that have one' },
  { key: 'weekly', label: 'Weekly', hint: 'the newest backup of each of this many weeks' },
  { key: 'monthly', label: 'Monthly', hint: 'the newest backup of each of this many months' },
];

type Draft = Record<Rule, string>;

/** Grandfather-father-son counts as typed, or undefined while one is not a whole number. */
function policyOf(draft: Draft): RetentionPolicy | undefined {
  const n = (text: string): number | undefined => (/^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : undefined);
  const daily = n(draft.daily);
  const weekly = n(draft.weekly);
  const monthly = n(draft.monthly);
  return daily === undefined || weekly === undefined || monthly === undefined
    ? undefined
    : { daily, weekly, monthly, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone };
}

/** Which backups a policy would remove, each with its reason, before anything is deleted. */
export function RetentionPanel({
  profileId,
  profile,
  report,
  ask,
}: {
  profileId: string;
  profile: ProfileView;
  report(n: Notice): void;
  ask(r: ConfirmRequest<PrunePayload>): void;
}) {
  const [draft, setDraft] = useState<Draft>({ daily: '7', weekly: '4', monthly: '12' });
  const policy = policyOf(draft);
  const previewed = useBackups((s) => s.retention[profileId]);
  const previewRetention = useBackups((s) => s.previewRetention);
  // A preview says what its own policy removes: editing a rule hides it until it is previewed again.
  const plan = previewed && policy && samePolicy(previewed.policy, policy) ? previewed.plan : undefined;
  const prune = backupGuard(profile, 'backup.prune');

  const preview = async (): Promise<void> => {
    if (!policy) return;
    try {
      await previewRetention(profileId, policy);
    } catch (error) {
      report({ kind: 'error', text: errorText(error) });
    }
  };

  return (
    <section className="panel" aria-label="Retention" data-testid="retention-panel">
      <header className="panel-head">
        <h3>Retention</h3>
        <span className="muted">grandfather-father-son; preview first, nothing is removed until you apply</span>
      </header>
      <div className="retention-fields">
        {FIELDS.map((f) => (
          <label key={f.key} className="field" title={f.hint}>
            <span>{f.label}</span>
            <input
              inputMode="numeric"
              value={draft[f.key]}
              onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
              aria-label={`Retention ${f.label}`}
            />
          </label>
        ))}
      </div>
      <div className="panel-actions">
        {policy ? null : <span className="wizard-blocker">Each rule is a whole number (0 turns it off)</span>}
        <button type="button" className="btn btn-small" disabled={!policy} onClick={() => void preview()}>
          Preview
        </button>
        <button
          type="button"
          className="btn btn-small btn-ghost-danger"
          disabled={!policy || !plan || plan.remove.length === 0 || !prune.allowed}
          {...refusedProps(prune)}
          onClick={() =>
            policy &&
            plan &&
            ask({
              ...backupRequest<PrunePayload>(
                { kind: 'prune', policy, count: plan.remove.length },
                `Remove ${plan.remove.length} backup${plan.remove.length === 1 ? '' : 's'}`,
                `The backup files listed under "would remove" are deleted from disk for good. ${plan.keep.length} stay.`,
                prune,
              ),
            })
          }
        >
          Apply
        </button>
      </div>
      {plan ? <RetentionPlanList plan={plan} /> : null}
    </section>
  );
}

/** What the previewed policy removes, each with its reason, and what it keeps, and why. */
function RetentionPlanList({ plan }: { plan: RetentionPlanView }) {
  return (
    <div className="retention-plan" data-testid="retention-plan">
      <p className="muted">
        Keeps {plan.keep.length}, would remove {plan.remove.length}.
      </p>
      {plan.remove.length > 0 ? (
        <ul className="plain-list">
          {plan.remove.map((r) => (
            <li key={r.backupId} className="remove">
              <span className="mono">{r.backupId}</span> {r.series} <span className="muted">— {r.reason}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="ok-text">Every backup is kept by this policy.</p>
      )}
      {plan.keep.length > 0 ? (
        <details>
          <summary className="muted">Kept, and why</summary>
          <ul className="plain-list">
            {plan.keep.map((k) => (
              <li key={k.backupId}>
                <span className="mono">{k.backupId}</span> {k.series} <span className="muted">— {k.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
