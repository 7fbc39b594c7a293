import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { SwarmdeckError } from '../../../shared/errors';
import type { RedisClient } from '../../redis/client-options';
import type { LeasedTask, TakeOptions } from './leases';
import type { TaskQueue } from './task-queue';

/** Throw this from a handler when retrying cannot help: the task goes straight to dead letters. */
export class PermanentTaskError extends Error {
  override readonly name = 'PermanentTaskError';
}

/**
 * Completions in flight at once: while Redis runs one batch (complete, then take the next), the
 * worker runs the handlers of the other. One at a time leaves the server idle during every
 * reply and the worker idle during every script; measured by bench/queue.ts.
 */
const FLUSH_LANES = 2;

export interface TaskContext {
  /** Aborted when the lease is lost (another worker may now run the task) or on forced shutdown. */
  signal: AbortSignal;
  progress(value: unknown): Promise<void>;
}

export type TaskHandler = (task: LeasedTask, context: TaskContext) => Promise<unknown>;

export interface WorkerOptions {
  concurrency?: number;
  /** Visibility deadline of a lease; the worker extends it every third of this. */
  leaseMs?: number;
  capabilities?: string[];
  /** Who holds the leases, as shown to operators. */
  holder?: string;
  /** Longest idle block before looking again (also bounds stalled-lease recovery). */
  idleMs?: number;
}

interface Running {
  task: LeasedTask;
  abort: AbortController;
  /** performance.now() from which the lease may have run out, unless an extension confirmed more. */
  validUntil: number;
  expiry?: NodeJS.Timeout;
  /** The handler has returned or thrown; only the outcome is left to report. */
  settled: boolean;
}

/**
 * Runs a handler over a queue: blocks without polling when idle, extends its leases, hears
 * at once when one is lost, and finishes or hands back its tasks on close.
 * A lease is believed only until a local deadline measured from before the request that
 * granted or extended it was sent (Redis dates the lease from the client's clock at sending,
 * so the worker's deadline is never later than Redis's): when it passes without a timely
 * extension — a reply that comes back late counts as none — the handler is aborted and
 * `lease-lost` is emitted, before another worker can be handed the task.
 * Events: `completed`, `failed`, `lease-lost`, `error`.
 */
export class Worker extends EventEmitter {
  private readonly running = new Map<string, Running>();
  private readonly options: Required<WorkerOptions>;
  private closing = false;
  private loop?: Promise<void>;
  private extendTimer?: NodeJS.Timeout;
  private extending = false;
  private readonly marginMs: number;
  private slotFreed?: () => void;
  private readonly finished: { task: LeasedTask; result: unknown }[] = [];
  private flushQueued = false;
  private flushes = 0;
  /** Slots promised to requests in flight: a take and a completion taking more never lease past the concurrency together. */
  private reserved = 0;
  private markClosed: () => void = () => undefined;
  /** Settles on close: a blocked read on a cluster is not always rejected by disconnect(). */
  private readonly closed = new Promise<void>((resolve) => (this.markClosed = resolve));
  readonly blocking: RedisClient;

  constructor(
    private readonly queue: TaskQueue,
    client: RedisClient,
    private readonly handler: TaskHandler,
    options: WorkerOptions = {},
  ) {
    super();
    this.options = {
      concurrency: options.concurrency ?? 1,
      leaseMs: options.leaseMs ?? 30_000,
      capabilities: options.capabilities ?? [],
      holder: options.holder ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
      idleMs: options.idleMs ?? 5000,
    };
    this.marginMs = Math.min(200, this.options.leaseMs / 10);
    // Blocking reads need a connection of their own.
    this.blocking = client.duplicate();
    this.blocking.on('error', () => undefined);
  }

  get holder(): string {
    return this.options.holder;
  }

  start(): this {
    this.loop ??= this.run();
    const every = Math.max(50, Math.floor(this.options.leaseMs / 3));
    this.extendTimer = setInterval(() => void this.extendLeases(), every);
    return this;
  }

  private takeOptions(count: number): TakeOptions {
    return { count, leaseMs: this.options.leaseMs, holder: this.options.holder, capabilities: this.options.capabilities };
  }

  private free(): number {
    return this.options.concurrency - this.running.size - this.reserved;
  }

