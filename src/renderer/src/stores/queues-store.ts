import { create } from 'zustand';
import type { QueueAction, QueueSummary, StreamEntry, TaskDetail } from '../../../shared/model/task';
import { transport } from '../transport';

export type TaskListState = 'waiting' | 'delayed' | 'active' | 'finished' | 'dead';
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
  select(queue: string | undefined): void;
  setListState(state: TaskListState): void;
  setOffset(offset: number): void;
  loadTasks(profileId: string): Promise<void>;
  openTask(profileId: string, id: string): Promise<void>;
  closeTask(): void;
  /** The newest transitions of the selected queue. */
  recentEvents(profileId: string, count: number): Promise<StreamEntry[]>;
  /** The newest operator actions on queues under the profile's prefix (the audit stream also holds swarm actions). */
  recentActions(profileId: string, count: number): Promise<StreamEntry[]>;
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
    if (get().selected === selected && get().listState === listState) set({ tasks });
  },
  async openTask(profileId, id) {
    const queue = get().selected;
    if (!queue) return;
    set({ task: await transport.call('queues.task', { profileId, queue, id }) });
  },
  closeTask() {
    set({ task: undefined });
  },
  async recentEvents(profileId, count) {
    const queue = get().selected;
    return queue ? transport.call('queues.events', { profileId, queue, count }) : [];
  },
  async recentActions(profileId, count) {
    const recent = await transport.call('audit.recent', { profileId, count: 200 });
    return recent.filter((e) => e.fields.action?.startsWith('queue.')).slice(0, count);
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
