import { systemClock, type Clock } from '../../../shared/clock';
import { SwarmdeckError } from '../../../shared/errors';
import { QueueNameSchema, type EnqueueInput, type QueueCounts, type TaskDetail } from '../../../shared/model/task';
import { validationError } from '../../../shared/validation';
import type { RedisClient } from '../../redis/client-options';
import { queueKeys, queueRegistryKey, type QueueKeys } from '../../redis/keyspace';
import { runApplied, scriptArgs, scriptError, withScripts, type ScriptFn } from '../../redis/script-registry';
import { parseTake, takeArgs, type TakeOptions, type TakeResult } from './leases';
import * as scripts from './scripts';
import { taskFromHash } from './task-hash';
import { enqueueArgs } from './task-input';

export interface QueueOptions {
  /** The profile's key prefix. */
  prefix?: string;
  /** Largest accepted payload, as JSON bytes. */
  maxPayloadBytes?: number;
  /** Approximate cap of the queue's event stream. */
  eventsMaxLen?: number;
  /** Finished tasks kept: at most this many, none older than keepAgeMs (0 = no age limit). */
  keepFinished?: number;
  keepAgeMs?: number;
  /** The time every transition is stamped with; tests move it instead of sleeping. */
  clock?: Clock;
}

const SCRIPT_SOURCES = {
  sdQueueEnqueue: scripts.ENQUEUE,
  sdQueueTake: scripts.TAKE,
  sdQueueComplete: scripts.COMPLETE,
  sdQueueFail: scripts.FAIL,
  sdQueueExtend: scripts.EXTEND,
  sdQueueProgress: scripts.PROGRESS,
  sdQueueRelease: scripts.RELEASE,
  sdQueueOperate: scripts.OPERATE,
  sdQueueRetryDead: scripts.RETRY_DEAD,
  sdQueuePurge: scripts.PURGE,
  sdQueuePause: scripts.PAUSE,
} as const;

/**
 * A priority task queue in Redis: delays, leases with visibility deadlines, retries with
 * backoff, dead letters, capability routing, retention and per-minute statistics. Every
 * transition is one script in the queue's hash slot.
 */
export class TaskQueue {
  readonly keys: QueueKeys;
  readonly clock: Clock;
  private readonly client: RedisClient & Record<keyof typeof SCRIPT_SOURCES, ScriptFn>;
  private readonly maxPayloadBytes: number;
  private readonly eventsMaxLen: number;
  private readonly keepFinished: number;
  private readonly keepAgeMs: number;
  private readonly prefix: string;
  private registered = false;

