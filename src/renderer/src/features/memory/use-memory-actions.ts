import { memoryTarget } from '../../../../shared/contract/memory';
import { declaredGuard } from '../../../../shared/declared-guard';
import type { GuardDecision } from '../../../../shared/guards';
import type { MemoryConflict, MemoryEntry } from '../../../../shared/model/memory';
import type { LiveConnection } from '../../app/page';
import { confirmationOf } from '../../components/declared-action';
import { useConfirmedAction, type ConfirmedAction } from '../../components/use-confirmed-action';
import { entryInput, type EntryDraft } from './entry-form';
import { useMemory } from './memory-store';
import { spaceOf } from './memory-space';

type EntryChange = { kind: 'write'; draft: EntryDraft } | { kind: 'delete'; entry: MemoryEntry };
interface Resolution {
  conflict: MemoryConflict;
  choice: 'local' | 'remote';
}

export interface EntryActions {
  change: ConfirmedAction<EntryChange>;
  /** The decision for a draft as it stands: its target is the entry being typed. */
  writeDecision(draft: EntryDraft): GuardDecision;
  askWrite(draft: EntryDraft): void;
  askDelete(entry: MemoryEntry, decision: GuardDecision): void;
}

/** Writing and deleting entries, each confirmed in words that say what agents will see. */
export function useEntryActions({ profileId, profile }: LiveConnection, onWritten: () => void): EntryActions {
  const change = useConfirmedAction<EntryChange>({
    perform: async (p, confirm) => {
      if (p.kind === 'write') {
        const input = entryInput(profileId, p.draft);
        const { version } = await useMemory.getState().write(p.draft, confirm);
        onWritten();
        return `${memoryTarget(input.agent, input.namespace, input.key)} written as version ${version}`;
      }
      const { entry } = p;
      const r = await useMemory.getState().remove(entry, confirm);
      return r.deleted ? `${memoryTarget(entry.agent, entry.namespace, entry.key)} deleted` : `${entry.key} was already gone`;
    },
    report: useMemory.getState().report,
  });
  const writeDecision = (d: EntryDraft) => declaredGuard('memory.set', entryInput(profileId, d), profile);
  const askWrite = (d: EntryDraft): void => {
    const input = entryInput(profileId, d);
    change.ask({
      payload: { kind: 'write', draft: d },
      title: `Write ${memoryTarget(input.agent, input.namespace, input.key)}?`,
      body:
        d.baseVersion > 0
          ? `The next version replaces version ${d.baseVersion}; agents that read ${input.key} see it at once. If an agent wrote a newer version meanwhile, nothing is written.`
          : `A new entry in ${input.agent ?? 'shared'}/${input.namespace}; agents that read it see it at once.`,
      confirmLabel: 'Write entry',
      ...confirmationOf(writeDecision(d)),
    });
  };
  const askDelete = (entry: MemoryEntry, decision: GuardDecision): void =>
    change.ask({
      payload: { kind: 'delete', entry },
      title: `Delete ${memoryTarget(entry.agent, entry.namespace, entry.key)}?`,
      body: `The entry and its versions are gone for good: the agent that reads ${entry.key} finds nothing. A version written after ${entry.version} is not deleted.`,
      confirmLabel: 'Delete entry',
      ...confirmationOf(decision),
    });
  return { change, writeDecision, askWrite, askDelete };
}

export interface ConflictActions {
  resolve: ConfirmedAction<Resolution>;
  decide(conflict: MemoryConflict, choice: 'local' | 'remote'): GuardDecision;
  ask(conflict: MemoryConflict, choice: 'local' | 'remote'): void;
}

/** Settling a kept conflict: one side wins, the other is lost, and the dialog says which. */
export function useConflictActions({ profileId, profile }: LiveConnection): ConflictActions {
  const resolve = useConfirmedAction<Resolution>({
    perform: async ({ conflict, choice }, confirm) => {
      const r = await useMemory.getState().resolve(conflict, choice, confirm);
      return `${conflict.key}: kept the ${choice === 'local' ? `value of ${conflict.local.by}` : 'stored value'} (version ${r.version})`;
    },
    report: useMemory.getState().report,
  });
  const decide = (c: MemoryConflict, choice: 'local' | 'remote') =>
    declaredGuard('memory.resolve', { profileId, ...spaceOf(c), key: c.key, choice }, profile);
  const ask = (c: MemoryConflict, choice: 'local' | 'remote'): void =>
    resolve.ask({
      payload: { conflict: c, choice },
      title: `Resolve ${c.key}?`,
      body:
        choice === 'local'
          ? `The value ${c.local.by} wrote replaces the stored one (version ${c.remote.version} by ${c.remote.by}), which is lost.`
          : `The stored value stays; what ${c.local.by} wrote is discarded.`,
      confirmLabel: choice === 'local' ? `Keep ${c.local.by}'s value` : 'Keep the stored value',
      ...confirmationOf(decide(c, choice)),
    });
  return { resolve, decide, ask };
}
