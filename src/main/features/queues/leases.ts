import { randomBytes } from 'node:crypto';
import { optionalNumber as num } from '../../redis/info';
import { parseJson } from './task-hash';

/** A task handed to a worker: its lease is the token, until the lease deadline. */
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

/** The bounds of one take's side work (take.lua's promote, scan and stalled limits): a long backlog never makes one script long. */
const TAKE_LIMITS = { promote: 100, scan: 100, stalled: 100 };

/** The take's part of a script's ARGV (take.lua, and complete.lua's take of the next tasks). */
export function takeArgs(o: TakeOptions): (string | number)[] {
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

/** A take's reply: the next due time, then five fields per task leased. */
export function parseTake(reply: unknown): TakeResult {
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
