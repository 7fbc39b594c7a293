/**
 * Backup schedules: per profile an interval or a cron expression in a time zone, kept in the
 * home so every host (app, web host, CLI) sees the same ones, and run by one process per home
 * at a time — the holder of the schedule lease (schedule-lease.ts); the other hosts follow it,
 * show who runs the schedules, and take over when it is gone.
 *
 * A change made in any host takes effect in the holder at once: the holder watches the schedules
 * file (schedule-watch.ts). Watching, rather than every host re-reading before each run, because
 * only the holder has timers: a schedule added elsewhere must be armed without waiting for a run
 * to precede. As fallbacks the holder re-reads the file when it renews its lease (for file
 * systems where a watch stays silent), and right before each run, so a removal whose event is
 * late or lost never lets the schedule run once more.
 *
 * Ticks, overlap and status are ours, because a skipped tick must be counted, not silently absorbed.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { SwarmdeckError } from '../../../shared/errors';
import type { HostKind } from '../../actor';
import { homeLock } from '../../home';
import { JsonFile } from '../../json-file';
import { assertProfileId } from './format';
import { ScheduleLease, isGone, type LeaseDoc, type PublishedRun } from './schedule-lease';
import { ScheduleSpecSchema, assertScheduleSpec, type ScheduleSpec } from './schedule-spec';
import { armTimer, type ArmedTimer } from './schedule-timer';
import { watchFile } from './schedule-watch';

export { MIN_INTERVAL_MS, assertScheduleSpec, type ScheduleSpec } from './schedule-spec';

// Loose, so fields written by a newer version survive a write by this one.
const SchedulesDocSchema = z.looseObject({
  version: z.literal(1),
  schedules: z.record(z.string(), ScheduleSpecSchema),
});
type SchedulesDoc = z.infer<typeof SchedulesDocSchema>;

export type RunResult = NonNullable<PublishedRun['lastResult']>;

/** The process that runs the home's schedules. */
export interface ScheduleRunner {
  pid: number;
  host: string;
  via: string;
  /** Since when (Unix ms). */
  since: number;
  /** This very scheduler. */
  self: boolean;
}

export interface ScheduleStatus {
  /** When the last run started (Unix ms). */
  lastRun?: number;
  lastResult?: RunResult;
  /** When the next tick is due (Unix ms); absent when not scheduled or stopped. */
  nextRun?: number;
  /** Ticks skipped because the previous run was still going. */
  missed: number;
  running: boolean;
  /** Who runs the schedules; absent while no live host does. */
  runner?: ScheduleRunner;
}

export interface ScheduleTiming {
  /** How often a host that does not run the schedules looks whether their runner is gone. */
  checkMs: number;
  /** How often the runner renews its lease and re-reads the schedules file. */
  renewMs: number;
  /** A runner that has not renewed for this long is gone, even if a process with its pid lives (pids are reused). */
  staleMs: number;
}

const DEFAULT_TIMING: ScheduleTiming = { checkMs: 2_000, renewMs: 10_000, staleMs: 60_000 };

export interface BackupSchedulerOptions {
  home: string;
  /** Runs one scheduled backup of the profile; its rejection becomes `lastResult`. */
  run: (profileId: string) => Promise<unknown>;
  timing?: Partial<ScheduleTiming>;
}

interface Runtime {
  running?: Promise<void>;
  lastRun?: number;
  lastResult?: RunResult;
  missed: number;
}

export class BackupScheduler {
  private readonly file: JsonFile<SchedulesDoc>;
  private readonly lease: ScheduleLease;
  private readonly timing: ScheduleTiming;
  private readonly armed = new Map<string, ArmedTimer>();
  private readonly runtime = new Map<string, Runtime>();
  private via: HostKind = 'test';
  private started = false;
  private owner = false;
  /** The lease as this scheduler last read it: a follower's status comes from there. */
  private seen: LeaseDoc | undefined;
  private beat: NodeJS.Timeout | undefined;
  private renewedAt = 0;
  private unwatch: (() => void) | undefined;
  private syncing: Promise<void> | undefined;
  private resync = false;
  private publishing: Promise<void> = Promise.resolve();

