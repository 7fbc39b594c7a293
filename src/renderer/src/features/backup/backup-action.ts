import { guard, type GuardDecision, type GuardProfile, type GuardedAction } from '../../../../shared/guards';
import { confirmationOf } from '../../components/declared-action';
import type { ConfirmRequest } from '../../components/use-confirmed-action';

export type BackupGuardAction = Extract<GuardedAction, `backup.${string}` | 'recovery.apply'>;

/** Main guards every backup action by the profile it acts on, so its name is what is typed on production. */
export const backupGuard = (profile: GuardProfile, action: BackupGuardAction): GuardDecision =>
  guard(profile, action, { name: profile.name });

/**
 * A backup action goes through a dialog whenever guard() calls it destructive or asks for the
 * typed name: nothing that loses data runs on one click.
 */
export function backupRequest<T>(payload: T, label: string, body: string, decision: GuardDecision): ConfirmRequest<T> {
  return { payload, title: `${label}?`, confirmLabel: label, body, ...confirmationOf(decision) };
}
