import type { NotAuditedWarning } from '../transport/envelope';

export interface AuditWarning extends NotAuditedWarning {
  id: number;
  /** When the answer came (ms since the epoch). */
  at: number;
}

/** Warnings kept until dismissed: an unaudited action on production is not something to miss. */
export const KEPT_WARNINGS = 20;
export const SHOWN_WARNINGS = 4;

/** Newest first, at most KEPT_WARNINGS; the oldest go first when more arrive. */
export const withWarning = (list: AuditWarning[], warning: AuditWarning): AuditWarning[] => [warning, ...list].slice(0, KEPT_WARNINGS);

/** What the stack shows: the newest few, and how many more wait behind them. */
export function shownWarnings(list: AuditWarning[]): { shown: AuditWarning[]; more: number } {
  return { shown: list.slice(0, SHOWN_WARNINGS), more: Math.max(0, list.length - SHOWN_WARNINGS) };
}
