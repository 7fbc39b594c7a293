import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { RESOURCE_PATTERN, type LockView } from '../../../shared/contract/locks';
import { SwarmdeckError } from '../../../shared/errors';
import type { RedisClient } from '../../redis/client-options';
import { lockKeys, lockRegistryKey } from '../../redis/keyspace';
import {
  decodeReply,
  refusalError,
  runApplied,
  runScript,
  scriptArgs,
  scriptError,
  withScripts,
  type ScriptOutcome,
} from '../../redis/script-registry';
import { checkTtl, FencedLock } from './fenced-lock';
import { LUA } from './lua/sources.generated';

const SOURCES = {
  sdLockAcquire: LUA.acquire,
  sdLockRelease: LUA.release,
  sdLockExtend: LUA.extend,
  sdLockForceRelease: LUA['force-release'],
};

export interface AcquireOptions {
  /** The lease (ms); the watchdog renews it every third of it. Default 10 s. */
  ttlMs?: number;
  /** How long to keep trying while another owner holds it (ms). Default 0: one attempt. */
  waitMs?: number;
  /** Shown to operators as the holder; default `<host>:<pid>`. */
  owner?: string;
  /**
   * Replicas that must acknowledge the acquisition (`WAIT`) before it is reported held, so a
   * master failover right after cannot lose it and hand the same fence out again.
   */
  replicas?: number;
  /** How long `WAIT` may take (ms). Default 500. */
  replicaTimeoutMs?: number;
  /** Stops waiting. */
  signal?: AbortSignal;
}

/**
 * Retry delays while waiting grow from this to the cap, each with full jitter. The cap is low on
 * purpose: with n waiters the lock sits free about cap / 2n after a release, and a refused
 * attempt is one cheap script on loopback-fast Redis.
 */
const RETRY_BASE_MS = 2;
const RETRY_CAP_MS = 10;
/** Resources the listing reads; the registry grows by one per resource ever locked. */
const LIST_BOUND = 10_000;
const WAITERS_SHOWN = 20;

/** Looked up once: `hostname()` is a system call, and acquiring is on the hot path. */
const HOST = hostname();

