import { randomBytes } from 'node:crypto';
import type { SwarmWatch } from '../../../shared/contract/swarms';
import { SwarmdeckError } from '../../../shared/errors';
import type { MessageView, SwarmSource } from '../../../shared/model/swarm';
import type { StreamEntry } from '../../../shared/model/task';
import type { EventBus } from '../../event-bus';
import type { Caller, Hold, Owners } from '../../owners';
import type { ConnectionManager, Session } from '../../redis/connection-manager';
import { swarmKeys } from '../../redis/keyspace';
import { toEntries } from '../../redis/stream-entries';
import type { SwarmService } from './swarm-service';

/** How many entries one XREAD takes per stream; a fuller reply is followed at once by the next. */
const TAIL_BATCH = 500;
/** A swarm this big is re-read less often: one read of a thousand agents is itself work for Redis. */
const BIG_SWARM = 300;

interface Watch {
  id: string;
  session: Session;
  swarmId: string;
  source: SwarmSource;
  /** The newest event and message pushed (or backfilled); the tail reads strictly after them. */
  lastEvent: string;
  lastMessage: string;
  /** claude-flow-novice keeps messages in capped lists without stream ids: the ids seen last time. */
  seenMessages: Set<string>;
  lastDetailAt: number;
  big: boolean;
  busy: boolean;
  timer?: NodeJS.Timeout;
  /** Its place in its caller's name: a closed tab's watches stop with it, and a tab may hold only so many. */
  hold: Hold;
}

type XReadReply = [string, [string, string[]][]][] | null;

/**
 * One live swarm view per `swarms.watch`: a backfill answered to the caller, then a tail in
 * main that reads the swarm's event and message streams after the last ids it has seen and
 * pushes what is new over the bus, with the detail re-read when an event arrives or on a beat
 * (heartbeats move without events). The renderer never polls.
 *
 * The tail is a non-blocking XREAD on the profile's shared connection: a blocking one would
 * hold that connection for every other service (the read-only guard refuses BLOCK for that
 * reason), and a duplicate connection per watch costs six sockets on a cluster.
 *
 * Each watch is held in its caller's name (owners.ts): capped per tab and per profile, stopped
 * when the tab goes. (It used to drop the oldest watch of the profile past 16, which let one tab
 * stop another's view and never stopped a closed tab's below that.)
 */
export class SwarmMonitor {
  private readonly watches = new Map<string, Watch>();

  constructor(
    connections: ConnectionManager,
    private readonly swarms: SwarmService,
    private readonly bus: EventBus,
    private readonly owners: Owners,
    private readonly options: { tailMs?: number; detailMs?: number } = {},
  ) {
    connections.onClosed((profileId) => {
      for (const watch of [...this.watches.values()]) if (watch.session.profile.id === profileId) this.stop(watch.id);
    });
  }

  async watch(session: Session, swarmId: string, source: SwarmSource, count: number, caller: Caller): Promise<SwarmWatch> {
    // Refused before the backfill is read: a tab at its cap costs Redis nothing more.
    const hold = this.owners.reserve(caller.owner, 'swarms.watch', session.profile.id);
    try {
      return await this.begin(session, swarmId, source, count, hold);
    } catch (error) {
      hold.end();
      throw error;
    }
  }

  private async begin(session: Session, swarmId: string, source: SwarmSource, count: number, hold: Hold): Promise<SwarmWatch> {
    const detail = await this.swarms.show(session, swarmId, source);
    const events = await this.swarms.events(session, swarmId, source, { count });
    const watch: Watch = {
      id: `w-${randomBytes(8).toString('hex')}`,
      session,
      swarmId,
      source,
      lastEvent: events[0]?.id ?? '0-0',
      lastMessage: '0-0',
      seenMessages: new Set(),
      lastDetailAt: Date.now(),
      big: detail.agents.length > BIG_SWARM,
      busy: false,
      hold,
    };
    if (source === 'swarmdeck') {
      // Messages sent before the watch are history, not traffic: the tail starts after the newest.
      const newest = await session.client.xrevrange(swarmKeys(session.profile.keyPrefix, swarmId).messages, '+', '-', 'COUNT', 1);
      watch.lastMessage = newest[0]?.[0] ?? '0-0';
    } else {
      for (const m of await this.swarms.messages(session, swarmId, source, undefined, 200)) watch.seenMessages.add(m.id);
    }
    this.start(watch);
    hold.onRelease(() => this.stop(watch.id));
    return { watchId: watch.id, swarmId, source, detail, events, eventsComplete: events.length < count };
  }

