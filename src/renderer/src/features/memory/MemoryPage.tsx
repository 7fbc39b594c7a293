import { useEffect, useState } from 'react';
import { NoticeBar } from '../../components/notice';
import { refusedProps } from '../../components/guard-button';
import { usePoll } from '../../components/use-poll';
import type { LiveConnection } from '../../app/page';
import { ConflictList } from './ConflictList';
import { EntryForm } from './EntryForm';
import { EntrySearch, EntryTable } from './EntrySearch';
import { OpenEntry } from './OpenEntry';
import { SpacesPanel } from './SpacesPanel';
import { blankDraft, draftOf, type EntryDraft } from './entry-form';
import { useMemory } from './memory-store';
import { spaceName } from './memory-space';
import { useConflictActions, useEntryActions, type EntryActions } from './use-memory-actions';

/** Memory by agent and namespace: search a page at a time, open an entry, settle kept conflicts. */
export function MemoryPage({ connection }: { connection: LiveConnection }) {
  const { profileId } = connection;
  const space = useMemory((s) => s.space);
  const notice = useMemory((s) => s.notice);
  const kept = useMemory((s) => s.conflicts);
  const [form, setForm] = useState<EntryDraft | undefined>();
  const entries = useEntryActions(connection, () => setForm(undefined));
  const conflicts = useConflictActions(connection);

  useEffect(() => useMemory.getState().forProfile(profileId), [profileId]);
  usePoll(() => void useMemory.getState().loadSpaces(), 5000, [profileId]);
  usePoll(() => void useMemory.getState().loadConflicts(), 3000, [profileId, space?.agent, space?.namespace], space !== undefined);

  return (
    <div className="page memory-page">
      <header className="page-head">
        <div>
          <h2>Memory</h2>
          <div className="muted">Per-agent and shared memory by namespace: search entries, open one, settle kept conflicts.</div>
        </div>
      </header>
      <NoticeBar notice={notice} />
      <div className="two-col">
        <SpacesPanel onChoose={(s) => void useMemory.getState().choose(s)} />
        <section className="panel" aria-label="Entries">
          <header className="panel-head">
            <h3>{space ? spaceName(space) : 'Pick a namespace'}</h3>
            {!form && <NewEntryButton actions={entries} onOpen={() => setForm(blankDraft(space))} />}
          </header>
          {form && (
            <EntryForm
              key={`${form.agent}/${form.namespace}/${form.key}/${form.baseVersion}`}
              initial={form}
              decide={entries.writeDecision}
              busy={entries.change.busy}
              onWrite={entries.askWrite}
              onCancel={() => setForm(undefined)}
            />
          )}
          {space && <EntrySearch />}
          <ConflictList conflicts={kept} actions={conflicts} />
          {space && <EntryTable />}
          <OpenedEntry connection={connection} actions={entries} onEdit={setForm} />
        </section>
      </div>
      {conflicts.resolve.dialog}
      {entries.change.dialog}
    </div>
  );
}

function NewEntryButton({ actions, onOpen }: { actions: EntryActions; onOpen(): void }) {
  const space = useMemory((s) => s.space);
  // The opener's refusal is the form's: on a read-only profile no entry can be written.
  const decision = actions.writeDecision(blankDraft(space));
  return (
    <button
      type="button"
      className="btn btn-small"
      disabled={actions.change.busy || !decision.allowed}
      {...refusedProps(decision)}
      onClick={onOpen}
    >
      New entry
    </button>
  );
}

function OpenedEntry({
  connection,
  actions,
  onEdit,
}: {
  connection: LiveConnection;
  actions: EntryActions;
  onEdit(draft: EntryDraft): void;
}) {
  const open = useMemory((s) => s.open);
  if (!open) return null;
  return (
    <OpenEntry
      entry={open}
      connection={connection}
      busy={actions.change.busy}
      onEdit={() => onEdit(draftOf(open))}
      onDelete={(decision) => actions.askDelete(open, decision)}
    />
  );
}
