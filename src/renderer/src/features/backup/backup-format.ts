import type { KeyName } from '../../../../shared/model/backup';

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

/** What a backup holds, in one phrase (an import says the file it came from): the same words as the CLI and the retention plan. */
export { whatItHolds } from '../../../../shared/model/backup';

export const keyText = (k: KeyName): string => (k.hex ? `${k.text} (binary)` : k.text);
