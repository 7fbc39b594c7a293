import { create } from 'zustand';
import type { QueueAction, QueueSummary, StreamEntry, TaskDetail } from '../../../../shared/model/task';
import { transport } from '../../transport';

export const TASK_LIST_STATES = ['waiting', 'delayed', 'active', 'finished', 'dead'] as const;
export type TaskListState = (typeof TASK_LIST_STATES)[number];
export const PAGE_SIZE = 50;

interface QueuesState {
  /** Latest pushed summaries per profile. */
  byProfile: Record<string, QueueSummary[]>;
  selected?: string;
  listState: TaskListState;
  offset: number;
  tasks: TaskDetail[];
  task?: TaskDetail;
  apply(profileId: string, queues: QueueSummary[]): void;
  /** The connection the selection and the open task belong to. */
  profileId?: string;
  /** Forgets the selected queue and the open task when another connection becomes active. */
  forProfile(profileId: string): void;
  select(queue: string | undefined): void;
  setListState(state: TaskListState): void;
  setOffset(offset: number): void;
  loadTasks(profileId: string): Promise<void>;
  openTask(profileId: string, id: string): Promise<void>;
  closeTask(): void;
  /** The newest transitions of a queue. */
  recentEvents(profileId: string, queue: string, count: number): Promise<StreamEntry[]>;
  /** The newest operator actions on queues under the profile's prefix (the audit stream also holds swarm actions). */
  /** The operator's newest actions on one queue, filtered by main. */
  recentActions(profileId: string, queue: string, count: number): Promise<StreamEntry[]>;
  act(profileId: string, action: QueueAction, options?: { id?: string; state?: 'waiting' | 'delayed' | 'finished' | 'dead'; confirm?: string }): Promise<number>;
}

export const useQueues = create<QueuesState>((set, get) => ({
  byProfile: {},
  listState: 'waiting',
  offset: 0,
  tasks: [],
  apply(profileId, queues) {
    set((s) => ({ byProfile: { ...s.byProfile, [profileId]: queues } }));
  },
  forProfile(profileId) {
    if (get().profileId === profileId) return;
    set({ profileId, selected: undefined, offset: 0, tasks: [], task: undefined });
  },
  select(queue) {
    set({ selected: queue, offset: 0, tasks: [], task: undefined });
  },
  setListState(listState) {
    set({ listState, offset: 0 });
  },
  setOffset(offset) {
    set({ offset: Math.max(0, offset) });
  },
  async loadTasks(profileId) {
    const { selected, listState, offset } = get();
    if (!selected) return;
    const tasks = await transport.call('queues.tasks', { profileId, queue: selected, state: listState, offset, limit: PAGE_SIZE });
    if (get().profileId === profileId && get().selected === selected && get().listState === listState) set({ tasks });
  },
  async openTask(profileId, id) {
    const queue = get().selected;
    if (!queue) return;
    const task = await transport.call('queues.task', { profileId, queue, id });
    // A reply that lands after a switch to another connection or queue belongs to neither.
    if (get().profileId === profileId && get().selected === queue) set({ task });
  },
  closeTask() {
    set({ task: undefined });
  },
  async recentEvents(profileId, queue, count) {
    return transport.call('queues.events', { profileId, queue, count });
  },
  async recentActions(profileId, queue, count) {
    return transport.call('audit.recent', { profileId, count, target: queue, action: 'queue.' });
  },
  async act(profileId, action, options = {}) {
    const queue = get().selected;
    if (!queue) return 0;
    const { affected } = await transport.call('queues.action', { profileId, queue, action, ...options });
    await get().loadTasks(profileId);
    const open = get().task;
    if (open) await get().openTask(profileId, open.id).catch(() => set({ task: undefined }));
    return affected;
  },
}));
