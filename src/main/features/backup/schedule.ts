/**
 * Backup schedules: per profile an interval or a cron expression in a time zone, kept in the
 * home so every host (app, web host, CLI) sees the same ones, and run while the app is open.
 * Cron arithmetic (time zones, DST gaps and repeats) is croner's; ticks, overlap and status
 * are ours, because a skipped tick must be counted, not silently absorbed.
 */
import { join } from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
import { SwarmdeckError, type ErrorPayload } from '../../../shared/errors';
import { homeLock } from '../../home';
import { JsonFile } from '../../json-file';
import { assertProfileId } from './format';

/** Below this an "interval" is a busy loop, not a backup schedule. */
export const MIN_INTERVAL_MS = 100;

const ScheduleSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('interval'), everyMs: z.number().int().min(MIN_INTERVAL_MS) }),
  z.object({ kind: z.literal('cron'), expression: z.string().min(1).max(200), timeZone: z.string().min(1).max(100).optional() }),
]);
export type ScheduleSpec = z.infer<typeof ScheduleSpecSchema>;

// Loose, so fields written by a newer version survive a write by this one.
const SchedulesDocSchema = z.looseObject({
  version: z.literal(1),
  schedules: z.record(z.string(), ScheduleSpecSchema),
});
type SchedulesDoc = z.infer<typeof SchedulesDocSchema>;

export type RunResult = { ok: true; finishedAt: number } | { ok: false; finishedAt: number; error: ErrorPayload };

export interface ScheduleStatus {
  /** When the last run started (Unix ms). */
  lastRun?: number;
  lastResult?: RunResult;
  /** When the next tick is due (Unix ms); absent when not scheduled or stopped. */
  nextRun?: number;
  /** Ticks skipped because the previous run was still going. */
  missed: number;
  running: boolean;
}

export interface BackupSchedulerOptions {
  home: string;
  /** Runs one scheduled backup of the profile; its rejection becomes `lastResult`. */
  run: (profileId: string) => Promise<unknown>;
}

interface Armed {
  spec: ScheduleSpec;
  cron?: Cron;
  interval?: { timer: NodeJS.Timeout; next: number; everyMs: number };
}

interface Runtime {
  running?: Promise<void>;
  lastRun?: number;
  lastResult?: RunResult;
  missed: number;
}

/** Refuses what croner would refuse later, at the moment the operator types it. */
export function assertScheduleSpec(spec: ScheduleSpec): void {
  const parsed = ScheduleSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SwarmdeckError('VALIDATION', `Invalid schedule: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(), {
      fields: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    });
  }
  if (spec.kind !== 'cron') return;
  if (spec.timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: spec.timeZone });
    } catch {
      throw new SwarmdeckError('VALIDATION', `Unknown time zone ${JSON.stringify(spec.timeZone)}`, {
        fields: [{ path: 'timeZone', message: 'Not an IANA time zone' }],
      });
    }
  }
  try {
    new Cron(spec.expression, { paused: true, timezone: spec.timeZone }).stop();
  } catch (error) {
    throw new SwarmdeckError('VALIDATION', `Invalid cron expression ${JSON.stringify(spec.expression)}: ${(error as Error).message}`, {
      fields: [{ path: 'expression', message: (error as Error).message }],
    });
  }
}

export class BackupScheduler {
  private readonly file: JsonFile<SchedulesDoc>;
  private readonly armed = new Map<string, Armed>();
  private readonly runtime = new Map<string, Runtime>();
  private started = false;

  constructor(private readonly options: BackupSchedulerOptions) {
    this.file = new JsonFile(
      join(options.home, 'backup-schedules.json'),
      SchedulesDocSchema,
      () => ({ version: 1, schedules: {} }),
      homeLock(options.home),
    );
  }

  async list(): Promise<{ profileId: string; spec: ScheduleSpec }[]> {
    const doc = await this.file.read();
    return Object.entries(doc.schedules).map(([profileId, spec]) => ({ profileId, spec }));
  }

  /** Saves (or replaces) the profile's schedule; a started scheduler follows it at once. */
  async set(profileId: string, spec: ScheduleSpec): Promise<void> {
    assertProfileId(profileId);
    assertScheduleSpec(spec);
    await this.file.update((doc) => {
      doc.schedules[profileId] = spec;
    });
    if (this.started) this.arm(profileId, spec);
  }

  async remove(profileId: string): Promise<void> {
    await this.file.update((doc) => {
      delete doc.schedules[profileId];
    });
    this.disarm(profileId);
  }

  /** Arms every saved schedule; idempotent. A schedule another host saved since is picked up by calling it again. */
  async start(): Promise<void> {
    this.started = true;
    const saved = await this.list();
    const ids = new Set(saved.map((s) => s.profileId));
    for (const id of [...this.armed.keys()]) if (!ids.has(id)) this.disarm(id);
    for (const { profileId, spec } of saved) {
      const current = this.armed.get(profileId);
      if (!current || JSON.stringify(current.spec) !== JSON.stringify(spec)) this.arm(profileId, spec);
    }
  }

  /** Disarms every timer and waits for the runs still going (they are not cancelled: a backup finishes or fails on its own). */
  async stop(): Promise<void> {
    this.started = false;
    for (const id of [...this.armed.keys()]) this.disarm(id);
    await Promise.all([...this.runtime.values()].map((r) => r.running));
  }

  status(profileId: string): ScheduleStatus {
    const r = this.runtime.get(profileId);
    const a = this.armed.get(profileId);
    const next = a?.cron ? a.cron.nextRun()?.getTime() : a?.interval?.next;
    return {
      ...(r?.lastRun !== undefined ? { lastRun: r.lastRun } : {}),
      ...(r?.lastResult ? { lastResult: r.lastResult } : {}),
      ...(next !== undefined ? { nextRun: next } : {}),
      missed: r?.missed ?? 0,
      running: r?.running !== undefined,
    };
  }

  private arm(profileId: string, spec: ScheduleSpec): void {
    this.disarm(profileId);
    const armed: Armed = { spec };
    if (spec.kind === 'cron') {
      // unref: a CLI or a test that forgets stop() still exits; the app's window keeps the process alive.
      armed.cron = new Cron(spec.expression, { timezone: spec.timeZone, unref: true }, () => this.tick(profileId));
    } else {
      const everyMs = spec.everyMs;
      const state = {
        next: Date.now() + everyMs,
        everyMs,
        timer: setInterval(() => {
          state.next = Date.now() + everyMs;
          this.tick(profileId);
        }, everyMs),
      };
      state.timer.unref();
      armed.interval = state;
    }
    this.armed.set(profileId, armed);
  }

  private disarm(profileId: string): void {
    const a = this.armed.get(profileId);
    a?.cron?.stop();
    if (a?.interval) clearInterval(a.interval.timer);
    this.armed.delete(profileId);
  }

  private tick(profileId: string): void {
    const r = this.runtime.get(profileId) ?? { missed: 0 };
    this.runtime.set(profileId, r);
    if (r.running) {
      r.missed += 1;
      return;
    }
    r.lastRun = Date.now();
    r.running = Promise.resolve()
      .then(() => this.options.run(profileId))
      .then(
        () => {
          r.lastResult = { ok: true, finishedAt: Date.now() };
        },
        (error: unknown) => {
          const e = error instanceof SwarmdeckError ? error : new SwarmdeckError('INTERNAL', (error as Error)?.message ?? String(error));
          r.lastResult = { ok: false, finishedAt: Date.now(), error: e.toPayload() };
        },
      )
      .finally(() => {
        r.running = undefined;
      });
  }
}
