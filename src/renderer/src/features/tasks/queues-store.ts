import { create, type StoreApi } from 'zustand';
import type { CfnTaskSource } from '../../../../shared/model/cfn';
import type { QueueAction, QueueSummary, StreamEntry, TaskDetail } from '../../../../shared/model/task';
import { SwarmdeckError } from '../../../../shared/errors';
import { errorText } from '../../components/notice';
import { transport } from '../../transport';
import { anchorPage, FINISHED_KEPT, NEWEST_FIRST } from './task-page';

export const TASK_LIST_STATES = ['waiting', 'delayed', 'active', 'finished', 'dead'] as const;
export type TaskListState = (typeof TASK_LIST_STATES)[number];
export const PAGE_SIZE = 50;

/** What the last reads of a claude-flow-novice deployment's task routing gave. */
export interface CfnTasksRead {
  source?: CfnTaskSource;
  /** When `source` was read (`Date.now()`): queued entries' ages are measured against it, not re-read while rendering. */
  readAt: number;
  /** Why the last read failed; the next good read clears it. */
  error?: string;
}

interface QueuesState {
  /** Latest pushed summaries per profile. */
  byProfile: Record<string, QueueSummary[]>;
  selected?: string;
  listState: TaskListState;
  offset: number;
  tasks: TaskDetail[];
  /** Newer rows that arrived above the page since the operator last went to the top. */
  fresh: number;
  task?: TaskDetail;
  /** Why the task the operator clicked is not shown: it is gone from Redis. */
  gone?: { id: string; text: string };
  apply(profileId: string, queues: QueueSummary[]): void;
  /** The connection the selection and the open task belong to. */
  profileId?: string;
  /** Forgets the selected queue and the open task when another connection becomes active. */
  forProfile(profileId: string): void;
  select(queue: string | undefined): void;
  setListState(state: TaskListState): void;
  setOffset(offset: number): void;
  /** Back to the newest rows, which clears the "N new" count. */
  showNewest(): void;
  loadTasks(profileId: string): Promise<void>;
  openTask(profileId: string, id: string): Promise<void>;
  closeTask(): void;
  /** The newest transitions of a queue. */
  recentEvents(profileId: string, queue: string, count: number): Promise<StreamEntry[]>;
  /** The operator's newest actions on one queue, filtered by main. */
  recentActions(profileId: string, queue: string, count: number): Promise<StreamEntry[]>;
  /** claude-flow-novice task routing per profile, read only; undefined until the first answer. */
  cfnTasks: Record<string, CfnTasksRead | undefined>;
  /** Reads it; a failure is kept beside the last good read, not thrown (the panel polls). */
  loadCfnTasks(profileId: string): Promise<void>;
  act(
    profileId: string,
    action: QueueAction,
    options?: { id?: string; state?: 'waiting' | 'delayed' | 'finished' | 'dead'; confirm?: string },
  ): Promise<number>;
}

/** Opens a task of the selected queue, or says in the list that a row shown there is gone. */
async function openTask(
  set: StoreApi<QueuesState>['setState'],
  get: StoreApi<QueuesState>['getState'],
  profileId: string,
  id: string,
): Promise<void> {
  const queue = get().selected;
  if (!queue) return;
  let task: TaskDetail;
  try {
    task = await transport.call('queues.task', { profileId, queue, id });
  } catch (error) {
    // A row the list showed that is gone now was removed meanwhile; an id typed by hand may
    // simply be wrong, and keeps main's message.
    const shown = get().tasks.find((t) => t.id === id);
    if (!(error instanceof SwarmdeckError && error.code === 'NOT_FOUND') || !shown || get().selected !== queue) throw error;
    const finished = ['completed', 'cancelled'].includes(shown.state);
    set({
      task: undefined,
      tasks: get().tasks.filter((t) => t.id !== id),
      gone: {
        id,
        text: finished
          ? `Task ${id} was removed by retention: the queue keeps its newest ${FINISHED_KEPT.toLocaleString()} finished tasks, none older than 24 h.`
          : `Task ${id} is no longer in ${queue}.`,
      },
    });
    return;
  }
  // A reply that lands after a switch to another connection or queue belongs to neither.
  if (get().profileId === profileId && get().selected === queue) set({ task, gone: undefined });
}

export const useQueues = create<QueuesState>((set, get) => ({
  byProfile: {},
  listState: 'waiting',
  offset: 0,
  tasks: [],
  fresh: 0,
  cfnTasks: {},
  apply(profileId, queues) {
    set((s) => ({ byProfile: { ...s.byProfile, [profileId]: queues } }));
  },
  forProfile(profileId) {
    if (get().profileId === profileId) return;
    set({ profileId, selected: undefined, offset: 0, tasks: [], fresh: 0, task: undefined, gone: undefined });
  },
  select(queue) {
    set({ selected: queue, offset: 0, tasks: [], fresh: 0, task: undefined, gone: undefined });
  },
  setListState(listState) {
    set({ listState, offset: 0, tasks: [], fresh: 0 });
  },
  setOffset(offset) {
    set({ offset: Math.max(0, offset) });
  },
  showNewest() {
    set({ offset: 0, fresh: 0 });
  },
  async loadTasks(profileId) {
    const { selected, listState, offset } = get();
    if (!selected) return;
    // Newest-first lists read past the page, so rows that arrived on top can be counted and the
    // page kept on the rows the operator is reading.
    const newestFirst = NEWEST_FIRST.has(listState);
    const fetched = await transport.call('queues.tasks', {
      profileId,
      queue: selected,
      state: listState,
      offset,
      limit: newestFirst ? PAGE_SIZE * 4 : PAGE_SIZE,
    });
    const now = get();
    if (now.profileId !== profileId || now.selected !== selected || now.listState !== listState || now.offset !== offset) return;
    if (!newestFirst) return set({ tasks: fetched });
    const page = anchorPage(now.tasks, fetched, PAGE_SIZE);
    set({ tasks: page.tasks, offset: offset + page.shift, fresh: now.fresh + page.shift });
  },
  openTask: (profileId, id) => openTask(set, get, profileId, id),
  closeTask() {
    set({ task: undefined, gone: undefined });
  },
  async recentEvents(profileId, queue, count) {
    return transport.call('queues.events', { profileId, queue, count });
  },
  async recentActions(profileId, queue, count) {
    return transport.call('audit.recent', { profileId, count, target: queue, action: 'queue.' });
  },
  async loadCfnTasks(profileId) {
    const put = (read: CfnTasksRead): void => set((s) => ({ cfnTasks: { ...s.cfnTasks, [profileId]: read } }));
    try {
      put({ source: await transport.call('swarms.cfnTasks', { profileId }), readAt: Date.now() });
    } catch (error) {
      put({ ...(get().cfnTasks[profileId] ?? { readAt: 0 }), error: errorText(error) });
    }
  },
  async act(profileId, action, options = {}) {
    const queue = get().selected;
    if (!queue) return 0;
    const { affected } = await transport.call('queues.action', { profileId, queue, action, ...options });
    await get().loadTasks(profileId);
    const open = get().task;
    if (open)
      await get()
        .openTask(profileId, open.id)
        .catch(() => set({ task: undefined }));
    return affected;
  },
}));
