import { create } from 'zustand';
import type { OpOutput } from '../../../../shared/contract';
import type { StateVersion } from '../../../../shared/contract/state';
import { errorText, type Notice } from '../../components/notice';
import { transport } from '../../transport';
import { stateInput, type StateDraft } from './state-form';

/** Keys looked at per listing: SCAN stops there and says so, however big the keyspace is. */
export const SCAN_BUDGET = 20_000;

interface StateState {
  /** The connection the keys belong to. */
  profileId?: string;
  /** The last listing; undefined until the first answer. `complete` is false when the scan budget ran out. */
  keys?: OpOutput<'state.keys'>;
  /** The key whose value and versions are shown. */
  selected?: string;
  /** The selected key's kept versions, newest first. */
  history: StateVersion[];
  /** The last failure to read, or the outcome of the last write. */
  notice?: Notice;
  /** Forgets another connection's keys and selection. */
  forProfile(profileId: string): void;
  report(notice: Notice): void;
  select(key: string | undefined): void;
  /** Lists the keys; a failure is reported, not thrown (the page polls). */
  loadKeys(): Promise<void>;
  /** Reads the selected key's versions; a failure is reported, not thrown. */
  loadHistory(): Promise<void>;
  /** Compare-and-set from the draft, then shows the key written; resolves with its new version. */
  write(draft: StateDraft, confirm: string | undefined): Promise<{ key: string; version: number }>;
}

export const useSharedState = create<StateState>((set, get) => {
  /** A reply still about what the page shows: the same connection (and key). */
  const current = (profileId: string, key?: string): boolean =>
    get().profileId === profileId && (key === undefined || get().selected === key);
  const fail = (profileId: string) => (error: unknown) => {
    if (current(profileId)) set({ notice: { kind: 'error', text: errorText(error) } });
  };
  return {
    history: [],
    forProfile(profileId) {
      if (get().profileId !== profileId) set({ profileId, keys: undefined, selected: undefined, history: [], notice: undefined });
    },
    report: (notice) => set({ notice }),
    select(key) {
      if (key !== get().selected) set({ selected: key, history: [] });
    },
    async loadKeys() {
      const { profileId } = get();
      if (!profileId) return;
      await transport.call('state.keys', { profileId, budget: SCAN_BUDGET }).then((keys) => {
        if (current(profileId)) set({ keys });
      }, fail(profileId));
    },
    async loadHistory() {
      const { profileId, selected: key } = get();
      if (!profileId || key === undefined) return;
      await transport.call('state.history', { profileId, key }).then((history) => {
        if (current(profileId, key)) set({ history });
      }, fail(profileId));
    },
    async write(draft, confirm) {
      const { profileId } = get();
      if (!profileId) throw new Error('no connection in view');
      const input = stateInput(profileId, draft);
      const { version } = await transport.call('state.set', { ...input, ...(confirm ? { confirm } : {}) });
      get().select(input.key);
      void get().loadKeys();
      void get().loadHistory();
      return { key: input.key, version };
    },
  };
});
