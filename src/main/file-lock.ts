import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { SwarmdeckError } from '../shared/errors';

export interface FileLockOptions {
  /** How long to wait for another holder before giving up with TIMEOUT. */
  timeoutMs?: number;
  /** A lock older than this is taken to be left behind, even when its pid looks alive (pids are reused). */
  staleMs?: number;
}

interface Holder {
  pid: number;
  host?: string;
  at: number;
  token: string;
}

/** A lock file that never got its content: its creator died between create and write, which takes microseconds. */
const EMPTY_LOCK_STALE_MS = 5_000;

/**
 * Chains holders inside one process, so they queue instead of polling the file against each
 * other; keyed by path because several stores of one home share one lock.
 */
const inProcess = new Map<string, Promise<unknown>>();

/**
 * An exclusive lock across processes: a file created with O_EXCL that holds its owner's pid,
 * host and start time. A lock whose owner is dead, or that is older than `staleMs`, is broken
 * so a crashed CLI cannot wedge every later one. Not reentrant: never call `run` from inside `run`.
 */
export class FileLock {
  readonly path: string;
  private readonly timeoutMs: number;
  private readonly staleMs: number;

  constructor(path: string, options: FileLockOptions = {}) {
    this.path = resolve(path);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.staleMs = options.staleMs ?? 30_000;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    const previous = inProcess.get(this.path) ?? Promise.resolve();
    const result = previous.then(async () => {
      const token = await this.acquire();
      try {
        return await work();
      } finally {
        await this.release(token);
      }
    });
    const tail = result.catch(() => undefined);
    inProcess.set(this.path, tail);
    void tail.then(() => {
      if (inProcess.get(this.path) === tail) inProcess.delete(this.path);
    });
    return result;
  }

  private async acquire(): Promise<string> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const token = randomBytes(8).toString('hex');
    const deadline = Date.now() + this.timeoutMs;
    let pause = 2;
    for (;;) {
      try {
        const handle = await open(this.path, 'wx', 0o600);
        try {
          const holder: Holder = { pid: process.pid, host: hostname(), at: Date.now(), token };
          await handle.writeFile(JSON.stringify(holder));
        } finally {
          await handle.close();
        }
        return token;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await this.holder();
      if (holder !== 'gone' && (await this.isStale(holder))) {
        await this.breakStale(holder);
        continue;
      }
      if (Date.now() >= deadline) {
        const who = holder === 'gone' || holder === 'unreadable' ? '' : ` (pid ${holder.pid} since ${new Date(holder.at).toISOString()})`;
        throw new SwarmdeckError(
          'TIMEOUT',
          `Another Swarmdeck process has held ${this.path}${who} for more than ${this.timeoutMs / 1000} s; try again, or delete that file if no Swarmdeck is running`,
          { file: this.path },
        );
      }
      // Jitter keeps twenty waiting CLIs from retrying in lockstep.
      await new Promise((r) => setTimeout(r, pause + Math.random() * pause));
      pause = Math.min(pause * 2, 50);
    }
  }

  private async release(token: string): Promise<void> {
    // A holder that outlived staleMs may have been broken and replaced: never delete a newer holder's lock.
    const holder = await this.holder();
    if (holder !== 'gone' && holder !== 'unreadable' && holder.token === token) await unlink(this.path).catch(ignoreMissing);
  }

  private async holder(): Promise<Holder | 'gone' | 'unreadable'> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') return 'gone';
      // Reading a folder in its place fails without naming the path; the operator needs it.
      e.path ??= this.path;
      throw e;
    }
    try {
      const parsed = JSON.parse(text) as Partial<Holder>;
      if (typeof parsed.pid === 'number' && typeof parsed.at === 'number' && typeof parsed.token === 'string') {
        return { pid: parsed.pid, at: parsed.at, token: parsed.token, ...(typeof parsed.host === 'string' ? { host: parsed.host } : {}) };
      }
    } catch {
      // Falls through: an empty or torn lock file is judged by its age below.
    }
    return 'unreadable';
  }

  private async isStale(holder: Holder | 'unreadable'): Promise<boolean> {
    if (holder === 'unreadable') {
      const info = await stat(this.path).catch(() => undefined);
      return info !== undefined && Date.now() - info.mtimeMs > EMPTY_LOCK_STALE_MS;
    }
    if (Date.now() - holder.at > this.staleMs) return true;
    // A pid means nothing on another machine sharing the folder; there only the age counts.
    if (holder.host !== undefined && holder.host !== hostname()) return false;
    return !isAlive(holder.pid);
  }

  /**
   * Two waiters can both judge one lock stale; if the second deleted it after the first had
   * already taken a fresh lock, two holders would run at once. So breaking happens under a
   * short guard lock, and only if the file still holds the very lock that was judged stale.
   */
  private async breakStale(judged: Holder | 'unreadable'): Promise<void> {
    const guard = `${this.path}.break`;
    try {
      await (await open(guard, 'wx', 0o600)).close();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A breaker that died inside this guard, which is held for a read and an unlink.
      const info = await stat(guard).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > EMPTY_LOCK_STALE_MS) await unlink(guard).catch(ignoreMissing);
      return;
    }
    try {
      const now = await this.holder();
      const same =
        judged === 'unreadable'
          ? now === 'unreadable' && (await this.isStale(now))
          : now !== 'gone' && now !== 'unreadable' && now.token === judged.token;
      if (same) await unlink(this.path).catch(ignoreMissing);
    } finally {
      await unlink(guard).catch(ignoreMissing);
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
