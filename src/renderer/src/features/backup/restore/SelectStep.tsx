import { useEffect, useState } from 'react';
import { BACKUP_COMPONENTS, KEY_TYPES, type BackupDetail } from '../../../../../shared/model/backup';
import { transport } from '../../../transport';
import { count, whatItHolds } from '../backup-format';
import type { RestoreChoice } from './wizard-model';

interface Props {
  /** The profile restored into. */
  profileId: string;
  choice: RestoreChoice;
  detail: BackupDetail | undefined;
  onChange(patch: Partial<RestoreChoice>): void;
}

/** Narrows the restore to some keys; left empty, every key of the backup is selected. */
export function SelectStep({ profileId, choice, detail, onChange }: Props) {
  const byType = detail?.manifest.counts.byType ?? {};
  return (
    <div className="select-step">
      <p className="muted">
        The backup holds {detail ? `${count(detail.summary.keys)} keys (${whatItHolds(detail.summary)})` : '…'}. Leave everything empty to
        restore all of them. Patterns, prefixes, components and swarms add up; types narrow what they select.
      </p>
      <div className="grid-2">
        <label className="field">
          <span>Key patterns (glob, one per line)</span>
          <textarea
            rows={3}
            value={choice.patterns}
            onChange={(e) => onChange({ patterns: e.target.value })}
            aria-label="Restore patterns"
            placeholder={'user:*\norders:2026-*'}
          />
        </label>
        <label className="field">
          <span>Key prefixes (one per line)</span>
          <textarea
            rows={3}
            value={choice.prefixes}
            onChange={(e) => onChange({ prefixes: e.target.value })}
            aria-label="Restore prefixes"
            placeholder="cache:"
          />
        </label>
      </div>
      <fieldset className="type-filter">
        <legend>Types {choice.types.length === 0 ? <span className="muted">(all)</span> : null}</legend>
        {KEY_TYPES.map((t) => {
          const n = byType[t]?.keys ?? 0;
          return (
            <label key={t} className={`check ${n === 0 ? 'is-empty' : ''}`}>
              <input
                type="checkbox"
                checked={choice.types.includes(t)}
                onChange={(e) => onChange({ types: e.target.checked ? [...choice.types, t] : choice.types.filter((x) => x !== t) })}
              />
              {t} <span className="count">{count(n)}</span>
            </label>
          );
        })}
      </fieldset>
      <fieldset className="type-filter" aria-label="Restore components">
        <legend>
          Components {choice.components.length === 0 ? <span className="muted">(none: patterns and prefixes only)</span> : null}
        </legend>
        {BACKUP_COMPONENTS.map((c) => (
          <label key={c} className="check">
            <input
              type="checkbox"
              checked={choice.components.includes(c)}
              onChange={(e) =>
                onChange({ components: e.target.checked ? [...choice.components, c] : choice.components.filter((x) => x !== c) })
              }
            />
            {c}
          </label>
        ))}
      </fieldset>
      <SwarmsFieldset profileId={profileId} choice={choice} onChange={onChange} />
    </div>
  );
}

/** Swarms by id: those listed on the server, and others typed in. */
function SwarmsFieldset({ profileId, choice, onChange }: Omit<Props, 'detail'>) {
  const swarms = useSwarmIds(choice.backup?.profileId ?? profileId, profileId);
  return (
    <fieldset className="type-filter" aria-label="Restore swarms">
      <legend>
        Swarms{' '}
        {swarms === undefined ? (
          <span className="muted">(listing…)</span>
        ) : swarms.length === 0 ? (
          <span className="muted">(none listed on the server)</span>
        ) : null}
      </legend>
      {(swarms ?? []).map((id) => (
        <label key={id} className="check">
          <input
            type="checkbox"
            checked={choice.swarmIds.includes(id)}
            onChange={(e) => onChange({ swarmIds: e.target.checked ? [...choice.swarmIds, id] : choice.swarmIds.filter((x) => x !== id) })}
          />
          {id}
        </label>
      ))}
      <label className="field other-swarms">
        <span>Other swarm ids (one per line)</span>
        <textarea
          rows={2}
          value={choice.otherSwarms}
          onChange={(e) => onChange({ otherSwarms: e.target.value })}
          aria-label="Other swarm ids"
          placeholder="a swarm deleted since the backup"
        />
      </label>
    </fieldset>
  );
}

/**
 * The Swarmdeck swarms of the backup's profile (the restored-into profile when that one is not
 * connected). claude-flow-novice swarms are left out: their keys are not the swarm keys a swarm
 * selection names.
 */
function useSwarmIds(backupProfileId: string, profileId: string): string[] | undefined {
  const [ids, setIds] = useState<string[] | undefined>(undefined);
  useEffect(() => {
    let live = true;
    const list = (id: string) =>
      transport.call('swarms.list', { profileId: id }).then((l) => l.swarms.filter((s) => s.source === 'swarmdeck').map((s) => s.id));
    void list(backupProfileId)
      .catch(() => (backupProfileId === profileId ? [] : list(profileId)))
      .catch(() => [])
      .then((found) => {
        if (live) setIds([...new Set(found)].sort());
      });
    return () => {
      live = false;
    };
  }, [backupProfileId, profileId]);
  return ids;
}
