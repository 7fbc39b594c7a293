import { KEY_TYPES, type BackupDetail } from '../../../../../shared/model/backup';
import { count, whatItHolds } from '../backup-format';
import type { RestoreChoice } from './wizard-model';

interface Props {
  choice: RestoreChoice;
  detail: BackupDetail | undefined;
  onChange(patch: Partial<RestoreChoice>): void;
}

/** Narrows the restore to some keys; left empty, every key of the backup is selected. */
export function SelectStep({ choice, detail, onChange }: Props) {
  const byType = detail?.manifest.counts.byType ?? {};
  return (
    <div className="select-step">
      <p className="muted">
        The backup holds {detail ? `${count(detail.summary.keys)} keys (${whatItHolds(detail.summary)})` : '…'}. Leave everything empty to restore all of them; each filter below narrows the selection.
      </p>
      <div className="grid-2">
        <label className="field">
          <span>Key patterns (glob, one per line)</span>
          <textarea rows={3} value={choice.patterns} onChange={(e) => onChange({ patterns: e.target.value })} aria-label="Restore patterns" placeholder={'user:*\norders:2026-*'} />
        </label>
        <label className="field">
          <span>Key prefixes (one per line)</span>
          <textarea rows={3} value={choice.prefixes} onChange={(e) => onChange({ prefixes: e.target.value })} aria-label="Restore prefixes" placeholder="cache:" />
        </label>
      </div>
      <fieldset className="type-filter">
        <legend>Types {choice.types.length === 0 ? <span className="muted">(all)</span> : null}</legend>
        {KEY_TYPES.map((t) => {
          const n = byType[t]?.keys ?? 0;
          return (
            <label key={t} className={`check ${n === 0 ? 'is-empty' : ''}`}>
              <input type="checkbox" checked={choice.types.includes(t)} onChange={(e) => onChange({ types: e.target.checked ? [...choice.types, t] : choice.types.filter((x) => x !== t) })} />
              {t} <span className="count">{count(n)}</span>
            </label>
          );
        })}
      </fieldset>
    </div>
  );
}