  unwatch(profileId: string, watchId: string): { stopped: boolean } {
    const watch = this.watches.get(watchId);
    if (!watch || watch.session.profile.id !== profileId) return { stopped: false };
    this.stop(watchId);
    return { stopped: true };
  }

  /** How many watches run, for tests and diagnostics. */
  count(profileId?: string): number {
    return [...this.watches.values()].filter((w) => profileId === undefined || w.session.profile.id === profileId).length;
  }

  stopAll(): void {
    for (const id of [...this.watches.keys()]) this.stop(id);
  }

  private start(watch: Watch): void {
    watch.timer = setInterval(() => void this.beat(watch), this.options.tailMs ?? 500);
    watch.timer.unref();
    this.watches.set(watch.id, watch);
  }

  private stop(watchId: string): void {
    const watch = this.watches.get(watchId);
    if (watch?.timer) clearInterval(watch.timer);
    watch?.hold.end();
    this.watches.delete(watchId);
  }

  private async beat(watch: Watch): Promise<void> {
    if (watch.busy || !this.watches.has(watch.id)) return;
    watch.busy = true;
    try {
      const changed = watch.source === 'swarmdeck' ? await this.tail(watch) : await this.tailForeign(watch);
      const detailMs = (this.options.detailMs ?? 2000) * (watch.big ? 1.25 : 1);
      if (changed || Date.now() - watch.lastDetailAt >= detailMs) await this.refresh(watch);
    } catch (error) {
      // A swarm deleted while watched ends its watch; other failures show in the connection status.
      if (error instanceof SwarmdeckError && error.code === 'NOT_FOUND') this.stop(watch.id);
    } finally {
      watch.busy = false;
    }
  }

  /** Pushes every event and message after the last ids seen, in stream order; whether any event came. */
  private async tail(watch: Watch): Promise<boolean> {
    const k = swarmKeys(watch.session.profile.keyPrefix, watch.swarmId);
    let changed = false;
    for (;;) {
      // Both keys carry the swarm's hash tag, so one XREAD serves a cluster too.
      const reply = (await watch.session.client.xread(
        'COUNT',
        TAIL_BATCH,
        'STREAMS',
        k.events,
        k.messages,
        watch.lastEvent,
        watch.lastMessage,
      )) as XReadReply;
      if (!this.watches.has(watch.id)) return false;
      let full = false;
      for (const [key, raw] of reply ?? []) {
        if (raw.length === 0) continue;
        full ||= raw.length >= TAIL_BATCH;
        if (key === k.events) {
          const entries = toEntries(raw);
          watch.lastEvent = entries.at(-1)?.id ?? watch.lastEvent;
          changed = true;
          this.emit(watch, { type: 'swarm.events', entries });
        } else {
          const messages = toEntries(raw).map((e) => ({
            id: e.id,
            at: e.at,
            from: e.fields.from ?? '',
            to: e.fields.to ?? '',
            kind: e.fields.kind ?? '',
          }));
          watch.lastMessage = messages.at(-1)?.id ?? watch.lastMessage;
          this.emit(watch, { type: 'swarm.messages', messages });
        }
      }
      if (!full) return changed;
    }
  }

  /** claude-flow-novice keeps capped lists, not streams: what is new is what was not there last time. */
  private async tailForeign(watch: Watch): Promise<boolean> {
    if (Date.now() - watch.lastDetailAt < (this.options.detailMs ?? 2000)) return false;
    const messages = await this.swarms.messages(watch.session, watch.swarmId, watch.source, undefined, 200);
    const fresh = messages.filter((m) => !watch.seenMessages.has(m.id));
    watch.seenMessages = new Set(messages.map((m) => m.id));
    if (fresh.length > 0) this.emit(watch, { type: 'swarm.messages', messages: fresh });
    return fresh.length > 0;
  }

  private async refresh(watch: Watch): Promise<void> {
    watch.lastDetailAt = Date.now();
    const detail = await this.swarms.show(watch.session, watch.swarmId, watch.source);
    watch.big = detail.agents.length > BIG_SWARM;
    if (this.watches.has(watch.id)) this.emit(watch, { type: 'swarm.detail', detail });
  }

  private emit(
    watch: Watch,
    event:
      | { type: 'swarm.detail'; detail: Awaited<ReturnType<SwarmService['show']>> }
      | { type: 'swarm.events'; entries: StreamEntry[] }
      | { type: 'swarm.messages'; messages: MessageView[] },
  ): void {
    this.bus.emit({ ...event, profileId: watch.session.profile.id, swarmId: watch.swarmId, source: watch.source });
  }
}
