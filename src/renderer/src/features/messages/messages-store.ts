import { create } from 'zustand';
import type { ViewerMessage } from '../../../../shared/contract/messaging';
import type { JobView } from '../../../../shared/model/job';
import { useJobs } from '../../app/jobs-store';
import { errorText, type Notice } from '../../components/notice';
import { transport } from '../../transport';
import { appendMessages } from './viewer-model';

/** What to watch: one channel, or a glob-style pattern of channels. */
export type WatchSource = { channel: string } | { pattern: string };

export interface PublishDraft {
  channel: string;
  type: string;
  payload: string;
}

interface MessagesState {
  /** The connection the watch belongs to. */
  profileId?: string;
  /** The watch job main runs, and the view of it main answered with (before its first pushed event). */
  jobId?: string;
  started?: JobView;
  /** What arrived, oldest first (the newest `SHOWN` kept); `lastSeq` is where the next read starts. */
  messages: ViewerMessage[];
  lastSeq: number;
  /** Messages main skipped because they arrived faster than the page read them. */
  dropped: number;
  /** Paused: nothing is read, main keeps the last 1,000; on resume the page catches up from its last message. */
  paused: boolean;
  /** The message whose envelope is open, by its `seq`. */
  selected?: number;
  /** The last failure, or the outcome of the last publish. */
  notice?: Notice;
  /** Forgets another connection's watch. */
  forProfile(profileId: string): void;
  report(notice: Notice): void;
  /** Starts a watch (cancelling the one running) and shows only what it receives. Failures are reported. */
  watch(source: WatchSource): Promise<void>;
  /** Reads what arrived since the last read; failures are reported, not thrown (the page polls). */
  read(): Promise<void>;
  togglePaused(): void;
  select(seq: number): void;
  publish(draft: PublishDraft, confirm: string | undefined): Promise<{ receivers: number }>;
}

/** The watch as main last said: its pushed state, or what it answered when it started. */
const watchJob = (s: Pick<MessagesState, 'jobId' | 'started'>): JobView | undefined =>
  (s.jobId ? useJobs.getState().jobs[s.jobId] : undefined) ?? s.started;

export const useMessages = create<MessagesState>((set, get) => ({
  messages: [],
  lastSeq: 0,
  dropped: 0,
  paused: false,
  forProfile(profileId) {
    if (get().profileId === profileId) return;
    const nothing = { jobId: undefined, started: undefined, selected: undefined, notice: undefined };
    set({ profileId, ...nothing, messages: [], lastSeq: 0, dropped: 0, paused: false });
  },
  report: (notice) => set({ notice }),
  async watch(source) {
    const { profileId } = get();
    if (!profileId) return;
    const running = watchJob(get());
    if (running?.state === 'running') void transport.call('jobs.cancel', { jobId: running.id }).catch(() => undefined);
    try {
      const view = await transport.call('messages.watch', { profileId, ...source });
      if (get().profileId !== profileId) return;
      set({ jobId: view.id, started: view, messages: [], lastSeq: 0, dropped: 0, selected: undefined, notice: undefined });
    } catch (error) {
      set({ notice: { kind: 'error', text: errorText(error) } });
    }
  },
  async read() {
    const { jobId, lastSeq } = get();
    if (!jobId) return;
    try {
      const r = await transport.call('messages.read', { jobId, after: lastSeq });
      // A read that answers after another watch started, or after a read that went further, is not shown twice.
      if (get().jobId !== jobId || get().lastSeq !== lastSeq) return;
      const last = r.messages.at(-1);
      set((s) => ({
        messages: appendMessages(s.messages, r.messages),
        lastSeq: last ? last.seq : s.lastSeq,
        dropped: s.dropped + r.dropped,
      }));
    } catch (error) {
      set({ notice: { kind: 'error', text: errorText(error) } });
    }
  },
  togglePaused: () => set((s) => ({ paused: !s.paused })),
  select: (selected) => set({ selected }),
  async publish(d, confirm) {
    const { profileId } = get();
    if (!profileId) throw new Error('no connection in view');
    const sent = await transport.call('messages.publish', {
      profileId,
      channel: d.channel,
      type: d.type,
      payload: d.payload,
      ...(confirm ? { confirm } : {}),
    });
    return { receivers: sent.receivers };
  },
}));
