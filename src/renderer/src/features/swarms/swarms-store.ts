import { create } from 'zustand';
import type { OpInput } from '../../../../shared/contract';
import type { MessageView, SwarmDetail, SwarmList, SwarmSource } from '../../../../shared/model/swarm';
import type { StreamEntry } from '../../../../shared/model/task';
import { transport } from '../../transport';

const TIMELINE_PAGE = 40;

/** Newer entries before older ones, each id once: tails and pages can overlap when polls cross. */
function merge(newer: StreamEntry[], older: StreamEntry[]): StreamEntry[] {
  const seen = new Set<string>();
  return [...newer, ...older].filter((e) => !seen.has(e.id) && (seen.add(e.id), true));
}
/** How long a message keeps its edge lit in the graph. */
export const PULSE_MS = 1600;

interface Selected {
  id: string;
  source: SwarmSource;
}

interface SwarmsState {
  list?: SwarmList;
  selected?: Selected;
  detail?: SwarmDetail;
  /** Messages of the last PULSE_MS, for edge pulses. */
  pulses: MessageView[];
  lastMessage?: string;
  /** The swarm's event stream as loaded so far, newest first. */
  timeline: StreamEntry[];
  timelineComplete: boolean;
  loadList(profileId: string): Promise<void>;
  /** The connection the list and the open swarm belong to. */
  profileId?: string;
  /** Forgets the list and the open swarm when another connection becomes active. */
  forProfile(profileId: string | undefined): void;
  open(selected: Selected | undefined): void;
  loadDetail(profileId: string): Promise<void>;
  pollMessages(profileId: string): Promise<void>;
  /** Appends what happened since the newest loaded event (or the first page). */
  tailTimeline(profileId: string): Promise<void>;
  loadOlder(profileId: string): Promise<void>;
  act(profileId: string, action: OpInput<'swarms.action'>['action'], options?: { agentId?: string; confirm?: string }): Promise<string>;
  propose(profileId: string, proposal: OpInput<'swarms.propose'>['proposal'], confirm?: string): Promise<string>;
}

export const useSwarms = create<SwarmsState>((set, get) => {
  const current = (): Selected | undefined => get().selected;
  const same = (s: Selected | undefined): boolean => s !== undefined && current()?.id === s.id && current()?.source === s.source;
  return {
    pulses: [],
    timeline: [],
    timelineComplete: false,
    async loadList(profileId) {
      set({ list: await transport.call('swarms.list', { profileId }) });
    },
    forProfile(profileId) {
      if (get().profileId === profileId) return;
      set({ profileId, list: undefined, selected: undefined, detail: undefined, pulses: [], lastMessage: undefined, timeline: [], timelineComplete: false });
    },
    open(selected) {
      set({ selected, detail: undefined, pulses: [], lastMessage: undefined, timeline: [], timelineComplete: false });
    },
    async loadDetail(profileId) {
      const s = current();
      if (!s) return;
      const detail = await transport.call('swarms.show', { profileId, swarmId: s.id, source: s.source });
      if (same(s)) set({ detail });
    },
    async pollMessages(profileId) {
      const s = current();
      if (!s) return;
      const after = get().lastMessage;
      const fresh = await transport.call('swarms.messages', { profileId, swarmId: s.id, source: s.source, count: 200, ...(after ? { after } : {}) });
      if (!same(s)) return;
      const now = Date.now();
      // The first read only sets the mark: old messages are history, not traffic.
      const arriving = after ? fresh.map((m) => ({ ...m, at: now })) : [];
      set((st) => ({
        pulses: [...st.pulses.filter((m) => now - m.at < PULSE_MS), ...arriving],
        lastMessage: fresh.at(-1)?.id ?? after,
      }));
    },
    async tailTimeline(profileId) {
      const s = current();
      if (!s) return;
      const newest = get().timeline[0]?.id;
      if (!newest) {
        const page = await transport.call('swarms.events', { profileId, swarmId: s.id, source: s.source, count: TIMELINE_PAGE });
        if (same(s)) set((st) => ({ timeline: merge(st.timeline, page), timelineComplete: page.length < TIMELINE_PAGE }));
        return;
      }
      if (s.source !== 'swarmdeck') return;
      const fresh = await transport.call('swarms.events', { profileId, swarmId: s.id, source: s.source, after: newest, count: 500 });
      if (same(s) && fresh.length > 0) set((st) => ({ timeline: merge(fresh.reverse(), st.timeline) }));
    },
    async loadOlder(profileId) {
      const s = current();
      const oldest = get().timeline.at(-1)?.id;
      if (!s || !oldest || get().timelineComplete || s.source !== 'swarmdeck') return;
      const page = await transport.call('swarms.events', { profileId, swarmId: s.id, source: s.source, before: oldest, count: TIMELINE_PAGE });
      if (same(s)) set((st) => ({ timeline: merge(st.timeline, page), timelineComplete: page.length < TIMELINE_PAGE }));
    },
    async act(profileId, action, options = {}) {
      const s = current();
      if (!s) return '';
      const { done } = await transport.call('swarms.action', { profileId, swarmId: s.id, source: s.source, action, ...options });
      await get().loadDetail(profileId);
      return done;
    },
    async propose(profileId, proposal, confirm) {
      const s = current();
      if (!s) return '';
      const created = await transport.call('swarms.propose', { profileId, swarmId: s.id, source: s.source, proposal, ...(confirm ? { confirm } : {}) });
      await get().loadDetail(profileId);
      return created.proposal;
    },
  };
});
