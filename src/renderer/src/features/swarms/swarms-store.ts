import { create, type StoreApi } from 'zustand';
import type { OpInput } from '../../../../shared/contract';
import type { AppEvent } from '../../../../shared/events';
import type { CfnBlockingWait, CfnStates } from '../../../../shared/model/cfn';
import type { MessageView, SwarmDetail, SwarmList, SwarmSource } from '../../../../shared/model/swarm';
import type { StreamEntry } from '../../../../shared/model/task';
import { errorText } from '../../components/notice';
import { transport } from '../../transport';

const TIMELINE_PAGE = 40;

/** Newer entries before older ones, each id once: pushes, the backfill and older pages can overlap. */
function merge(newer: StreamEntry[], older: StreamEntry[]): StreamEntry[] {
  const seen = new Set<string>();
  return [...newer, ...older].filter((e) => !seen.has(e.id) && (seen.add(e.id), true));
}
/** How long a message keeps its edge lit in the graph. */
export const PULSE_MS = 1600;

type SwarmPush = Extract<AppEvent, { type: 'swarm.detail' | 'swarm.events' | 'swarm.messages' }>;

interface Selected {
  id: string;
  source: SwarmSource;
}

/** A claude-flow-novice swarm's coordination as last read, read only. */
export interface Coordination {
  swarmId: string;
  /** The swarm's blocking waits; undefined until the first answer. */
  waits?: CfnBlockingWait[];
  states?: CfnStates;
  /** A snapshot or checkpoint the operator opened. */
  shown?: { title: string; text: string };
  /** The last failure to read; the next good read of the waits clears it. */
  error?: string;
}

interface SwarmsState {
  list?: SwarmList;
  selected?: Selected;
  detail?: SwarmDetail;
  /** Messages of the last PULSE_MS, for edge pulses. */
  pulses: MessageView[];
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
  /**
   * Starts main's live watch of the open swarm: the answer is the backfill, the pushed
   * `swarm.*` events continue it. Resolves to the function that stops the watch.
   */
  watch(profileId: string): Promise<() => void>;
  /** A pushed `swarm.*` event; ignored unless it belongs to the open swarm of this connection. */
  applyPushed(event: SwarmPush): void;
  loadOlder(profileId: string): Promise<void>;
  coordination?: Coordination;
  /** Reads a claude-flow-novice swarm's waits and saved states; a failure is kept, not thrown (the panel polls). */
  loadCoordination(profileId: string, swarmId: string): Promise<void>;
  /** Opens one saved snapshot or checkpoint; a failure is kept, not thrown. */
  viewSaved(profileId: string, swarmId: string, kind: 'snapshot' | 'checkpoint', id: string): Promise<void>;
  /** The operator's newest actions on one swarm, filtered by main. */
  recentActions(profileId: string, swarmId: string, count: number): Promise<StreamEntry[]>;
  act(profileId: string, action: OpInput<'swarms.action'>['action'], options?: { agentId?: string; confirm?: string }): Promise<string>;
  propose(profileId: string, proposal: OpInput<'swarms.propose'>['proposal'], confirm?: string): Promise<string>;
}

/** Whether `s` is still the swarm open in the store: an answer about another one is dropped. */
const isOpen = (get: StoreApi<SwarmsState>['getState'], s: Selected | undefined): boolean =>
  s !== undefined && get().selected?.id === s.id && get().selected?.source === s.source;

type CoordinationActions = Pick<SwarmsState, 'loadCoordination' | 'viewSaved'>;

/** A claude-flow-novice swarm's coordination: an answer lands only on the swarm and connection it was asked for. */
function coordinationActions(set: StoreApi<SwarmsState>['setState'], get: StoreApi<SwarmsState>['getState']): CoordinationActions {
  const update = (profileId: string, swarmId: string, change: Omit<Coordination, 'swarmId'>): void => {
    if (get().profileId !== profileId) return;
    set((st) => ({ coordination: { ...(st.coordination?.swarmId === swarmId ? st.coordination : {}), swarmId, ...change } }));
  };
  return {
    async loadCoordination(profileId, swarmId) {
      try {
        const [waits, states] = await Promise.all([
          transport.call('swarms.cfnBlocking', { profileId }),
          transport.call('swarms.cfnStates', { profileId, swarmId }),
        ]);
        update(profileId, swarmId, { waits: waits.filter((w) => w.swarmId === swarmId), states, error: undefined });
      } catch (error) {
        update(profileId, swarmId, { error: errorText(error) });
      }
    },
    async viewSaved(profileId, swarmId, kind, id) {
      try {
        const { state } = await transport.call('swarms.cfnSaved', { profileId, swarmId, kind, id });
        update(profileId, swarmId, { shown: { title: `${kind} ${id}`, text: state ?? 'expired, or too big to load' } });
      } catch (error) {
        update(profileId, swarmId, { error: errorText(error) });
      }
    },
  };
}

