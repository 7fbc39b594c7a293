import { useState } from 'react';
import type { GuardDecision } from '../../../../shared/guards';
import { refusedProps } from '../../components/guard-button';
import { stateDraftProblem, type StateDraft } from './state-form';

interface Props {
  initial: StateDraft;
  decide(d: StateDraft): GuardDecision;
  busy: boolean;
  onWrite(d: StateDraft): void;
  onCancel(): void;
}

/** The value of one key as its next version, or a new key with its first. */
export function StateForm({ initial, decide, busy, onWrite, onCancel }: Props) {
  const [draft, setDraft] = useState(initial);
  const problem = stateDraftProblem(draft);
  const decision = decide(draft);
  const editing = initial.baseVersion > 0;
  return (
    <form
      className="editor-section state-form"
      data-testid="state-form"
      aria-label={editing ? `Edit ${initial.key}` : 'New state key'}
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem && decision.allowed) onWrite(draft);
      }}
    >
      <h4>{editing ? `Version ${initial.baseVersion + 1} of ${initial.key}` : 'New key'}</h4>
      {!editing && (
        <label className="field">
          <span>
            Key <small>(namespace:rest)</small>
          </span>
          <input
            aria-label="State key"
            value={draft.key}
            onChange={(e) => setDraft({ ...draft, key: e.target.value })}
            placeholder="agents:config"
          />
        </label>
      )}
      <label className="field">
        <span>
          Value <small>(JSON by convention)</small>
        </span>
        <textarea aria-label="State value" rows={8} value={draft.value} onChange={(e) => setDraft({ ...draft, value: e.target.value })} />
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
          {editing ? `Write version ${initial.baseVersion + 1}` : 'Write'}
        </button>
      </div>
    </form>
  );
}
