import type { ErrorPayload } from '../errors';

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

/** How far a long piece of work has come; every field but `done` is optional. */
export interface JobProgress {
  done: number;
  total?: number;
  /** What `done` counts: keys, bytes, commands… */
  unit: string;
  /** Per second, over the last few seconds. */
  rate?: number;
  etaMs?: number;
  /** One line on what is happening now. */
  detail?: string;
  /** Per node (or per shard) figures, shown side by side. */
  parts?: Record<string, { done: number; total?: number }>;
}

/** A long-running piece of work in main (backup, restore, scan, MONITOR): streams progress and can be cancelled. */
export interface JobView {
  id: string;
  kind: string;
  profileId: string;
  title: string;
  state: JobState;
  progress: JobProgress;
  startedAt: number;
  endedAt?: number;
  /** What the work returned, once done (its shape belongs to the job's kind). */
  result?: unknown;
  error?: ErrorPayload;
}
