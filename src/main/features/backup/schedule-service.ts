import type { BackupSchedule, ScheduleStatus } from '../../../shared/model/backup';
import type { HostKind } from '../../actor';
import { BackupScheduler } from './schedule';

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * The operator's view of backup schedules: one per profile, kept in the home, run by one host
 * per home at a time (see schedule.ts); every host answers the same status.
 */
export class ScheduleService {
  private readonly scheduler: BackupScheduler;

  constructor(
    home: string,
    run: (profileId: string) => Promise<void>,
    private readonly assertProfile: (profileId: string) => Promise<unknown>,
  ) {
    this.scheduler = new BackupScheduler({ home, run });
  }

  /**
   * Runs the saved schedules, or follows the host that already does. Long-running hosts (the
   * window, the web host) call it at boot, naming themselves; a one-shot CLI command never
   * does, so it cannot start a backup by accident.
   */
  start(via: HostKind): Promise<void> {
    return this.scheduler.start(via);
  }

  stop(): Promise<void> {
    return this.scheduler.stop();
  }

  async get(profileId: string): Promise<BackupSchedule | null> {
    return (await this.scheduler.list()).find((s) => s.profileId === profileId)?.spec ?? null;
  }

  async set(profileId: string, schedule: BackupSchedule | null): Promise<ScheduleStatus> {
    await this.assertProfile(profileId);
    if (schedule === null) await this.scheduler.remove(profileId);
    else await this.scheduler.set(profileId, schedule);
    return this.status(profileId);
  }

  async status(profileId: string): Promise<ScheduleStatus> {
    await this.scheduler.refresh();
    const st = this.scheduler.status(profileId);
    const last = st.lastResult;
    const runner = st.runner;
    return {
      schedule: await this.get(profileId),
      runner: runner
        ? { pid: runner.pid, host: runner.host, via: runner.via, since: new Date(runner.since).toISOString(), self: runner.self }
        : null,
      lastRun: iso(st.lastRun),
      lastResult: last
        ? {
            ok: last.ok,
            finishedAt: new Date(last.finishedAt).toISOString(),
            ...(last.error ? { error: { code: last.error.code, message: last.error.message } } : {}),
          }
        : null,
      nextRun: iso(st.nextRun),
      missed: st.missed,
      running: st.running,
    };
  }
}
