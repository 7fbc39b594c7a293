import { useState } from 'react';
import type { GuardDecision } from '../../../../shared/guards';
import { refusedProps } from '../../components/guard-button';
import { draftProblem, type EntryDraft } from './entry-form';

interface Props {
  initial: EntryDraft;
  /** The decision for the draft as it stands (its target is the entry being typed). */
  decide(draft: EntryDraft): GuardDecision;
  busy: boolean;
  onWrite(draft: EntryDraft): void;
  onCancel(): void;
}

/** Writes one entry: a new one (it must not exist yet), or the next version of the one opened. */
export function EntryForm({ initial, decide, busy, onWrite, onCancel }: Props) {
  const [draft, setDraft] = useState(initial);
  const set = (patch: Partial<EntryDraft>): void => setDraft((d) => ({ ...d, ...patch }));
  const editing = initial.baseVersion > 0;
  const problem = draftProblem(draft);
  const decision = decide(draft);
  return (
    <form
      className="editor-section memory-form"
      data-testid="memory-form"
      aria-label={editing ? 'Edit entry' : 'New entry'}
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem && decision.allowed) onWrite(draft);
      }}
    >
      <h4>{editing ? `Next version of ${initial.key} (now version ${initial.baseVersion})` : 'New entry'}</h4>
      <div className="grid-3 memory-form-names">
        <label className="field">
          <span>
            Agent <small>(blank: shared)</small>
          </span>
          <input
            aria-label="Entry agent"
            value={draft.agent}
            disabled={editing}
            onChange={(e) => set({ agent: e.target.value })}
            placeholder="shared"
          />
        </label>
        <label className="field">
          <span>Namespace</span>
          <input
            aria-label="Entry namespace"
            value={draft.namespace}
            disabled={editing}
            onChange={(e) => set({ namespace: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Key</span>
          <input aria-label="Entry key" value={draft.key} disabled={editing} onChange={(e) => set({ key: e.target.value })} />
        </label>
      </div>
      <label className="field">
        <span>
          Value <small>(JSON by convention)</small>
        </span>
        <textarea aria-label="Entry value" rows={5} value={draft.value} onChange={(e) => set({ value: e.target.value })} />
      </label>
      <label className="field">
        <span>
          Tags <small>(comma-separated)</small>
        </span>
        <input aria-label="Entry tags" value={draft.tags} onChange={(e) => set({ tags: e.target.value })} />
      </label>
      <div className="panel-actions">
        {problem ? <span className="wizard-blocker">{problem}</span> : null}
        <span className="spacer" />
        <button type="button" className="btn btn-small" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          className="btn btn-small btn-primary"
          disabled={busy || problem !== undefined || !decision.allowed}
          {...refusedProps(decision)}
        >
          Write entry
        </button>
      </div>
    </form>
  );
}
