import { BACKUP_COMPONENTS, type BackupComponent, type BackupScopeInput } from '../../../../shared/model/backup';

export type ScopeKind = BackupScopeInput['kind'];

export interface ScopeForm {
  kind: ScopeKind;
  /** One pattern or prefix per line, as typed. */
  lines: string;
  components: BackupComponent[];
  swarmId: string;
  format: 'swarmdeck' | 'rdb';
}

export const initialScopeForm = (): ScopeForm => ({
  kind: 'all',
  lines: '',
  components: [...BACKUP_COMPONENTS],
  swarmId: '',
  format: 'swarmdeck',
});

export const linesOf = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

/** The scope the form describes, or why it cannot be sent yet (the operator's words). */
export function scopeOf(form: ScopeForm): { scope: BackupScopeInput } | { problem: string } {
  // Main snapshots a swarm by its one hash tag: any other scope on top would be ignored or wrong.
  if (form.swarmId.trim() !== '' && form.kind !== 'all')
    return { problem: 'A swarm snapshot takes the whole swarm: choose Whole database' };
  switch (form.kind) {
    case 'all':
      return { scope: { kind: 'all' } };
    case 'patterns': {
      const patterns = linesOf(form.lines);
      return patterns.length > 0 ? { scope: { kind: 'patterns', patterns } } : { problem: 'Give at least one key pattern, one per line' };
    }
    case 'prefixes': {
      const prefixes = linesOf(form.lines);
      return prefixes.length > 0 ? { scope: { kind: 'prefixes', prefixes } } : { problem: 'Give at least one key prefix, one per line' };
    }
    case 'components':
      return form.components.length > 0
        ? { scope: { kind: 'components', components: form.components } }
        : { problem: 'Pick at least one component' };
  }
}