type LiveActions = Pick<SwarmsState, 'watch' | 'applyPushed' | 'loadOlder'>;

/** The open swarm kept live: main's watch and its backfill, the pushes that continue it, and older pages of its events. */
function liveActions(set: StoreApi<SwarmsState>['setState'], get: StoreApi<SwarmsState>['getState']): LiveActions {
  const current = (): Selected | undefined => get().selected;
  const same = (s: Selected | undefined): boolean => isOpen(get, s);
  return {
    async watch(profileId) {
      const s = current();
      if (!s) return () => undefined;
      const backfill = await transport.call('swarms.watch', { profileId, swarmId: s.id, source: s.source });
      const stop = (): void => void transport.call('swarms.unwatch', { profileId, watchId: backfill.watchId }).catch(() => undefined);
      if (!same(s) || get().profileId !== profileId) {
        stop();
        return () => undefined;
      }
      // Pushes that overtook this answer are newer than the backfill: merging keeps both, each once.
      set((st) => ({
        detail: st.detail ?? backfill.detail,
        timeline: merge(st.timeline, backfill.events),
        timelineComplete: backfill.eventsComplete,
      }));
      return stop;
    },
    applyPushed(event) {
      const s = current();
      if (get().profileId !== event.profileId || !same({ id: event.swarmId, source: event.source }) || !s) return;
      switch (event.type) {
        case 'swarm.detail':
          set({ detail: event.detail });
          break;
        case 'swarm.events':
          set((st) => ({ timeline: merge([...event.entries].reverse(), st.timeline) }));
          break;
        case 'swarm.messages': {
          const now = Date.now();
          const arriving = event.messages.map((m) => ({ ...m, at: now }));
          set((st) => ({ pulses: [...st.pulses.filter((m) => now - m.at < PULSE_MS), ...arriving] }));
          // The edge goes dark when its pulse is over, even if no other message follows.
          setTimeout(() => set((st) => ({ pulses: st.pulses.filter((m) => Date.now() - m.at < PULSE_MS) })), PULSE_MS);
          break;
        }
      }
    },
    async loadOlder(profileId) {
      const s = current();
      const oldest = get().timeline.at(-1)?.id;
      if (!s || !oldest || get().timelineComplete || s.source !== 'swarmdeck') return;
      const page = await transport.call('swarms.events', {
        profileId,
        swarmId: s.id,
        source: s.source,
        before: oldest,
        count: TIMELINE_PAGE,
      });
      if (same(s)) set((st) => ({ timeline: merge(st.timeline, page), timelineComplete: page.length < TIMELINE_PAGE }));
    },
  };
}

export const useSwarms = create<SwarmsState>((set, get) => {
  const current = (): Selected | undefined => get().selected;
  const same = (s: Selected | undefined): boolean => isOpen(get, s);
  return {
    pulses: [],
    timeline: [],
    timelineComplete: false,
    async loadList(profileId) {
      set({ list: await transport.call('swarms.list', { profileId }) });
    },
    forProfile(profileId) {
      if (get().profileId === profileId) return;
      set({
        profileId,
        list: undefined,
        selected: undefined,
        detail: undefined,
        pulses: [],
        timeline: [],
        timelineComplete: false,
        coordination: undefined,
      });
    },
    open(selected) {
      set({ selected, detail: undefined, pulses: [], timeline: [], timelineComplete: false });
    },
    async loadDetail(profileId) {
      const s = current();
      if (!s) return;
      const detail = await transport.call('swarms.show', { profileId, swarmId: s.id, source: s.source });
      if (same(s)) set({ detail });
    },
    ...liveActions(set, get),
    ...coordinationActions(set, get),
    async recentActions(profileId, swarmId, count) {
      return transport.call('audit.recent', { profileId, count, target: swarmId, action: 'swarm.' });
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
      const created = await transport.call('swarms.propose', {
        profileId,
        swarmId: s.id,
        source: s.source,
        proposal,
        ...(confirm ? { confirm } : {}),
      });
      await get().loadDetail(profileId);
      return created.proposal;
    },
  };
});
