import { describe, expect, it } from 'vitest';
import type { TaskDetail } from '../../src/shared/model/task';
import { anchorPage } from '../../src/renderer/src/features/tasks/task-page';

const t = (id: string): TaskDetail => ({
  id,
  queue: 'q',
  state: 'completed',
  data: null,
  priority: 500,
  attempts: 1,
  maxAttempts: 1,
  requires: [],
  createdAt: 0,
  history: [],
});
const ids = (list: TaskDetail[]): string[] => list.map((x) => x.id);

describe('a newest-first page that stays on its rows', () => {
  it('follows its rows when newer ones arrive on top, and says how many', () => {
    const page = anchorPage([t('e'), t('d'), t('c')], [t('g'), t('f'), t('e'), t('d'), t('c'), t('b')], 3);
    expect(page).toMatchObject({ shift: 2 });
    expect(ids(page.tasks)).toEqual(['e', 'd', 'c']);
  });
  it('drops rows that retention removed without moving the others', () => {
    const page = anchorPage([t('e'), t('d'), t('c')], [t('e'), t('d')], 3);
    expect(page.shift).toBe(0);
    expect(ids(page.tasks)).toEqual(['e', 'd']);
  });
  it('anchors on the first row still there when the top one left', () => {
    const page = anchorPage([t('e'), t('d'), t('c')], [t('x'), t('d'), t('c'), t('b')], 3);
    expect(page.shift).toBe(0);
    expect(ids(page.tasks)).toEqual(['x', 'd', 'c']);
  });
  it('reads a first load as it comes', () => {
    expect(anchorPage([], [t('b'), t('a')], 3)).toEqual({ tasks: [t('b'), t('a')], shift: 0 });
  });
});
