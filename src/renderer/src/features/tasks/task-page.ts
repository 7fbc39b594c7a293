import type { TaskDetail } from '../../../../shared/model/task';

/** TaskQueue keeps the newest 1,000 finished tasks (and none older than 24 h) by default. */
export const FINISHED_KEPT = 1000;

/** Finished and dead are listed newest first: new rows arrive on top, retention trims the bottom. */
export const NEWEST_FIRST = new Set(['finished', 'dead']);

export interface AnchoredPage {
  tasks: TaskDetail[];
  /** How far the page moved down because newer rows arrived on top of it. */
  shift: number;
}

/**
 * Keeps a newest-first page on the rows the operator is reading. `fetched` is read from the
 * page's offset with room for arrivals; when the page's first row now sits `k` rows down, `k`
 * newer rows arrived and the page follows its rows instead of letting them slide under the
 * pointer. Rows that left (trimmed by retention) simply drop out of the page.
 */
export function anchorPage(shown: TaskDetail[], fetched: TaskDetail[], size: number): AnchoredPage {
  const ids = new Set(fetched.map((t) => t.id));
  const anchor = shown.find((t) => ids.has(t.id));
  const k = anchor ? fetched.findIndex((t) => t.id === anchor.id) - shown.findIndex((t) => t.id === anchor.id) : 0;
  const shift = Math.max(0, k);
  return { tasks: fetched.slice(shift, shift + size), shift };
}
