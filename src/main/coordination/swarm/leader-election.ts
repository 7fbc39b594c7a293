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

/**
 * One agent's candidacy for its swarm's leadership, as a fenced lease. Every new leader gets
 * a strictly larger epoch to pass along as its fencing token. The lease is reported lost the
 * moment a renewal is refused, or — when Redis cannot be reached — a little before the lease
 * would run out, measured from before the last successful request was sent, so the old leader
 * knows before another agent can take over even when its timers fire late.
 */
export class LeaderElection extends EventEmitter<ElectionEvents> {
  private readonly leaseMs: number;
  private held?: number;
  private timer?: NodeJS.Timeout;
  private deadline?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly registry: SwarmRegistry,
    readonly swarmId: string,
    readonly agentId: string,
    options: LeaderElectionOptions = {},
  ) {
    super();
    this.leaseMs = options.leaseMs ?? 3000;
  }

  /** The fencing token while this agent leads. */
  get epoch(): number | undefined {
    return this.held;
  }

  start(): this {
    if (this.running) return this;
    this.running = true;
    void this.tick();
    return this;
  }

  /**
   * Stops campaigning. A held lease is given up so another agent need not wait it out —
   * unless `resign` is false, which behaves like a crashed process: the lease runs out.
   */
  async stop(options: { resign?: boolean } = {}): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
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
    const sent = Date.now();
    try {
      const epoch = Number(await this.registry.run('sdSwarmLead', this.swarmId, this.agentId, this.leaseMs, this.held ?? ''));
      if (epoch > 0) {
        const fresh = this.held === undefined;
        this.held = epoch;
        this.armDeadline(sent + this.leaseMs - Math.min(200, this.leaseMs / 10));
        if (fresh) this.emit('elected', epoch);
      }
    } catch (error) {
      if (error instanceof SwarmdeckError && error.code === 'LEASE_LOST') this.lose('another agent holds the lease, or an operator stepped this leader down');
      else if (this.listenerCount('error') > 0) this.emit('error', error instanceof Error ? error : new Error(String(error)));
    }
    if (this.running) this.timer = setTimeout(() => void this.tick(), Math.max(50, Math.floor(this.leaseMs / 3)));
  }

  private armDeadline(at: number): void {
    clearTimeout(this.deadline);
    this.deadline = setTimeout(() => this.lose('the lease ran out before it could be renewed'), Math.max(0, at - Date.now()));
  }

  private lose(reason: string): void {
    clearTimeout(this.deadline);
    if (this.held === undefined) return;
    this.held = undefined;
    this.emit('lost', reason);
  }
}
