import type { BackupSummary, KeyName, ManifestScopeView } from '../../../../shared/model/backup';

const number = new Intl.NumberFormat('en');
export const count = (n: number): string => number.format(n);

/** "1 key", "2 keys": counts read as sentences in dialogs and summaries. */
export const keys = (n: number): string => `${number.format(n)} key${n === 1 ? '' : 's'}`;

/** Local date and time to the second: backups are told apart by when they were taken. */
export function when(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function describeScope(scope: ManifestScopeView): string {
  if (scope.kind === 'all') return 'whole database';
  if (scope.kind === 'patterns') return scope.patterns.join(', ');
  return scope.prefixes.map((p) => (p.encoding === 'hex' ? `0x${p.value}` : `${p.value}*`)).join(', ');
}

/** What a backup holds, in one phrase: its components, its swarm, or its key scope. */
export function whatItHolds(b: BackupSummary): string {
  if (b.swarmId) return `swarm ${b.swarmId}`;
  if (b.components.length > 0) return b.components.join(', ');
  return describeScope(b.scope);
}

export const keyText = (k: KeyName): string => (k.hex ? `${k.text} (binary)` : k.text);
