/**
 * One restore or undo per target at a time: a lease in Redis on the target itself (so two
 * hosts, two homes or two CLIs exclude each other as well as two jobs of one host), renewed
 * while the work runs. A second one is refused with a typed error that names the holder. A
 * holder killed outright leaves its lease to run out, or to be taken over at once by a restore
 * on the same host that sees its process is gone.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { SwarmdeckError } from '../../../shared/errors';
import type { RedisClient } from '../../redis/client-options';
import { withScripts } from '../../redis/script-registry';
import { restoreLockKey } from './keys';
import { LUA } from './lua/sources.generated';

const LEASE_MS = 30_000;
const RENEW_MS = 10_000;

export interface LockHolder {
  /** What holds the target, in the operator's words: "restore of backup …", "undo of restore …". */
  what: string;
  host: string;
  pid: number;
  since: string;
  token: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parse(value: string): LockHolder | null {
  try {
    return JSON.parse(value) as LockHolder;
  } catch {
    return null;
  }
}

export class RestoreLock {
  private timer: NodeJS.Timeout | undefined;
  private lostError: SwarmdeckError | undefined;

  private constructor(
    private readonly client: RedisClient & Record<'sdSwapRestoreLock', (...args: (string | number)[]) => Promise<unknown>>,
    private readonly key: string,
    private readonly value: string,
  ) {}

  /** Takes the target's lock for `what`, or refuses (CONFLICT, reason target-busy, the holder in details). */
  static async take(target: RedisClient, prefix: string, what: string): Promise<RestoreLock> {
    const client = withScripts(target, { sdSwapRestoreLock: LUA['swap-restore-lock'] });
    const key = restoreLockKey(prefix);
    const holder: LockHolder = {
      what,
      host: hostname(),
      pid: process.pid,
      since: new Date().toISOString(),
      token: randomBytes(8).toString('hex'),
    };
    const value = JSON.stringify(holder);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if ((await client.set(key, value, 'PX', LEASE_MS, 'NX')) === 'OK') return new RestoreLock(client, key, value).renewing();
      const there = await client.get(key);
      if (there === null) continue;
      const other = parse(there);
      const gone = other !== null && other.host === holder.host && !alive(other.pid);
      if (gone && Number(await client.sdSwapRestoreLock(1, key, there, value, LEASE_MS)) === 1)
        return new RestoreLock(client, key, value).renewing();
      if (!gone) throw busy(other);
    }
    throw busy(null);
  }

  private renewing(): this {
    this.timer = setInterval(() => {
      this.client.sdSwapRestoreLock(1, this.key, this.value, this.value, LEASE_MS).then(
        (swapped) => {
          if (Number(swapped) !== 1)
            this.lostError ??= new SwarmdeckError('CONFLICT', 'The target lock ran out while writing', { reason: 'lock-lost' });
        },
        () => undefined,
      );
    }, RENEW_MS);
    this.timer.unref();
    return this;
  }

  /** Throws once the lease was lost (it ran out while Redis was unreachable, or was taken over). */
  check(): void {
    if (this.lostError) throw this.lostError;
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.client.sdSwapRestoreLock(1, this.key, this.value, '', LEASE_MS).catch(() => undefined);
  }
}

function busy(holder: LockHolder | null): SwarmdeckError {
  const who = holder ? `${holder.what} (${holder.host}, pid ${holder.pid}, since ${holder.since})` : 'another restore or undo';
  return new SwarmdeckError('CONFLICT', `The target is busy: ${who} is writing to it; try again when it ends`, {
    reason: 'target-busy',
    ...(holder ? { holder: { what: holder.what, host: holder.host, pid: holder.pid, since: holder.since } } : {}),
  });
}
