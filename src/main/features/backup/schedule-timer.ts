import { Cron } from 'croner';
import type { ScheduleSpec } from './schedule-spec';

/** One armed schedule: its timer, when it fires next, and how to stop it. */
export interface ArmedTimer {
  readonly spec: ScheduleSpec;
  /** When the next tick is due (Unix ms), if it is known. */
  nextRun(): number | undefined;
  stop(): void;
}

/**
 * Arms `spec`, calling `tick` at each of its times. Cron arithmetic (time zones, DST gaps and
 * repeats) is croner's. Both timers are unref'd: a CLI or a test that forgets to stop still
 * exits; the app's window and the web host's server keep their process alive.
 */
export function armTimer(spec: ScheduleSpec, tick: () => void): ArmedTimer {
  if (spec.kind === 'cron') {
    const cron = new Cron(spec.expression, { timezone: spec.timeZone, unref: true }, tick);
    return { spec, nextRun: () => cron.nextRun()?.getTime(), stop: () => cron.stop() };
  }
  let next = Date.now() + spec.everyMs;
  const timer = setInterval(() => {
    next = Date.now() + spec.everyMs;
    tick();
  }, spec.everyMs);
  timer.unref();
  return { spec, nextRun: () => next, stop: () => clearInterval(timer) };
}