function checkResource(resource: string): void {
  // The contract's rule tested directly: a zod parse per acquisition costs more than the rest of the client side.
  if (!RESOURCE_PATTERN.test(resource))
    throw new SwarmdeckError('VALIDATION', `Malformed lock resource "${resource}"`, {
      fields: [{ path: 'resource', message: 'letters, digits, _ . : / -, at most 128' }],
    });
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Fenced distributed locks: one lease per resource, held by the owner of a random token, with
 * a fencing token that is strictly larger for every new holder (a counter that outlives the
 * lease) — pass it to whatever the lock protects, which refuses a write with a smaller fence.
 */
export class FencedLocks {
  private readonly client: RedisClient & Record<keyof typeof SOURCES, (...args: (string | number)[]) => Promise<unknown>>;
  /**
   * Resources this instance has put in the registry: once is enough (nothing removes them), and
   * the registry is another slot than the lock, so it would be a second round trip every time.
   */
  private readonly registered = new Set<string>();
  /** The three keys of a resource, built once: acquiring and releasing is the hot path. */
  private readonly keyCache = new Map<string, [lock: string, fence: string, waiters: string]>();

  constructor(
    client: RedisClient,
    private readonly prefix = 'sd',
  ) {
    this.client = withScripts(client, SOURCES);
  }

  /**
   * Takes the lock, waiting up to `waitMs` with jittered retries while another owner holds it.
   * Resolves undefined when it could not be had in time.
   */
  async acquire(resource: string, options: AcquireOptions = {}): Promise<FencedLock | undefined> {
    checkResource(resource);
    const ttlMs = options.ttlMs ?? 10_000;
    checkTtl(ttlMs);
    const waitMs = options.waitMs ?? 0;
    const owner = options.owner ?? `${HOST}:${process.pid}`;
    const token = randomUUID();
    const waiter = waitMs > 0 ? `${owner}#${token.slice(0, 8)}` : '';
    const giveUpAt = performance.now() + waitMs;
    const deadline = Date.now() + waitMs;
    // Registered before the first attempt: the view lists a resource the moment anyone wants it.
    if (!this.registered.has(resource)) {
      await this.client.sadd(lockRegistryKey(this.prefix), resource);
      if (this.registered.size < LIST_BOUND) this.registered.add(resource);
    }
    for (let attempt = 0; ; attempt += 1) {
      const sentAt = performance.now();
      const [taken, value] = await this.attempt(resource, token, ttlMs, owner, waiter, deadline, options);
      if (taken) return new FencedLock(this, resource, token, value, ttlMs, sentAt);
      const left = giveUpAt - performance.now();
      if (left <= 0 || options.signal?.aborted) break;
      const backoff = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.min(attempt, 5));
      // Full jitter: waiters that were refused together do not come back together.
      await sleep(Math.min(left, Math.max(1, Math.random() * Math.min(backoff, Math.max(value, 1)))), options.signal);
    }
    if (waiter) await this.client.zrem(lockKeys(this.prefix, resource).waiters, waiter).catch(() => undefined);
    return undefined;
  }

  /**
   * Runs `work` while holding the lock, with a watchdog renewing it; `lock.signal` aborts the
   * moment the lock may be lost. Throws CONFLICT when it cannot be had within `waitMs`.
   */
  async run<T>(resource: string, work: (lock: FencedLock) => Promise<T>, options: AcquireOptions = {}): Promise<T> {
    const lock = await this.acquire(resource, options);
    if (!lock)
      throw new SwarmdeckError('CONFLICT', `The lock on ${resource} could not be had within ${options.waitMs ?? 0} ms`, { resource });
    lock.startWatchdog();
    try {
      return await work(lock);
    } finally {
      await lock.release().catch(() => undefined);
    }
  }

  /** Every registered resource, held ones first (free ones only with `includeFree`). */
  async list(includeFree = false): Promise<LockView[]> {
    const resources: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.client.sscan(lockRegistryKey(this.prefix), cursor, 'COUNT', 500);
      cursor = next;
      resources.push(...batch);
    } while (cursor !== '0' && resources.length < LIST_BOUND);
    const views: LockView[] = [];
    // A pipeline per resource: one slot each, so it works on a cluster; 32 in flight at most.
    for (let i = 0; i < resources.length; i += 32) {
      views.push(...(await Promise.all(resources.slice(i, i + 32).map((r) => this.view(r)))));
    }
    return views
      .filter((v) => includeFree || v.held)
      .sort((a, b) => Number(b.held) - Number(a.held) || a.resource.localeCompare(b.resource));
  }

  async view(resource: string): Promise<LockView> {
    checkResource(resource);
    const k = lockKeys(this.prefix, resource);
    const now = Date.now();
    const replies = await this.client
      .pipeline()
      .get(k.lock)
      .pttl(k.lock)
      .get(k.fence)
      .zrangebyscore(k.waiters, now, '+inf', 'WITHSCORES', 'LIMIT', 0, WAITERS_SHOWN)
      .zcount(k.waiters, now, '+inf')
      .exec();
    const out = (replies ?? []).map(([error, value]) => {
      if (error) throw scriptError(error);
      return value;
    });
    // `<token>|<fence>|<acquiredAt>|<owner>`: the token is the holder's secret and never leaves here.
    const [, fence, acquiredAt, ...ownerParts] = ((out[0] as string | null) ?? '').split('|');
    const owner = ownerParts.join('|');
    const pairs = out[3] as string[];
    const waiters = [];
    for (let i = 0; i < pairs.length; i += 2) waiters.push({ id: pairs[i] as string, deadline: Number(pairs[i + 1]) });
    const held = fence !== undefined;
    return {
      resource,
      held,
      ...(held ? { owner, ttlMs: Math.max(0, Number(out[1])), acquiredAt: Number(acquiredAt) } : {}),
      fence: Number(held ? fence : (out[2] ?? 0)),
      waiters,
      waiterCount: Number(out[4]),
    };
  }

  /** An operator's release of whoever holds it; with `fence`, only that holder. */
  async forceRelease(resource: string, fence?: number): Promise<{ fence: number; owner: string }> {
    checkResource(resource);
    const [released, owner] = (await this.script('sdLockForceRelease', resource, [fence ?? ''])) as [number, string];
    return { fence: Number(released), owner };
  }

  /** @internal the owner's release; its handle calls it. */
  releaseToken(resource: string, token: string): Promise<void> {
    return this.script('sdLockRelease', resource, [token]).then(() => undefined);
  }

  /** @internal the owner's renewal; its handle and watchdog call it. */
  async extendToken(resource: string, token: string, ttlMs: number): Promise<void> {
    await this.script('sdLockExtend', resource, [token, ttlMs]);
  }

  private keys(resource: string): [string, string, string] {
    let keys = this.keyCache.get(resource);
    if (!keys) {
      const k = lockKeys(this.prefix, resource);
      keys = [k.lock, k.fence, k.waiters];
      if (this.keyCache.size < LIST_BOUND) this.keyCache.set(resource, keys);
    }
    return keys;
  }

  private script(name: keyof typeof SOURCES, resource: string, argv: (string | number)[]): Promise<unknown> {
    return runApplied(this.client[name](...scriptArgs(this.keys(resource), argv)));
  }

  private async attempt(
    resource: string,
    token: string,
    ttlMs: number,
    owner: string,
    waiter: string,
    deadline: number,
    options: AcquireOptions,
  ): Promise<[boolean, number]> {
    const args = scriptArgs(this.keys(resource), [token, ttlMs, owner, waiter, deadline, Date.now()]);
    if (!options.replicas) return acquireReply(await runScript(this.client.sdLockAcquire(...args)));
    // WAIT counts the writes of the connection that made them: on a cluster the pipeline goes
    // to the node of the lock's slot, so the acquisition and its WAIT share a connection.
    const pipeline = this.client.pipeline() as ReturnType<RedisClient['pipeline']> & {
      sdLockAcquire(...args: (string | number)[]): unknown;
    };
    pipeline.sdLockAcquire(...args);
    pipeline.wait(options.replicas, options.replicaTimeoutMs ?? 500);
    const replies = (await pipeline.exec()) ?? [];
    const [acquireError, acquired] = replies[0] ?? [new Error('no reply')];
    if (acquireError) throw scriptError(acquireError);
    const [won, value] = acquireReply(decodeReply(acquired));
    if (!won) return [false, value];
    const [waitError, acked] = replies[1] ?? [new Error('no reply')];
    if (waitError || Number(acked) < options.replicas) {
      await this.releaseToken(resource, token).catch(() => undefined);
      throw new SwarmdeckError(
        'UNAVAILABLE',
        `Only ${Number(acked ?? 0)} of ${options.replicas} replicas acknowledged the lock in time; it was given back`,
      );
    }
    return [true, value];
  }
}

/** The acquire script's outcome: the fence when taken, else the pttl of the holder's lease. */
function acquireReply(outcome: ScriptOutcome): [won: boolean, fenceOrPttl: number] {
  if (outcome.applied) return [true, Number(outcome.reply)];
  if (outcome.reason !== 'conflict') throw refusalError(outcome);
  return [false, Number(outcome.detail[0])];
}