  constructor(private readonly options: BackupSchedulerOptions) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.file = new JsonFile(
      join(options.home, 'backup-schedules.json'),
      SchedulesDocSchema,
      () => ({ version: 1, schedules: {} }),
      homeLock(options.home),
    );
    this.lease = new ScheduleLease(options.home, this.timing.staleMs);
  }

  async list(): Promise<{ profileId: string; spec: ScheduleSpec }[]> {
    const doc = await this.file.read();
    return Object.entries(doc.schedules).map(([profileId, spec]) => ({ profileId, spec }));
  }

  /** Saves (or replaces) the profile's schedule; the runner follows it at once, in this host or another. */
  async set(profileId: string, spec: ScheduleSpec): Promise<void> {
    assertProfileId(profileId);
    assertScheduleSpec(spec);
    await this.file.update((doc) => {
      doc.schedules[profileId] = spec;
    });
    if (this.owner) await this.sync();
  }

  async remove(profileId: string): Promise<void> {
    await this.file.update((doc) => {
      delete doc.schedules[profileId];
    });
    if (this.owner) await this.sync();
  }

  /**
   * Runs the saved schedules here if no other live host runs them, else follows the one that
   * does (and takes over when it is gone). Idempotent: calling it again re-reads the file.
   */
  async start(via: HostKind = this.via): Promise<void> {
    this.via = via;
    this.started = true;
    if (!this.beat) {
      this.beat = setInterval(() => void this.onBeat(), this.timing.checkMs);
      this.beat.unref();
    }
    await this.look();
  }

  /** Disarms every timer, gives the lease up and waits for the runs still going (they are not cancelled: a backup finishes or fails on its own). */
  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.beat);
    this.beat = undefined;
    const wasOwner = this.owner;
    this.stepDown();
    await Promise.all([...this.runtime.values()].map((r) => r.running));
    await this.publishing;
    if (wasOwner) await this.lease.release(this.published()).catch((error: unknown) => warn('could not give the schedules up', error));
    // What it last read of the lease is older than its own runs now: until `refresh`, it answers those.
    this.seen = undefined;
  }

  /** Re-reads who runs the schedules and what it published, for `status`. */
  async refresh(): Promise<void> {
    if (!this.owner) this.seen = await this.lease.read();
  }

  status(profileId: string): ScheduleStatus {
    const runner = this.runner();
    const local = this.owner || !this.seen ? this.localStatus(profileId) : (this.seen.runs[profileId] ?? { missed: 0, running: false });
    return { ...local, ...(runner ? { runner } : {}) };
  }

  private runner(): ScheduleRunner | undefined {
    const h = this.seen?.holder;
    if (!h || (!this.owner && isGone(h, this.timing.staleMs))) return undefined;
    return { pid: h.pid, host: h.host, via: h.via, since: h.since, self: this.owner && this.lease.isMine(this.seen as LeaseDoc) };
  }

  private localStatus(profileId: string): PublishedRun {
    const r = this.runtime.get(profileId);
    const next = this.armed.get(profileId)?.nextRun();
    return {
      ...(r?.lastRun !== undefined ? { lastRun: r.lastRun } : {}),
      ...(r?.lastResult ? { lastResult: r.lastResult } : {}),
      ...(next !== undefined ? { nextRun: next } : {}),
      missed: r?.missed ?? 0,
      running: r?.running !== undefined,
    };
  }

  private published(): Record<string, PublishedRun> {
    const ids = new Set([...this.armed.keys(), ...this.runtime.keys()]);
    return Object.fromEntries([...ids].map((id) => [id, this.localStatus(id)]));
  }

  /** Takes the lease if it can; the holder arms and watches, a follower only remembers who holds it. */
  private async look(): Promise<void> {
    const doc = await this.lease.claim(this.via);
    this.seen = doc;
    if (!this.lease.isMine(doc)) {
      if (this.owner) this.stepDown();
      return;
    }
    if (!this.owner) {
      this.owner = true;
      this.renewedAt = Date.now();
      this.adopt(doc.runs);
      this.unwatch = watchFile(this.file.path, () => void this.sync().catch((error: unknown) => warn('schedules not re-read', error)));
    }
    await this.sync();
  }

  private async onBeat(): Promise<void> {
    try {
      if (!this.owner) return await this.look();
      if (Date.now() - this.renewedAt < this.timing.renewMs) return;
      await this.publish();
      await this.sync();
    } catch (error) {
      warn('schedule lease not renewed', error);
    }
  }

  /** Renews the lease with the runs' state; a lease taken over meanwhile makes this host a follower. */
  private publish(): Promise<void> {
    this.publishing = this.publishing.then(async () => {
      if (!this.owner) return;
      const mine = await this.lease.renew(this.published()).catch((error: unknown) => {
        warn('schedule runs not published', error);
        return true;
      });
      this.renewedAt = Date.now();
      if (!mine) this.stepDown();
    });
    return this.publishing;
  }

  /** A new holder carries on the counts the previous one published. */
  private adopt(runs: Record<string, PublishedRun>): void {
    for (const [id, run] of Object.entries(runs)) {
      if (this.runtime.has(id)) continue;
      this.runtime.set(id, {
        missed: run.missed,
        ...(run.lastRun !== undefined ? { lastRun: run.lastRun } : {}),
        ...(run.lastResult ? { lastResult: run.lastResult } : {}),
      });
    }
  }

  private stepDown(): void {
    this.owner = false;
    this.unwatch?.();
    this.unwatch = undefined;
    for (const id of [...this.armed.keys()]) this.disarm(id);
  }

  /** Arms and disarms to match the file; calls that come while one runs are folded into one more pass. */
  private sync(): Promise<void> {
    if (this.syncing) {
      this.resync = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.resync = false;
        this.follow(await this.list());
      } while (this.resync);
    })().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private follow(saved: { profileId: string; spec: ScheduleSpec }[]): void {
    if (!this.owner || !this.started) return;
    const ids = new Set(saved.map((s) => s.profileId));
    for (const id of [...this.armed.keys()]) if (!ids.has(id)) this.disarm(id);
    for (const { profileId, spec } of saved) {
      const current = this.armed.get(profileId);
      if (current && sameSpec(current.spec, spec)) continue;
      this.disarm(profileId);
      this.armed.set(
        profileId,
        armTimer(spec, () => this.tick(profileId)),
      );
    }
  }

  private disarm(profileId: string): void {
    this.armed.get(profileId)?.stop();
    this.armed.delete(profileId);
  }

  private tick(profileId: string): void {
    const r = this.runtime.get(profileId) ?? { missed: 0 };
    this.runtime.set(profileId, r);
    if (r.running) {
      r.missed += 1;
      return;
    }
    r.running = this.runOnce(profileId, r).finally(() => {
      r.running = undefined;
      void this.publish();
    });
  }

  private async runOnce(profileId: string, r: Runtime): Promise<void> {
    try {
      // Read again right before running: a change another host made, whose event has not come, never runs the old schedule.
      const [saved, lease] = await Promise.all([this.file.read(), this.lease.read()]);
      if (!this.lease.isMine(lease)) return this.stepDown();
      const spec = saved.schedules[profileId];
      const armed = this.armed.get(profileId);
      if (!spec || !armed || !sameSpec(spec, armed.spec)) return await this.sync();
      r.lastRun = Date.now();
      void this.publish();
      await this.options.run(profileId);
      r.lastResult = { ok: true, finishedAt: Date.now() };
    } catch (error) {
      const e = error instanceof SwarmdeckError ? error : new SwarmdeckError('INTERNAL', (error as Error)?.message ?? String(error));
      r.lastResult = { ok: false, finishedAt: Date.now(), error: { code: e.code, message: e.message } };
    }
  }
}

const sameSpec = (a: ScheduleSpec, b: ScheduleSpec) => JSON.stringify(a) === JSON.stringify(b);

function warn(what: string, error: unknown): void {
  console.warn(`backup schedules: ${what}:`, error instanceof Error ? error.message : error);
}
