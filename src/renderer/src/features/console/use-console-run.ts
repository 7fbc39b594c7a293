import type { ReactNode } from 'react';
import { SwarmdeckError } from '../../../../shared/errors';
import { guard, type GuardDecision, type GuardedAction } from '../../../../shared/guards';
import type { CommandClass } from '../../../../shared/model/console';
import type { ProfileView } from '../../../../shared/model/profile';
import type { Notice } from '../../components/notice';
import { useConfirmedAction } from '../../components/use-confirmed-action';
import { useConsole } from './console-store';
import { linesToRun, splitWords, type CommandIndex } from './redis-language';

const ACTION_OF: Partial<Record<CommandClass, GuardedAction>> = { write: 'console.write', dangerous: 'console.dangerous' };

interface Pending {
  text: string;
}

/** The strictest decision among the lines: a refusal wins, then a confirmation. */
function decide(profile: ProfileView, index: CommandIndex | undefined, lines: string[]): { decision?: GuardDecision; command?: string } {
  let worst: { decision?: GuardDecision; command?: string } = {};
  for (const line of lines) {
    const resolved = index?.resolve(splitWords(line).map((w) => w.text));
    const action = resolved ? ACTION_OF[resolved.command.class] : undefined;
    if (!action || !resolved) continue;
    const decision = guard(profile, action, { name: profile.name });
    if (!decision.allowed) return { decision, command: resolved.command.name };
    // On production only dangerous commands ask for the typed name; main asks the same.
    if (decision.confirm && action === 'console.dangerous' && !worst.decision) worst = { decision, command: resolved.command.name };
  }
  return worst;
}

/**
 * Running what the editor holds: refused lines are said, not sent; a dangerous one on production
 * asks for the typed name first, and so does anything main answers with CONFIRMATION_REQUIRED.
 */
export function useConsoleRun(
  profile: ProfileView,
  index: CommandIndex | undefined,
  setNotice: (n: Notice | undefined) => void,
): { run(text: string): void; dialog: ReactNode } {
  const confirmed = useConfirmedAction<Pending>({
    perform: async (p, confirm) => {
      await useConsole
        .getState()
        .exec(p.text, confirm)
        .catch(() => undefined);
      return undefined;
    },
    report: setNotice,
  });

  const run = (text: string): void => {
    const lines = linesToRun(text);
    if (lines.length === 0) return;
    const joined = lines.join('\n');
    setNotice(undefined);
    const { decision, command } = decide(profile, index, lines);
    if (decision && !decision.allowed) {
      setNotice({ kind: 'error', text: `${command}: ${decision.reason ?? 'refused'}` });
      return;
    }
    if (decision?.confirm) {
      confirmed.ask({
        payload: { text: joined },
        title: `Run ${command} on ${profile.name}`,
        body: `${command} is a dangerous command: it can lose data or stop the server. ${decision.confirm.prompt}.`,
        confirmLabel: `Run ${command}`,
        danger: true,
        typed: decision.confirm.expected,
      });
      return;
    }
    useConsole
      .getState()
      .exec(joined)
      .catch((error: unknown) => {
        // Main knows better than the catalogue: when it asks for the typed name, ask the operator.
        if (error instanceof SwarmdeckError && error.code === 'CONFIRMATION_REQUIRED' && typeof error.details?.expected === 'string') {
          confirmed.ask({
            payload: { text: joined },
            title: `Confirm on ${profile.name}`,
            body: error.message,
            confirmLabel: 'Run',
            danger: true,
            typed: error.details.expected,
          });
        }
      });
  };
  return { run, dialog: confirmed.dialog };
}
