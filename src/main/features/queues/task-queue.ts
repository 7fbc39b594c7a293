import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../../../shared/clock';
import { SwarmdeckError } from '../../../shared/errors';
import {
  EnqueueSchema,
  PRIORITIES,
  QueueNameSchema,
  type AttemptRecord,
  type EnqueueInput,
  type QueueCounts,
  type TaskDetail,
  type TaskState,
} from '../../../shared/model/task';
import { validationError } from '../../../shared/validation';
import type { RedisClient } from '../../redis/client-options';
import { optionalNumber as num } from '../../redis/info';
import { queueKeys, queueRegistryKey, type QueueKeys } from '../../redis/keyspace';
import { runApplied, scriptArgs, scriptError, withScripts, type ScriptFn } from '../../redis/script-registry';
import * as scripts from './scripts';

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

export interface LeasedTask {
  id: string;
  data: unknown;
  attempt: number;
  maxAttempts: number;
  token: string;
}

export interface TakeOptions {
  count: number;
  leaseMs: number;
  holder: string;
  capabilities?: string[];
}

export interface TakeResult {
  tasks: LeasedTask[];
  /** When nothing was handed out: the next time something becomes due (ms), if any. */
  nextDueAt?: number;
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

const TAKE_LIMITS = { promote: 100, scan: 100, stalled: 100 };

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

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
    const k = this.keys;
    const keys = [
      k.meta,
      k.wait,
      k.delayed,
      k.active,
      k.finished,
      k.dead,
      k.wake,
      k.events,
      k.stats(Math.floor(now / 60_000)),
      ...taskIds.map((id) => k.task(id)),
    ];
    return runApplied(this.client[script](...scriptArgs(keys, [k.taskBase, this.eventsMaxLen, now, ...args])));
  }

  /** Validates one task and returns its script arguments; throws before anything is sent. */
  private enqueueArgs(input: EnqueueInput, now: number): (string | number)[] {
    const parsed = EnqueueSchema.safeParse(input);
    if (!parsed.success) throw validationError(parsed.error, 'Bad task');
    const t = parsed.data;
    let data: string;
    try {
      data = JSON.stringify(t.data ?? null);
    } catch (error) {
      throw new SwarmdeckError('VALIDATION', `The payload cannot be stored as JSON: ${(error as Error).message}`, {
        fields: [{ path: 'data', message: 'not JSON-serialisable' }],
      });
    }
    const bytes = Buffer.byteLength(data);
    if (bytes > this.maxPayloadBytes) {
      throw new SwarmdeckError('VALIDATION', `The payload is ${bytes} bytes; this queue accepts at most ${this.maxPayloadBytes}`, {
        fields: [{ path: 'data', message: `at most ${this.maxPayloadBytes} bytes` }],
      });
    }
    const priority = typeof t.priority === 'number' ? t.priority : PRIORITIES[t.priority ?? 'normal'];
    const runAt = t.runAt ?? (t.delayMs ? now + t.delayMs : 0);
    const id = t.id ?? `${now.toString(36)}-${randomBytes(6).toString('hex')}`;
    const requires = [...new Set(t.requires ?? [])].sort().join(',');
    return [id, data, priority, runAt, t.maxAttempts ?? 3, t.backoffMs ?? 1000, t.backoffMaxMs ?? 60_000, requires];
  }

  private async register(): Promise<void> {
    if (this.registered) return;
    await this.client.sadd(queueRegistryKey(this.prefix), this.name);
    this.registered = true;
  }

  async enqueue(input: EnqueueInput): Promise<{ id: string; state: 'waiting' | 'delayed' }> {
    const now = this.clock.now();
    const [created] = await this.store([this.enqueueArgs(input, now)], now);
    return created as { id: string; state: 'waiting' | 'delayed' };
  }

  /**
   * Many tasks: every one is validated before anything is sent; each batch of 500 is stored
   * by one script, all or none (a duplicate id refuses its batch).
   */
  async enqueueMany(inputs: EnqueueInput[]): Promise<string[]> {
    const now = this.clock.now();
    const all = inputs.map((input) => this.enqueueArgs(input, now));
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

  private takeArgs(o: TakeOptions): (string | number)[] {
    return [
      o.count,
      o.leaseMs,
      o.holder,
      randomBytes(8).toString('hex'),
      (o.capabilities ?? []).join(','),
      TAKE_LIMITS.promote,
      TAKE_LIMITS.scan,
      TAKE_LIMITS.stalled,
    ];
  }

  private static parseTake(reply: unknown): TakeResult {
    const flat = reply as string[];
    const tasks: LeasedTask[] = [];
    for (let i = 1; i + 4 < flat.length; i += 5) {
      tasks.push({
        id: String(flat[i]),
        data: parseJson(flat[i + 1]),
        attempt: Number(flat[i + 2]),
        maxAttempts: Number(flat[i + 3]),
        token: String(flat[i + 4]),
      });
    }
    const nextDueAt = num(flat[0]);
    return nextDueAt === undefined ? { tasks } : { tasks, nextDueAt };
  }

  /** Leases up to `count` tasks; also recovers expired leases and promotes due delayed tasks. */
  async take(options: TakeOptions): Promise<TakeResult> {
    return TaskQueue.parseTake(await this.run('sdQueueTake', this.clock.now(), [], ...this.takeArgs(options)));
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
      ...this.takeArgs(next ?? { count: 0, leaseMs: 0, holder: '' }),
    )) as [unknown, string[]];
    return { ...TaskQueue.parseTake(take), lost };
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

/** A task as its hash stores it; fields a caller did not read come back absent. */
export function taskFromHash(id: string, queue: string, h: Record<string, string | undefined>): TaskDetail {
  return {
    id,
    queue,
    state: h.state as TaskState,
    data: parseJson(h.data),
    priority: Number(h.prio),
    attempts: Number(h.attempts),
    maxAttempts: Number(h.maxAttempts),
    requires: h.requires ? h.requires.split(',') : [],
    createdAt: Number(h.createdAt),
    readyAt: num(h.readyAt),
    runAt: num(h.runAt),
    startedAt: num(h.startedAt),
    finishedAt: num(h.finishedAt),
    holder: h.holder,
    progress: parseJson(h.progress),
    result: parseJson(h.result),
    error: h.error,
    history: (parseJson(h.history) as AttemptRecord[] | undefined) ?? [],
  };
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
