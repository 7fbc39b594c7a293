import { BACKUP_COMPONENTS, type BackupComponent } from '../../../../shared/model/backup';
import type { ScopeForm, ScopeKind } from './scope-form';

const KINDS: { kind: ScopeKind; label: string }[] = [
  { kind: 'all', label: 'Whole database' },
  { kind: 'components', label: 'Components' },
  { kind: 'patterns', label: 'Key patterns' },
  { kind: 'prefixes', label: 'Key prefixes' },
];

const COMPONENT_HINT: Record<BackupComponent, string> = {
  queues: 'task queues, their tasks and streams',
  swarms: 'swarms, agents, votes, messages',
  memory: 'agent memory and its conflicts',
  config: 'configuration scopes and their versions',
  metrics: 'recorded series and alerts',
  locks: 'fenced locks and their counters',
  state: 'versioned state and its history',
  audit: 'the operator-action stream',
};

/** What a backup takes: the whole database, some components, or keys by pattern or prefix. */
export function BackupScopeFields({ form, patch }: { form: ScopeForm; patch(p: Partial<ScopeForm>): void }) {
  return (
    <>
      <div className="segmented" role="radiogroup" aria-label="Scope">
        {KINDS.map((k) => (
          <button
            key={k.kind}
            type="button"
            role="radio"
            aria-checked={form.kind === k.kind}
            className={`seg ${form.kind === k.kind ? 'on' : ''}`}
            onClick={() => patch({ kind: k.kind })}
          >
            {k.label}
          </button>
        ))}
      </div>
      {form.kind === 'components' ? (
        <div className="check-row">
          {BACKUP_COMPONENTS.map((c) => (
            <label key={c} className="check" title={COMPONENT_HINT[c]}>
              <input
                type="checkbox"
                checked={form.components.includes(c)}
                onChange={(e) => patch({ components: e.target.checked ? [...form.components, c] : form.components.filter((x) => x !== c) })}
              />
              {c} <span className="muted">— {COMPONENT_HINT[c]}</span>
            </label>
          ))}
        </div>
      ) : null}
      {form.kind === 'patterns' || form.kind === 'prefixes' ? (
        <label className="field">
          <span>{form.kind === 'patterns' ? 'Glob patterns (SCAN MATCH), one per line' : 'Key prefixes, one per line'}</span>
          <textarea
            rows={2}
            value={form.lines}
            onChange={(e) => patch({ lines: e.target.value })}
            aria-label={form.kind === 'patterns' ? 'Key patterns' : 'Key prefixes'}
            placeholder={form.kind === 'patterns' ? 'user:*\nsession:??' : 'cache:'}
          />
        </label>
      ) : null}
    </>
  );
}
