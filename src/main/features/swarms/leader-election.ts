import { EventEmitter } from 'node:events';
import { SwarmdeckError } from '../../../shared/errors';
import type { SwarmRegistry } from './swarm-registry';

export interface LeaderElectionOptions {
  /** How long a lease lasts without renewal; renewed every third of it. */
  leaseMs?: number;
}

interface ElectionEvents {
  elected: [epoch: number];
  lost: [reason: string];
  error: [error: Error];
}

const RAN_OUT = 'the lease ran out before it could be renewed';

/**
 * One agent's candidacy for its swarm's leadership, as a fenced lease. Every new leader gets
 * a strictly larger epoch to pass along as its fencing token. The lease is believed only until
 * a local deadline measured from before the request that granted or renewed it was sent, a
 * little short of the lease itself: Redis started the lease no earlier than that, so the old
 * leader stops believing before another agent can take over, even when its timers fire late.
 * A reply that lands after that deadline is not believed at all — it reports the loss, and
 * the next attempt is a fresh candidacy.
 */
export class LeaderElection extends EventEmitter<ElectionEvents> {
  private readonly leaseMs: number;
  private readonly marginMs: number;
  private held?: number;
  /** performance.now() from which the held lease may have run out. */
  private validUntil = 0;
  /**
   * Changes whenever the belief does (lost, resigned, stopped): a reply to a request sent
   * under an older belief answers a question nobody is asking any more.
   */
  private generation = 0;
  private timer?: NodeJS.Timeout;
  private deadline?: NodeJS.Timeout;
  private running = false;
  private stopMode?: 'resign' | 'abandon';

  constructor(
    private readonly registry: SwarmRegistry,
    readonly swarmId: string,
    readonly agentId: string,
    options: LeaderElectionOptions = {},
  ) {
    super();
    this.leaseMs = options.leaseMs ?? 3000;
    this.marginMs = Math.min(200, this.leaseMs / 10);
  }

  /** The fencing token while this agent leads; undefined once the lease may have run out, even if its timer is late. */
  get epoch(): number | undefined {
    this.expireIfDue();
    return this.held;
  }

  start(): this {
    if (this.running) return this;
    this.running = true;
    this.stopMode = undefined;
    void this.tick();
    return this;
  }

  /**
   * Stops campaigning. A held lease is given up so another agent need not wait it out —
   * unless `resign` is false, which behaves like a crashed process: the lease runs out.
   */
  async stop(options: { resign?: boolean } = {}): Promise<void> {
    this.running = false;
    this.generation += 1;
    clearTimeout(this.timer);
    this.stopMode = options.resign === false ? 'abandon' : 'resign';
    if (options.resign === false) {
      clearTimeout(this.deadline);
      this.held = undefined;
      return;
    }
    if (this.held !== undefined) await this.resign().catch(() => undefined);
  }

  async resign(): Promise<void> {
    const epoch = this.held;
    if (epoch === undefined) return;
    this.lose('resigned');
    await this.registry.run('sdSwarmResign', this.swarmId, this.agentId, epoch, 'resigned');
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    this.expireIfDue();
    const asked = this.held;
    const generation = this.generation;
    // Monotonic: a wall clock stepped back by NTP would stretch the belief past the lease.
    const validUntil = performance.now() + this.leaseMs - this.marginMs;
    try {
      const epoch = Number(await this.registry.run('sdSwarmLead', this.swarmId, this.agentId, this.leaseMs, asked ?? ''));
      if (generation !== this.generation) this.unclaimed(epoch, asked);
      else if (performance.now() >= validUntil) this.lose('a renewal came back after the lease may have run out');
      else if (epoch > 0) {
        this.held = epoch;
        this.validUntil = validUntil;
        this.armDeadline();
        if (asked === undefined) this.emit('elected', epoch);
      }
    } catch (error) {
      if (generation !== this.generation) {
        // The belief this request was sent under is already gone; its failure changes nothing.
      } else if (error instanceof SwarmdeckError && error.code === 'LEASE_LOST')
        this.lose('another agent holds the lease, or an operator stepped this leader down');
      else if (this.listenerCount('error') > 0) this.emit('error', error instanceof Error ? error : new Error(String(error)));
    }
    if (this.running) this.timer = setTimeout(() => void this.tick(), Math.max(50, Math.floor(this.leaseMs / 3)));
  }

  /**
   * A win that came back after `stop()`: nobody will lead with it, so hand it back rather than
   * make the other candidates wait it out — unless the stop was meant to look like a crash.
   */
  private unclaimed(epoch: number, asked: number | undefined): void {
    if (epoch > 0 && asked === undefined && this.stopMode === 'resign') {
      this.registry.run('sdSwarmResign', this.swarmId, this.agentId, epoch, 'resigned').catch(() => undefined);
    }
  }

  private expireIfDue(): void {
    if (this.held !== undefined && performance.now() >= this.validUntil) this.lose(RAN_OUT);
  }

  private armDeadline(): void {
    clearTimeout(this.deadline);
    this.deadline = setTimeout(() => this.lose(RAN_OUT), Math.max(0, this.validUntil - performance.now()));
  }

  private lose(reason: string): void {
    clearTimeout(this.deadline);
    if (this.held === undefined) return;
    this.held = undefined;
    this.generation += 1;
    this.emit('lost', reason);
  }
}
