import { z } from 'zod';

/** Named priorities, most urgent first; a number 0–1000 gives finer control (lower runs sooner). */
export const PRIORITIES = { critical: 0, high: 250, normal: 500, low: 750, background: 1000 } as const;
export type PriorityName = keyof typeof PRIORITIES;

export const TASK_STATES = ['waiting', 'delayed', 'active', 'completed', 'cancelled', 'dead'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const QueueNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'Queue names are 1–128 letters, digits, dot, dash, colon or underscore');

export const EnqueueSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'Task ids are 1–128 letters, digits, dot, dash, colon or underscore')
    .optional(),
  data: z.unknown().optional(),
  priority: z
    .union([z.enum(Object.keys(PRIORITIES) as [PriorityName, ...PriorityName[]]), z.number().int().min(0).max(1000)], {
      error: 'Priority is critical, high, normal, low, background or a whole number 0–1000',
    })
    .optional(),
  delayMs: z
    .number()
    .int()
    .min(0, 'Delay cannot be negative')
    .max(365 * 24 * 3600 * 1000)
    .optional(),
  runAt: z.number().int().positive().optional(),
  maxAttempts: z.number().int().min(1).max(1000).optional(),
  backoffMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600 * 1000)
    .optional(),
  backoffMaxMs: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600 * 1000)
    .optional(),
  requires: z
    .array(z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'Capabilities are 1–64 letters, digits, dot, dash, colon or underscore'))
    .max(32)
    .optional(),
});
export type EnqueueInput = z.input<typeof EnqueueSchema>;

export interface AttemptRecord {
  attempt: number;
  error: string;
  stack?: string;
  holder?: string;
  at: number;
}

export interface TaskDetail {
  id: string;
  queue: string;
  state: TaskState;
  data: unknown;
  priority: number;
  attempts: number;
  maxAttempts: number;
  requires: string[];
  createdAt: number;
  readyAt?: number;
  runAt?: number;
  startedAt?: number;
  finishedAt?: number;
  holder?: string;
  progress?: unknown;
  result?: unknown;
  error?: string;
  history: AttemptRecord[];
  /**
   * Set only in a page of tasks (`queues.tasks`): the stored fields left out because they were
   * too big for a list, each with its size in bytes. `queues.task` returns them whole.
   */
  truncated?: Partial<Record<TruncatableField, number>>;
}

/** The task fields that can hold an agent's bytes, so a page may leave them out. */
export const TRUNCATABLE_FIELDS = ['data', 'result', 'progress', 'error', 'history'] as const;
export type TruncatableField = (typeof TRUNCATABLE_FIELDS)[number];

export interface QueueCounts {
  waiting: number;
  delayed: number;
  active: number;
  finished: number;
  dead: number;
  paused: boolean;
  lifetime: { enqueued: number; completed: number; dead: number; retried: number; stalled: number };
}

export interface MinuteStats {
  /** Start of the minute, ms since epoch. */
  at: number;
  enqueued: number;
  completed: number;
  failed: number;
  dead: number;
  waitMsAvg?: number;
  processMsAvg?: number;
}

export interface QueueSummary {
  name: string;
  counts: QueueCounts;
  /** Oldest first, one entry per minute. */
  minutes: MinuteStats[];
}

export const QUEUE_ACTIONS = ['retry', 'retryAll', 'promote', 'cancel', 'purge', 'pause', 'resume'] as const;
export type QueueAction = (typeof QUEUE_ACTIONS)[number];
export const PURGEABLE = ['waiting', 'delayed', 'finished', 'dead'] as const;

/** One entry of a capped stream: a queue transition or an operator action. */
export interface StreamEntry {
  id: string;
  at: number;
  fields: Record<string, string>;
}
