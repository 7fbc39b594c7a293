import { create } from 'zustand';
import type { ConnectionStatus } from '../../../../shared/model/health';
import { transport } from '../../transport';
import { useProfiles } from './profiles-store';
import { chooseActive } from './active-choice';

/**
 * The profile in view is remembered in the renderer's localStorage, not in main: it is a
 * preference of one window (two windows or tabs may look at different connections), main has
 * no per-view settings, and a wrong or missing value costs nothing — chooseActive falls back to
 * a live connection. Behind the web host the origin includes the port, so a host restarted on
 * another port starts without it and picks the live connection (e.g. the sandbox) instead.
 */
const REMEMBER_KEY = 'swarmdeck.activeProfile';
const remembered = (): string | undefined => {
  try {
    return globalThis.localStorage?.getItem(REMEMBER_KEY) ?? undefined;
  } catch {
    return undefined; // storage disabled: nothing remembered, the live connection is chosen
  }
};
const remember = (id: string | undefined): void => {
  try {
    if (id) globalThis.localStorage?.setItem(REMEMBER_KEY, id);
  } catch {
    // storage disabled: the choice lasts until the page is reloaded
  }
};

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
    remember(id);
    set({ activeId: id });
  },
  apply(status) {
    set((s) => {
      const statuses = { ...s.statuses, [status.profileId]: status };
      return { statuses, activeId: pick(s.activeId, statuses) };
    });
  },
  async load() {
    const list = await transport.call('connections.list', {});
    const statuses = Object.fromEntries(list.map((s) => [s.profileId, s]));
    set((s) => ({ statuses, activeId: pick(s.activeId, statuses) }));
  },
  async connect(id) {
    set((s) => ({ busy: { ...s.busy, [id]: true } }));
    try {
      get().apply(await transport.call('connections.connect', { profileId: id }));
      get().setActive(id);
    } finally {
      set((s) => ({ busy: { ...s.busy, [id]: false } }));
    }
  },
  async disconnect(id) {
    get().apply(await transport.call('connections.disconnect', { profileId: id }));
  },
}));

const pick = (current: string | undefined, statuses: Record<string, ConnectionStatus>): string | undefined =>
  chooseActive(
    current,
    remembered(),
    statuses,
    useProfiles.getState().profiles.map((p) => p.id),
  );

export const isLive = (status: ConnectionStatus | undefined): boolean => status?.state === 'connected' || status?.state === 'reconnecting';
