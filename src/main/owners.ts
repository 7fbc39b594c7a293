import { SwarmdeckError } from '../shared/errors';

/**
 * What a caller leaves running in main after its call has answered: a watch with a subscriber
 * connection of its own, a swarm tail on a timer, a MONITOR per node. Each is held in the name
 * of the socket, window or process that asked, counted against that owner and its profile, and
 * stopped when the owner goes. Without this, one read-only tab opened 397 watches, took every
 * connection the server allowed (`maxclients`) and kept them after it closed (issue 19). A
 * console call on a connection of its own (BLPOP … 0, a transaction) is held the same way for
 * as long as it runs: eight of them once held every call slot of a profile for a minute.
 */
export type HeldKind = 'messages.watch' | 'swarms.watch' | 'console.monitor' | 'console.blocking';

interface Limit {
  /** At most this many per owner: one tab cannot take what every tab needs. */
  perOwner: number;
  /** At most this many per profile over every owner: more tabs must not mean more connections to its Redis. */
  perProfile: number;
  what: string;
  /** How the operator frees one, in their words. */
  free: string;
}

/**
 * The page opens one message watch and one swarm view at a time, and a MONITOR is a diagnosis
 * of minutes, and a person waits on few blocked console commands at once: these leave room for
 * several tabs' worth of work, far below any server's `maxclients` (a MONITOR is one connection
 * per node, six on a cluster).
 */
export const HELD_LIMITS: Readonly<Record<HeldKind, Limit>> = {
  'messages.watch': {
    perOwner: 8,
    perProfile: 32,
    what: 'message watches',
    free: 'cancel one (Stop on the Messages page, or jobs.cancel with its job id)',
  },
  'swarms.watch': { perOwner: 8, perProfile: 32, what: 'swarm watches', free: 'close a swarm view (swarms.unwatch with its watch id)' },
  'console.monitor': { perOwner: 2, perProfile: 4, what: 'console MONITOR jobs', free: 'stop one (cancel its job) or wait for it to end' },
  'console.blocking': {
    perOwner: 4,
    perProfile: 16,
    what: 'console commands waiting on a connection of their own (BLPOP, XREAD BLOCK, WAIT, a transaction…)',
    free: 'wait for one to answer (each gives up after 60 s), give it what it waits for (push to its list), or give it a timeout other than 0',
  },
};

/**
 * The socket, window or process a call came from: what its calls leave running is held in its
 * name. Its host makes one per socket or window (and per page load) and releases it when that
 * goes; a released owner holds nothing more.
 */
export class Owner {
  private readonly held = new Set<() => Promise<void>>();
  private gone = false;

  constructor(
    /** `web:12`, `window:3.1`, `in-process`: for logs and diagnostics. */
    readonly id: string,
    /** What the operator calls it: "browser tab", "window", "process". */
    readonly label: string,
  ) {}

  get released(): boolean {
    return this.gone;
  }

  /** Stops everything the owner holds, each on its own (one that fails does not keep the others); resolves once all have stopped. */
  async release(): Promise<void> {
    this.gone = true;
    const all = [...this.held];
    this.held.clear();
    await Promise.all(all.map((stop) => stop()));
  }

  /** @internal For {@link Owners}: run `stop` on release; the returned function forgets it. */
  attach(stop: () => Promise<void>): () => void {
    this.held.add(stop);
    return () => this.held.delete(stop);
  }
}

/** Who a call is made for; hosts give it with every call, services read it when they start something that outlives the call. */
export interface Caller {
  owner: Owner;
  /**
   * Told when the call stops using the profile's shared connection and waits on one of its own
   * (a blocking console command): the web host's admission gives its place to the next call, so
   * blocked calls cannot hold every slot of a profile. How many may wait at once is the owner's
   * `console.blocking` cap, which every host shares.
   */
  onOwnConnection?: () => void;
}

/** One place held: reserved before the resource is made, so a refused call opens nothing. */
export interface Hold {
  /** How to stop the resource once it exists; run at once if its owner went while it was being made. */
  onRelease(stop: () => unknown): void;
  /** The resource ended by itself (cancelled, finished, its connection closed) or was never made: its place is free. Idempotent. */
  end(): void;
}

interface Entry {
  kind: HeldKind;
  profileId: string;
  owner: Owner;
  stop?: () => unknown;
  released: boolean;
}

/** Every place held in main, by owner and profile: the caps are counted here. */
export class Owners {
  private readonly entries = new Set<Entry>();

  /**
   * Takes a place of `kind` for `owner` on a profile, before the resource is made; refused with
   * UNAVAILABLE (naming the cap and how to free a place) when the owner or the profile is full,
   * or when the owner has gone (its answer would reach nobody and nothing would stop it).
   */
  reserve(owner: Owner, kind: HeldKind, profileId: string): Hold {
    const limit = HELD_LIMITS[kind];
    if (owner.released) {
      throw new SwarmdeckError('UNAVAILABLE', `The ${owner.label} that asked for this has closed: nothing was started`, {
        limit: kind,
        owner: owner.id,
      });
    }
    const mine = this.count(kind, { owner });
    if (mine >= limit.perOwner) {
      throw new SwarmdeckError(
        'UNAVAILABLE',
        `Too many ${limit.what}: this ${owner.label} already holds ${mine}, the most one may hold is ${limit.perOwner}; ${limit.free}, or close a ${owner.label} that holds some`,
        {
          limit: kind,
          max: limit.perOwner,
          per: 'owner',
        },
      );
    }
    const onProfile = this.count(kind, { profileId });
    if (onProfile >= limit.perProfile) {
      throw new SwarmdeckError(
        'UNAVAILABLE',
        `Too many ${limit.what} on profile "${profileId}": ${onProfile} run over every tab and window, the most is ${limit.perProfile}; ${limit.free}, or close a tab that holds some`,
        {
          limit: kind,
          max: limit.perProfile,
          per: 'profile',
        },
      );
    }
    const entry: Entry = { kind, profileId, owner, released: false };
    this.entries.add(entry);
    const detach = owner.attach(async () => {
      entry.released = true;
      this.entries.delete(entry);
      if (entry.stop) await settle(entry.stop);
    });
    return {
      onRelease: (stop) => {
        if (entry.released) void settle(stop);
        else entry.stop = stop;
      },
      end: () => {
        detach();
        this.entries.delete(entry);
      },
    };
  }

  /** How many places of `kind` are held, on one profile or by one owner or in all. */
  count(kind: HeldKind, by: { profileId?: string; owner?: Owner } = {}): number {
    let n = 0;
    for (const e of this.entries)
      if (
        e.kind === kind &&
        (by.profileId === undefined || e.profileId === by.profileId) &&
        (by.owner === undefined || e.owner === by.owner)
      )
        n += 1;
    return n;
  }
}

/** A stop that throws has still been asked to stop; its failure is the resource's, not the release's. */
async function settle(stop: () => unknown): Promise<void> {
  try {
    await stop();
  } catch {
    // Nothing more to do: the place is already free.
  }
}