  private async run(): Promise<void> {
    while (!this.closing) {
      try {
        if (this.free() <= 0) {
          await new Promise<void>((resolve) => (this.slotFreed = resolve));
          continue;
        }
        const validUntil = this.leaseDeadline();
        const want = this.free();
        this.reserved += want;
        const { tasks, nextDueAt } = await this.queue.take(this.takeOptions(want)).finally(() => (this.reserved -= want));
        if (tasks.length > 0) {
          this.adopt(tasks, validUntil);
          continue;
        }
        const untilDue = nextDueAt === undefined ? this.options.idleMs : Math.max(10, nextDueAt - this.queue.clock.now());
        await Promise.race([this.queue.waitForWork(this.blocking, Math.min(untilDue, this.options.idleMs)), this.closed]);
      } catch (error) {
        if (this.closing) break;
        this.emit('error', error);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** Monotonic, taken before a request is sent: a wall clock stepped back would stretch a lease. */
  private leaseDeadline(): number {
    return performance.now() + this.options.leaseMs - this.marginMs;
  }

  /**
   * Starts the tasks just leased, unless the reply took so long that the leases may already
   * have run out: those are handed back (refused harmlessly if Redis already took them back).
   */
  private adopt(tasks: LeasedTask[], validUntil: number): void {
    if (performance.now() < validUntil) {
      for (const task of tasks) this.launch(task, validUntil);
      return;
    }
    for (const task of tasks) {
      this.emit('lease-lost', task);
      void this.queue.release(task.id, task.token).catch(() => undefined);
    }
  }

  private launch(task: LeasedTask, validUntil: number): void {
    const abort = new AbortController();
    const running: Running = { task, abort, validUntil, settled: false };
    this.running.set(task.id, running);
    this.armExpiry(running);
    const context: TaskContext = { signal: abort.signal, progress: (value) => this.queue.progress(task.id, task.token, value) };
    void this.handler(task, context).then(
      (result) => {
        this.settle(running);
        if (abort.signal.aborted) return this.release(task.id);
        // Completions of one tick travel together, with the request for more work.
        this.finished.push({ task, result });
        this.flushSoon();
        return undefined;
      },
      (error: unknown) => {
        this.settle(running);
        return this.failTask(task, abort, error);
      },
    );
  }

  /** Once the handler is done, Redis decides the outcome by the lease token; no belief is left to expire. */
  private settle(running: Running): void {
    running.settled = true;
    clearTimeout(running.expiry);
  }

  private armExpiry(running: Running): void {
    clearTimeout(running.expiry);
    running.expiry = setTimeout(() => this.loseLease(running), Math.max(0, running.validUntil - performance.now()));
  }

  private loseLease(running: Running): void {
    clearTimeout(running.expiry);
    if (running.settled || running.abort.signal.aborted || this.running.get(running.task.id) !== running) return;
    running.abort.abort(new SwarmdeckError('LEASE_LOST', `The lease on task ${running.task.id} was lost`));
    this.emit('lease-lost', running.task);
  }

  private flushSoon(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  /** The completions of this tick, shared among the lanes that are free. */
  private flush(): void {
    while (this.finished.length > 0 && this.flushes < FLUSH_LANES) {
      const size = Math.ceil(this.finished.length / (FLUSH_LANES - this.flushes));
      void this.flushBatch(this.finished.splice(0, size));
    }
  }

  private async flushBatch(batch: { task: LeasedTask; result: unknown }[]): Promise<void> {
    this.flushes += 1;
    // The batch's own slots come back with the reply; spare ones are promised to it now.
    const spare = this.closing ? 0 : Math.max(0, this.free());
    this.reserved += spare;
    try {
      const next = this.closing ? undefined : this.takeOptions(spare + batch.length);
      const validUntil = this.leaseDeadline();
      const { tasks, lost } = await this.queue.completeMany(
        batch.map(({ task, result }) => ({ id: task.id, token: task.token, result })),
        next,
      );
      for (const { task, result } of batch) {
        if (lost.includes(task.id)) this.emit('lease-lost', task);
        else this.emit('completed', task, result);
        this.running.delete(task.id);
      }
      this.adopt(tasks, validUntil);
    } catch (error) {
      for (const { task } of batch) this.running.delete(task.id);
      this.emit('error', error);
    } finally {
      this.reserved -= spare;
      this.flushes -= 1;
      if (this.finished.length > 0) this.flushSoon();
      this.wakeLoop();
    }
  }

  private async failTask(task: LeasedTask, abort: AbortController, error: unknown): Promise<void> {
    try {
      if (abort.signal.aborted) return;
      const e = error instanceof Error ? error : new Error(String(error));
      const outcome = await this.queue.fail(
        task.id,
        task.token,
        { message: e.message, stack: e.stack, retryable: !(e instanceof PermanentTaskError) },
        this.options.holder,
      );
      this.emit('failed', task, e, outcome);
    } catch (failure) {
      if (failure instanceof SwarmdeckError && failure.code === 'LEASE_LOST') this.emit('lease-lost', task, failure);
      else this.emit('error', failure);
    } finally {
      this.release(task.id);
    }
  }

  private release(id: string): void {
    this.running.delete(id);
    this.wakeLoop();
  }

  private wakeLoop(): void {
    this.slotFreed?.();
    this.slotFreed = undefined;
  }

  /**
   * One extension at a time: under a slow link, requests piling up would only return after
   * the leases they were meant to keep.
   */
  private async extendLeases(): Promise<void> {
    if (this.extending) return;
    const held = [...this.running.values()].filter((r) => !r.settled && !r.abort.signal.aborted);
    if (held.length === 0) return;
    this.extending = true;
    const validUntil = this.leaseDeadline();
    try {
      const lost = new Set(
        await this.queue.extend(
          held.map((r) => ({ id: r.task.id, token: r.task.token })),
          this.options.leaseMs,
        ),
      );
      // A late reply confirms only a lease that may already have run out and been handed to another worker.
      const late = performance.now() >= validUntil;
      for (const r of held) {
        if (lost.has(r.task.id) || late) this.loseLease(r);
        else if (!r.settled && !r.abort.signal.aborted) {
          r.validUntil = Math.max(r.validUntil, validUntil);
          this.armExpiry(r);
        }
      }
    } catch (error) {
      this.emit('error', error);
    } finally {
      this.extending = false;
    }
  }

  /**
   * Stops taking work. By default waits for running handlers to finish; with `handBack`
   * returns their tasks to the queue at once (the attempt does not count) and aborts them.
   */
  async close(options: { handBack?: boolean } = {}): Promise<void> {
    this.closing = true;
    this.markClosed();
    this.slotFreed?.();
    this.blocking.disconnect();
    if (options.handBack) {
      for (const r of [...this.running.values()]) {
        clearTimeout(r.expiry);
        r.abort.abort(new SwarmdeckError('UNAVAILABLE', 'The worker is shutting down'));
        await this.queue.release(r.task.id, r.task.token).catch(() => undefined);
        this.running.delete(r.task.id);
      }
    }
    while (this.running.size > 0) await new Promise((r) => setTimeout(r, 20));
    clearInterval(this.extendTimer);
    await this.loop;
  }
}
