import { declaredGuard } from '../../../../shared/declared-guard';
import type { GuardDecision } from '../../../../shared/guards';
import type { ProfileView } from '../../../../shared/model/profile';
import type { LiveConnection } from '../../app/page';
import { confirmationOf } from '../../components/declared-action';
import { useConfirmedAction, type ConfirmedAction } from '../../components/use-confirmed-action';
import { configSetInput, useConfig } from './config-store';

type Pending =
  | { kind: 'save'; value: unknown; expectVersion: number }
  | { kind: 'rollback'; version: number }
  | { kind: 'promote'; from: ProfileView; to: ProfileView };

export interface ConfigActions {
  action: ConfirmedAction<Pending>;
  saveDecision(value: unknown): GuardDecision;
  askSave(value: unknown): void;
  rollbackDecision(version: number): GuardDecision;
  askRollback(version: number): void;
  /** Promote writes the target environment: its guard, its confirmation. */
  promoteDecision(from: ProfileView, to: ProfileView): GuardDecision;
  askPromote(from: ProfileView, to: ProfileView): void;
}

/** Saving, rolling back and promoting a scope, each confirmed in words that say who reads it at once. */
export function useConfigActions({ profileId, profile }: LiveConnection): ConfigActions {
  const scope = useConfig((s) => s.scope);
  const version = useConfig((s) => s.entry?.version ?? 0);
  const action = useConfirmedAction<Pending>({
    perform: async (p, confirm) => {
      const config = useConfig.getState();
      if (p.kind === 'save') {
        const saved = await config.save(p.value, p.expectVersion, confirm);
        return `${scope} saved as version ${saved.version}`;
      }
      if (p.kind === 'rollback') {
        const r = await config.rollback(p.version, confirm);
        return `${scope} version ${p.version} restored as version ${r.version}`;
      }
      const r = await config.promote(p.from.id, p.to.id, confirm);
      return `${scope} promoted from ${p.from.name} to ${p.to.name} as version ${r.version}`;
    },
    report: useConfig.getState().report,
  });
  const saveDecision = (value: unknown) => declaredGuard('config.set', configSetInput(profileId, scope, value, version), profile);
  const rollbackDecision = (v: number) => declaredGuard('config.rollback', { profileId, scope, version: v }, profile);
  const promoteDecision = (from: ProfileView, to: ProfileView) =>
    declaredGuard('config.promote', { fromProfileId: from.id, toProfileId: to.id, scope }, to);
  return {
    action,
    saveDecision,
    askSave: (value) =>
      action.ask({
        payload: { kind: 'save', value, expectVersion: version },
        title: `Save ${scope} on ${profile.name}?`,
        body: `Every agent of ${profile.name} reads the new ${scope} document at once. ${version === 0 ? 'It replaces the defaults.' : `The history keeps version ${version}, so it can be rolled back.`}`,
        confirmLabel: 'Save',
        ...confirmationOf(saveDecision(value)),
      }),
    rollbackDecision,
    askRollback: (v) =>
      action.ask({
        payload: { kind: 'rollback', version: v },
        title: `Roll ${scope} back to version ${v}?`,
        body: `Version ${v} becomes current again (as a new version); agents read it at once.`,
        confirmLabel: 'Roll back',
        ...confirmationOf(rollbackDecision(v)),
      }),
    promoteDecision,
    askPromote: (from, to) =>
      action.ask({
        payload: { kind: 'promote', from, to },
        title: `Promote ${scope} to ${to.name}?`,
        body: `${to.name}'s ${scope} configuration becomes ${from.name}'s; every agent there reads it at once. Its history keeps the old version.`,
        confirmLabel: 'Promote',
        ...confirmationOf(promoteDecision(from, to)),
      }),
  };
}
