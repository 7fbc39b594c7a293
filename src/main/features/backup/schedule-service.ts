import type { BackupSchedule, ScheduleStatus } from '../../../shared/model/backup';
import { BackupScheduler } from './schedule';

/** The operator's view of backup schedules: one per profile, kept in the home, run by the hosts that arm them. */
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
   * Arms the saved schedules. Long-running hosts (the window, the web host) call it at boot; a
   * one-shot CLI command never does, so it cannot start a backup by accident.
   */
  start(): Promise<void> {
    return this.scheduler.start();
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
    const st = this.scheduler.status(profileId);
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    const last = st.lastResult;
    return {
      schedule: await this.get(profileId),
      lastRun: iso(st.lastRun),
      lastResult: last
        ? {
            ok: last.ok,
            finishedAt: new Date(last.finishedAt).toISOString(),
            ...(last.ok ? {} : { error: { code: last.error.code, message: last.error.message } }),
          }
        : null,
      nextRun: iso(st.nextRun),
      missed: st.missed,
      running: st.running,
    };
  }
}
