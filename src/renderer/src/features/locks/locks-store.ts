import { create } from 'zustand';
import type { LockView } from '../../../../shared/contract/locks';
import type { OpOutput } from '../../../../shared/contract';
import { errorText, type Notice } from '../../components/notice';
import { transport } from '../../transport';

interface LocksState {
  /** The connection the list belongs to. */
  profileId?: string;
  /** Every lock of the registry; undefined until the first answer, so "none held" and "loading" differ. */
  locks?: LockView[];
  /** When the list was read (`performance.now()`): the countdown runs from the lease left then. */
  readAt: number;
  /** The last failure to read, or the outcome of the last action. */
  notice?: Notice;
  /** Forgets another connection's locks. */
  forProfile(profileId: string): void;
  report(notice: Notice): void;
  /** Reads the list; a failure is reported, not thrown (the page polls). */
  load(): Promise<void>;
  /** Takes the lock from its holder (main checks the fence), then reads the list again. */
  forceRelease(lock: LockView, confirm: string | undefined): Promise<OpOutput<'locks.forceRelease'>>;
}

export const useLocks = create<LocksState>((set, get) => ({
  readAt: 0,
  forProfile(profileId) {
    if (get().profileId !== profileId) set({ profileId, locks: undefined, readAt: 0, notice: undefined });
  },
  report: (notice) => set({ notice }),
  async load() {
    const { profileId } = get();
    if (!profileId) return;
    try {
      const locks = await transport.call('locks.list', { profileId });
      // A reply that lands after a switch to another connection belongs to neither.
      if (get().profileId === profileId) set({ locks, readAt: performance.now() });
    } catch (error) {
      if (get().profileId === profileId) set({ notice: { kind: 'error', text: errorText(error) } });
    }
  },
  async forceRelease(lock, confirm) {
    const profileId = get().profileId;
    if (!profileId) throw new Error('no connection in view');
    const released = await transport.call('locks.forceRelease', {
      profileId,
      resource: lock.resource,
      fence: lock.fence,
      ...(confirm ? { confirm } : {}),
    });
    void get().load();
    return released;
  },
}));
