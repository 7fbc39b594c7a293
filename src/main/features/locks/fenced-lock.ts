import { SwarmdeckError } from '../../../shared/errors';
import type { FencedLocks } from './fenced-locks';

/**
 * Why a released lock's signal is aborted: one shared reason, since an Error built per release
 * (its stack captured) would cost as much as the rest of the release on the client.
 */
const RELEASED = new SwarmdeckError('LEASE_LOST', 'The lock was released by its owner');

/** The bounds of a lease, for an acquisition and a renewal alike. */
export function checkTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs < 10 || ttlMs > 86_400_000)
    throw new SwarmdeckError('VALIDATION', `A lock's ttl must be a whole number of ms between 10 and 86,400,000, got ${ttlMs}`, {
      fields: [{ path: 'ttlMs', message: 'between 10 and 86400000' }],
    });
}

/**
 * One held lock. Believed held only until a local deadline measured from before the request
 * that granted or renewed it, a little short of the lease: Redis started the lease no earlier
 * than that, so this owner stops believing before another can take over even when its timers
 * fire late. A renewal whose reply lands after that deadline is not believed at all.
 */
export class FencedLock {
  /** Created when someone asks for the signal: most short critical sections never do. */
  private controller?: AbortController;
  /** Set once the lock is lost or released; never cleared. */
  private endedBy?: SwarmdeckError;
  private validUntil: number;
  private readonly marginMs: number;
  private watchdog?: NodeJS.Timeout;
  private deadline?: NodeJS.Timeout;

  constructor(
    private readonly locks: FencedLocks,
    readonly resource: string,
    readonly token: string,
    /** The fencing token: strictly larger for every new holder of this resource. */
    readonly fence: number,
    private ttlMs: number,
    sentAt: number,
  ) {
    this.marginMs = Math.min(200, ttlMs / 10);
    this.validUntil = sentAt + ttlMs - this.marginMs;
  }

  /** Aborted (with a LEASE_LOST reason) the moment the lock may be lost, or once released. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.endedBy) this.controller.abort(this.endedBy);
      else this.armDeadline();
    }
    return this.controller.signal;
  }

  get held(): boolean {
    if (!this.endedBy && performance.now() >= this.validUntil) this.lose('the lease ran out before it could be renewed');
    return this.endedBy === undefined;
  }

  /** Renews every third of the lease until released or lost. */
  startWatchdog(): this {
    if (this.watchdog || this.endedBy) return this;
    this.armDeadline();
    const tick = async (): Promise<void> => {
      if (this.endedBy) return;
      await this.extend().catch(() => undefined);
      if (!this.endedBy) this.watchdog = setTimeout(() => void tick(), Math.max(10, Math.floor(this.ttlMs / 3)));
    };
    this.watchdog = setTimeout(() => void tick(), Math.max(10, Math.floor(this.ttlMs / 3)));
    return this;
  }

  /** Pushes the lease out to `ttlMs` from now; a refusal or a late reply means the lock is lost. */
  async extend(ttlMs = this.ttlMs): Promise<void> {
    checkTtl(ttlMs);
    if (!this.held) throw this.lostError();
    const sentAt = performance.now();
    try {
      await this.locks.extendToken(this.resource, this.token, ttlMs);
    } catch (error) {
      if (error instanceof SwarmdeckError && error.code === 'LEASE_LOST') this.lose(error.message);
      // Any other failure (a dropped connection) leaves the lease to the deadline.
      throw error;
    }
    if (performance.now() >= this.validUntil) {
      this.lose('a renewal came back after the lease may have run out');
      throw this.lostError();
    }
    if (this.endedBy) throw this.lostError();
    this.ttlMs = ttlMs;
    this.validUntil = sentAt + ttlMs - this.marginMs;
    if (this.deadline) this.armDeadline();
  }

  /** Gives the lock up; refused with LEASE_LOST when this owner no longer holds it. */
  release(): Promise<void> {
    this.stopTimers();
    if (!this.endedBy) this.end(RELEASED);
    return this.locks.releaseToken(this.resource, this.token);
  }

  private lostError(): SwarmdeckError {
    return this.endedBy ?? new SwarmdeckError('LEASE_LOST', `The lock on ${this.resource} is lost`);
  }

  /** Only while someone listens (the signal, the watchdog): `held` reads the clock itself. */
  private armDeadline(): void {
    clearTimeout(this.deadline);
    this.deadline = setTimeout(
      () => this.lose('the lease ran out before it could be renewed'),
      Math.max(0, this.validUntil - performance.now()),
    );
  }

  private stopTimers(): void {
    clearTimeout(this.watchdog);
    clearTimeout(this.deadline);
  }

  private end(reason: SwarmdeckError): void {
    this.endedBy = reason;
    this.controller?.abort(reason);
  }

  private lose(reason: string): void {
    if (this.endedBy) return;
    this.stopTimers();
    this.end(
      new SwarmdeckError('LEASE_LOST', `The lock on ${this.resource} (fence ${this.fence}) is lost: ${reason}`, {
        resource: this.resource,
        fence: this.fence,
      }),
    );
  }
}
