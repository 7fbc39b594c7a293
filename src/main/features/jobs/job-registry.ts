import { randomBytes } from 'node:crypto';
import { SwarmdeckError } from '../../../shared/errors';
import type { JobProgress, JobView } from '../../../shared/model/job';
import type { EventBus } from '../../event-bus';
import { toSwarmdeckError } from '../../redis/describe-error';

export interface JobContext {
  /** Aborted when the operator cancels; the work stops at its next check and reports what it did. */
  signal: AbortSignal;
  /** Report progress as often as convenient: events are sent at most a few times a second. */
  progress(update: Partial<JobProgress>): void;
}

export interface JobSpec<R> {
  kind: string;
  profileId: string;
  title: string;
  unit: string;
  run(ctx: JobContext): Promise<R>;
}

const PUSH_EVERY_MS = 250;
/** Finished jobs kept for the UI to read their result; the oldest go first. */
const KEEP_FINISHED = 50;

interface Entry {
  view: JobView;
  controller: AbortController;
  lastPush: number;
  done: Promise<unknown>;
}

/**
 * Every long-running piece of work in main is a job: it has an id, streams its progress over
 * the event bus, can be cancelled, and keeps its result (or typed error) once finished.
 */
export class JobRegistry {
  private readonly jobs = new Map<string, Entry>();

  constructor(private readonly bus: EventBus) {}

  start<R>(spec: JobSpec<R>): JobView {
    const id = `job-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const controller = new AbortController();
    const view: JobView = {
      id,
      kind: spec.kind,
      profileId: spec.profileId,
      title: spec.title,
      state: 'running',
      progress: { done: 0, unit: spec.unit },
      startedAt: Date.now(),
    };
    const entry: Entry = { view, controller, lastPush: 0, done: Promise.resolve() };
    this.jobs.set(id, entry);
    const ctx: JobContext = {
      signal: controller.signal,
      progress: (update) => {
        if (view.state !== 'running') return;
        view.progress = { ...view.progress, ...update };
        const now = Date.now();
        if (now - entry.lastPush >= PUSH_EVERY_MS) {
          entry.lastPush = now;
          this.push(view);
        }
      },
    };
    this.push(view);
    entry.done = spec.run(ctx).then(
      (result) => this.finish(entry, controller.signal.aborted ? 'cancelled' : 'done', result),
      (error: unknown) =>
        this.finish(entry, controller.signal.aborted ? 'cancelled' : 'failed', undefined, toSwarmdeckError(error, spec.title)),
    );
    return { ...view };
  }

  get(jobId: string): JobView {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new SwarmdeckError('NOT_FOUND', `No job "${jobId}" (finished jobs are kept for a while, then forgotten)`);
    return { ...entry.view };
  }

  list(): JobView[] {
    return [...this.jobs.values()].map((e) => ({ ...e.view }));
  }

  cancel(jobId: string): JobView {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new SwarmdeckError('NOT_FOUND', `No job "${jobId}"`);
    if (entry.view.state === 'running') entry.controller.abort();
    return { ...entry.view };
  }

  /** Resolves with the job's view once it has finished, whatever the outcome. */
  async settled(jobId: string): Promise<JobView> {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new SwarmdeckError('NOT_FOUND', `No job "${jobId}"`);
    await entry.done;
    return { ...entry.view };
  }

  /** Cancels every running job of a profile (its connection is going away) or all of them. */
  cancelAll(profileId?: string): void {
    for (const entry of this.jobs.values()) {
      if (entry.view.state === 'running' && (profileId === undefined || entry.view.profileId === profileId)) entry.controller.abort();
    }
  }

  private finish(entry: Entry, state: JobView['state'], result?: unknown, error?: SwarmdeckError): void {
    const view = entry.view;
    view.state = state;
    view.endedAt = Date.now();
    if (result !== undefined) view.result = result;
    if (error) view.error = error.toPayload();
    this.push(view);
    const finished = [...this.jobs.values()].filter((e) => e.view.state !== 'running');
    for (const old of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(old.view.id);
  }

  private push(view: JobView): void {
    this.bus.emit({ type: 'job', job: { ...view, progress: { ...view.progress } } });
  }
}
