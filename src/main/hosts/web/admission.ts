/**
 * The web host's admission: which call runs now and which waits. Calls wait in the order they
 * came, over every socket (a profile's calls start in order, whichever tab sent them), and run
 * at most `runningPerSocket` per socket and `runningPerProfile` per profile. Each running call
 * may hold a reply in Redis's output buffer and in main's heap, so these bound the memory a
 * flood can take, while waiting calls cost nothing.
 *
 * A call that moves to a connection of its own (a blocking console command: BLPOP … 0 waits
 * there for as long as nothing arrives) steps aside: it no longer loads the profile's shared
 * connection nor holds a reply, so it stops counting as running and its place goes to the next
 * call. Eight of them used to hold a profile's every slot and stall another tab's `config.get`
 * for a minute (issue 19). How many may wait aside is bounded where the connection is made (the
 * owner's `console.blocking` cap in owners.ts, for every host); here they still count towards
 * the socket's calls in flight.
 */

export interface AdmissionLimits {
  /** Calls one socket may have waiting, running or aside; more are refused, so one tab cannot queue unbounded work. */
  inFlightPerSocket: number;
  /** Calls one socket may have running at once; the rest wait in order. */
  runningPerSocket: number;
  /** Calls running at once for one profile, over every socket: more sockets must not mean more load on its Redis. */
  runningPerProfile: number;
}

export const DEFAULT_ADMISSION: AdmissionLimits = { inFlightPerSocket: 64, runningPerSocket: 4, runningPerProfile: 8 };

/** One socket's calls, as admission counts them. */
export interface Lane {
  running: number;
  waiting: number;
  /** Started, then moved to a connection of their own. */
  aside: number;
}

/** What a started call may tell admission. */
export interface Ticket {
  /** The call now waits on a connection of its own: its place goes to the next call. Idempotent, and nothing once it has ended. */
  stepAside(): void;
}

export interface Admitted {
  lane: Lane;
  /** The profile the call works on, when its input names one. */
  profile: string | undefined;
  /** Asked just before the call would start: false drops it unrun (its socket closed, or stopped reading). */
  ready(): boolean;
  /** Runs the call; its place is freed when the promise settles. */
  run(ticket: Ticket): Promise<void>;
}

/** The profile a call works on, when its input names one (the contract's `profileId`). */
export function profileOf(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const id = (input as Record<string, unknown>).profileId;
  return typeof id === 'string' ? id : undefined;
}

export class Admission {
  private queue: Admitted[] = [];
  private readonly runningByProfile = new Map<string, number>();
  private pumping = false;
  private again = false;

  constructor(readonly limits: AdmissionLimits = DEFAULT_ADMISSION) {}

  lane(): Lane {
    return { running: 0, waiting: 0, aside: 0 };
  }

  /** The socket may send no more calls until some of its own have answered. */
  full(lane: Lane): boolean {
    return lane.running + lane.waiting + lane.aside >= this.limits.inFlightPerSocket;
  }

  submit(call: Admitted): void {
    call.lane.waiting += 1;
    this.queue.push(call);
    this.pump();
  }

  /** Forgets a socket's waiting calls: nobody would read their answers, so Redis never sees them. */
  drop(lane: Lane): void {
    if (lane.waiting === 0) return;
    this.queue = this.queue.filter((entry) => entry.lane !== lane);
    lane.waiting = 0;
  }

  private pump(): void {
    // A call may step aside, or end, while this loop starts others: it asks for one more pass.
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        this.startWhatFits();
      } while (this.again);
    } finally {
      this.pumping = false;
    }
  }

  private startWhatFits(): void {
    for (let i = 0; i < this.queue.length;) {
      const entry = this.queue[i] as Admitted;
      const { lane, profile } = entry;
      const profileRunning = profile === undefined ? 0 : (this.runningByProfile.get(profile) ?? 0);
      if (lane.running >= this.limits.runningPerSocket || profileRunning >= this.limits.runningPerProfile) {
        i += 1;
        continue;
      }
      this.queue.splice(i, 1);
      lane.waiting -= 1;
      // Checked before the work, not only before the send: a reader that stopped reading
      // must not have its backlog fetched from Redis first.
      if (!entry.ready()) continue;
      this.start(entry);
    }
  }

  private start(entry: Admitted): void {
    const { lane, profile } = entry;
    let state: 'running' | 'aside' | 'ended' = 'running';
    const leaveRunning = (): void => {
      lane.running -= 1;
      if (profile === undefined) return;
      const left = (this.runningByProfile.get(profile) ?? 1) - 1;
      if (left === 0) this.runningByProfile.delete(profile);
      else this.runningByProfile.set(profile, left);
    };
    lane.running += 1;
    if (profile !== undefined) this.runningByProfile.set(profile, (this.runningByProfile.get(profile) ?? 0) + 1);
    const ticket: Ticket = {
      stepAside: () => {
        if (state !== 'running') return;
        state = 'aside';
        leaveRunning();
        lane.aside += 1;
        this.pump();
      },
    };
    let running: Promise<void>;
    try {
      running = entry.run(ticket);
    } catch (error) {
      running = Promise.reject(error);
    }
    // The host's run answers and logs its own failures: here only the place is freed.
    running
      .catch(() => undefined)
      .finally(() => {
        if (state === 'running') leaveRunning();
        else if (state === 'aside') lane.aside -= 1;
        state = 'ended';
        this.pump();
      });
  }
}
