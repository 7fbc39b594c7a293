/**
 * Where the queue and swarm modules read the time they stamp into their scripts. Injected so
 * that tests move time forward instead of sleeping for delays, backoff, deadlines and
 * liveness; everything else uses the wall clock.
 */
export interface Clock {
  /** Milliseconds since the epoch, as Date.now(). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