  constructor(
    client: RedisClient,
    readonly name: string,
    options: QueueOptions = {},
  ) {
    const parsed = QueueNameSchema.safeParse(name);
    if (!parsed.success) throw validationError(parsed.error, 'Bad queue name');
    this.prefix = options.prefix ?? 'sd';
    this.keys = queueKeys(this.prefix, name);
    this.client = withScripts(client, SCRIPT_SOURCES);
    this.maxPayloadBytes = options.maxPayloadBytes ?? 512 * 1024;
    this.eventsMaxLen = options.eventsMaxLen ?? 10_000;
    this.keepFinished = options.keepFinished ?? 1000;
    this.keepAgeMs = options.keepAgeMs ?? 24 * 3600 * 1000;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Runs a transition: the queue's nine keys (lua/includes.lua) and the hashes of the tasks
   * the caller names go in KEYS; the task key base lets the script find the tasks it only
   * learns inside.
   */
  private async run(script: keyof typeof SCRIPT_SOURCES, now: number, taskIds: string[], ...args: (string | number)[]): Promise<unknown> {
    const keys = scripts.transitionKeys(this.keys, now, taskIds);
    return runApplied(this.client[script](...scriptArgs(keys, [this.keys.taskBase, this.eventsMaxLen, now, ...args])));
  }

  private async register(): Promise<void> {
    if (this.registered) return;
    await this.client.sadd(queueRegistryKey(this.prefix), this.name);
    this.registered = true;
  }

  async enqueue(input: EnqueueInput): Promise<{ id: string; state: 'waiting' | 'delayed' }> {
    const now = this.clock.now();
    const [created] = await this.store([enqueueArgs(input, now, this.maxPayloadBytes)], now);
    return created as { id: string; state: 'waiting' | 'delayed' };
  }

  /**
   * Many tasks: every one is validated before anything is sent; each batch of 500 is stored
   * by one script, all or none (a duplicate id refuses its batch).
   */
  async enqueueMany(inputs: EnqueueInput[]): Promise<string[]> {
    const now = this.clock.now();
    const all = inputs.map((input) => enqueueArgs(input, now, this.maxPayloadBytes));
    const created: string[] = [];
    for (let i = 0; i < all.length; i += 500) {
      for (const c of await this.store(all.slice(i, i + 500), now)) created.push(c.id);
    }
    return created;
  }

  private async store(all: (string | number)[][], now: number): Promise<{ id: string; state: 'waiting' | 'delayed' }[]> {
    if (all.length === 0) return [];
    await this.register();
    const states = (await this.run(
      'sdQueueEnqueue',
      now,
      all.map((args) => String(args[0])),
      all.length,
      ...all.flat(),
    )) as ('waiting' | 'delayed')[];
    return all.map((args, i) => ({ id: String(args[0]), state: states[i] as 'waiting' | 'delayed' }));
  }

  /** Leases up to `count` tasks; also recovers expired leases and promotes due delayed tasks. */
  async take(options: TakeOptions): Promise<TakeResult> {
    return parseTake(await this.run('sdQueueTake', this.clock.now(), [], ...takeArgs(options)));
  }

  /** Completes a task the caller holds and, with `next`, leases more in the same round trip. */
  async complete(id: string, token: string, result?: unknown, next?: TakeOptions): Promise<TakeResult> {
    const { lost, ...taken } = await this.completeMany([{ id, token, result }], next);
    if (lost.length > 0) throw new SwarmdeckError('LEASE_LOST', `Task ${id} is no longer leased with this token`);
    return taken;
  }

  /** Completes several held tasks in one script; reports the ones whose lease was lost. */
  async completeMany(
    items: { id: string; token: string; result?: unknown }[],
    next?: TakeOptions,
  ): Promise<TakeResult & { lost: string[] }> {
    const [take, lost] = (await this.run(
      'sdQueueComplete',
      this.clock.now(),
      items.map((item) => item.id),
      this.keepFinished,
      this.keepAgeMs,
      items.length,
      ...items.flatMap((item) => [item.id, item.token, JSON.stringify(item.result ?? null)]),
      ...takeArgs(next ?? { count: 0, leaseMs: 0, holder: '' }),
    )) as [unknown, string[]];
    return { ...parseTake(take), lost };
  }

  async fail(
    id: string,
    token: string,
    error: { message: string; stack?: string; retryable?: boolean },
    holder = '',
  ): Promise<{ state: 'delayed' | 'dead'; delayMs: number }> {
    const [state, delay] = (await this.run(
      'sdQueueFail',
      this.clock.now(),
      [id],
      id,
      token,
      error.message.slice(0, 2000),
      error.stack ?? '',
      error.retryable === false ? '0' : '1',
      Math.random(),
      holder,
    )) as [string, string];
    return { state: state as 'delayed' | 'dead', delayMs: Number(delay) };
  }

  /** Extends the leases held; returns the ids whose lease was lost. */
  async extend(leases: { id: string; token: string }[], leaseMs: number): Promise<string[]> {
    if (leases.length === 0) return [];
    return (await this.run(
      'sdQueueExtend',
      this.clock.now(),
      leases.map((l) => l.id),
      leaseMs,
      ...leases.flatMap((l) => [l.id, l.token]),
    )) as string[];
  }

  async progress(id: string, token: string, progress: unknown): Promise<void> {
    await this.run('sdQueueProgress', this.clock.now(), [id], id, token, JSON.stringify(progress));
  }

  async release(id: string, token: string): Promise<void> {
    await this.run('sdQueueRelease', this.clock.now(), [id], id, token);
  }

  retry(id: string): Promise<unknown> {
    return this.run('sdQueueOperate', this.clock.now(), [id], 'retry', id);
  }

  promote(id: string): Promise<unknown> {
    return this.run('sdQueueOperate', this.clock.now(), [id], 'promote', id);
  }

  cancel(id: string): Promise<unknown> {
    return this.run('sdQueueOperate', this.clock.now(), [id], 'cancel', id);
  }

  async retryAllDead(batch = 1000): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = Number(await this.run('sdQueueRetryDead', this.clock.now(), [], batch));
      total += moved;
      if (moved < batch) return total;
    }
  }

  async purge(state: 'waiting' | 'delayed' | 'finished' | 'dead', batch = 1000): Promise<number> {
    let total = 0;
    for (;;) {
      const removed = Number(await this.run('sdQueuePurge', this.clock.now(), [], state, batch));
      total += removed;
      if (removed < batch) return total;
    }
  }

  /** Deletes every task and key of the queue and forgets its name. Refused while tasks are leased. */
  async destroy(): Promise<void> {
    if ((await this.counts()).active > 0)
      throw new SwarmdeckError('CONFLICT', `Queue ${this.name} has leased tasks; stop its workers first`);
    for (const state of ['waiting', 'delayed', 'finished', 'dead'] as const) await this.purge(state);
    const k = this.keys;
    // Statistics live two hours: delete every minute that may still exist.
    const minute = Math.floor(this.clock.now() / 60_000);
    const stats = Array.from({ length: 122 }, (_, i) => k.stats(minute - 120 + i));
    await this.client.del(k.meta, k.wait, k.delayed, k.active, k.finished, k.dead, k.wake, k.events, ...stats);
    await this.client.srem(queueRegistryKey(this.prefix), this.name);
  }

  async pause(): Promise<void> {
    await this.run('sdQueuePause', this.clock.now(), [], '1');
  }

  async resume(): Promise<void> {
    await this.run('sdQueuePause', this.clock.now(), [], '0');
  }

  async counts(): Promise<QueueCounts> {
    const k = this.keys;
    const replies =
      (await this.client
        .pipeline()
        .zcard(k.wait)
        .zcard(k.delayed)
        .zcard(k.active)
        .zcard(k.finished)
        .zcard(k.dead)
        .hgetall(k.meta)
        .exec()) ?? [];
    const failure = replies.find(([error]) => error);
    if (failure?.[0]) throw scriptError(failure[0]);
    const [waiting, delayed, active, finished, dead] = replies.slice(0, 5).map(([, v]) => Number(v));
    const meta = (replies[5]?.[1] ?? {}) as Record<string, string>;
    const n = (f: string): number => Number(meta[f] ?? 0);
    return {
      waiting: waiting ?? 0,
      delayed: delayed ?? 0,
      active: active ?? 0,
      finished: finished ?? 0,
      dead: dead ?? 0,
      paused: meta.paused === '1',
      lifetime: { enqueued: n('enqueued'), completed: n('completed'), dead: n('dead'), retried: n('retried'), stalled: n('stalled') },
    };
  }

  async task(id: string): Promise<TaskDetail> {
    const h = await this.client.hgetall(this.keys.task(id));
    if (!h.state) throw new SwarmdeckError('NOT_FOUND', `Task ${id} does not exist in queue ${this.name}`);
    return taskFromHash(id, this.name, h);
  }

  /** One page of task ids of a state, oldest (or most urgent) first. */
  async list(state: 'waiting' | 'delayed' | 'active' | 'finished' | 'dead', offset = 0, limit = 50): Promise<string[]> {
    const key = {
      waiting: this.keys.wait,
      delayed: this.keys.delayed,
      active: this.keys.active,
      finished: this.keys.finished,
      dead: this.keys.dead,
    }[state];
    return this.client.zrange(key, offset, offset + Math.min(limit, 500) - 1);
  }

  /** Blocks up to `timeoutMs` for a wake-up token on a connection reserved for blocking. */
  async waitForWork(blocking: RedisClient, timeoutMs: number): Promise<boolean> {
    const reply = await blocking.brpop(this.keys.wake, Math.max(0.01, timeoutMs / 1000));
    return reply !== null;
  }
}

export async function listQueues(client: RedisClient, prefix = 'sd'): Promise<string[]> {
  const names: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.sscan(queueRegistryKey(prefix), cursor, 'COUNT', 500);
    names.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return names.sort();
}
