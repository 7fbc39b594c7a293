import { create } from 'zustand';
import type { ConnectionStatus } from '../../../../shared/model/health';
import { transport } from '../../transport';

interface ConnectionsState {
  statuses: Record<string, ConnectionStatus>;
  /** The profile the views are about. */
  activeId?: string;
  busy: Record<string, boolean>;
  setActive(id: string | undefined): void;
  apply(status: ConnectionStatus): void;
  load(): Promise<void>;
  connect(id: string): Promise<void>;
  disconnect(id: string): Promise<void>;
}

export const useConnections = create<ConnectionsState>((set, get) => ({
  statuses: {},
  busy: {},
  setActive(id) {
    set({ activeId: id });
  },
  apply(status) {
    set((s) => ({ statuses: { ...s.statuses, [status.profileId]: status } }));
  },
  async load() {
    const list = await transport.call('connections.list', {});
    set({ statuses: Object.fromEntries(list.map((s) => [s.profileId, s])) });
  },
  async connect(id) {
    set((s) => ({ busy: { ...s.busy, [id]: true } }));
    try {
      get().apply(await transport.call('connections.connect', { profileId: id }));
      set({ activeId: id });
    } finally {
      set((s) => ({ busy: { ...s.busy, [id]: false } }));
    }
  },
  async disconnect(id) {
    get().apply(await transport.call('connections.disconnect', { profileId: id }));
  },
}));

export const isLive = (status: ConnectionStatus | undefined): boolean =>
  status?.state === 'connected' || status?.state === 'reconnecting';
