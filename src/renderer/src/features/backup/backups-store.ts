import { create } from 'zustand';
import type { OpInput, OpOutput } from '../../../../shared/contract';
import type {
  BackupSchedule,
  BackupSummary,
  RecoveryPlanView,
  RestoreRecord,
  RetentionPlanView,
  RetentionPolicy,
  ScheduleStatus,
} from '../../../../shared/model/backup';
import type { JobView } from '../../../../shared/model/job';
import { useJobs } from '../../app/jobs-store';
import { transport } from '../../transport';

/** A retention preview and the policy it was made for: it is shown only while the form still says that policy. */
export interface RetentionPreview {
  policy: RetentionPolicy;
  plan: RetentionPlanView;
}

export const samePolicy = (a: RetentionPolicy, b: RetentionPolicy): boolean =>
  a.daily === b.daily && a.weekly === b.weekly && a.monthly === b.monthly && a.timeZone === b.timeZone;

interface BackupsState {
  /** Per profile; undefined until the first answer, so "none yet" and "loading" differ. */
  lists: Record<string, BackupSummary[] | undefined>;
  restores: Record<string, RestoreRecord[] | undefined>;
  /** The newest backup job started from this window, per profile. */
  backupJob: Record<string, string | undefined>;
  /** A verify job per backup id, so each row shows its own progress. */
  verifyJobs: Record<string, string | undefined>;
  /** Per profile: main's schedule and how its runs went; undefined until the first answer. */
  schedules: Record<string, ScheduleStatus | undefined>;
  retention: Record<string, RetentionPreview | undefined>;
  load(profileId: string): Promise<void>;
  loadRestores(profileId: string): Promise<void>;
  /** Resolves to what it read, so a form can be filled from it once. */
  loadSchedule(profileId: string): Promise<ScheduleStatus>;
  /** Sets or (null) removes the schedule; a refusal reaches the caller. */
  setSchedule(profileId: string, schedule: BackupSchedule | null, confirm?: string): Promise<void>;
  /** Which backups a policy would remove; a failure reaches the caller and keeps the preview it had. */
  previewRetention(profileId: string, policy: RetentionPolicy): Promise<void>;
  /** Starts a backup and tracks its job; a refusal reaches the caller. */
  start(input: OpInput<'backup.start'>): Promise<void>;
  /** Starts a verify of one backup and tracks its job on that row. */
  verify(profileId: string, backupId: string, testRestore: boolean): Promise<void>;
  remove(profileId: string, backupId: string, confirm?: string): Promise<void>;
  /** Deletes what the policy removes; resolves to the ids removed. */
  prune(profileId: string, policy: RetentionPolicy, confirm?: string): Promise<string[]>;
  /**
   * Reads what automatic recovery would fix. The plan is the page's, not kept here: it belongs to
   * one visit of the page, and a profile switched away from and back to is scanned again.
   */
  scanRecovery(profileId: string): Promise<RecoveryPlanView>;
  applyRecovery(profileId: string, confirm?: string): Promise<OpOutput<'backup.recovery.apply'>>;
  /** Starts the undo of a restore and tracks its job. */
  undo(input: OpInput<'backup.undo'>): Promise<void>;
  setBackupJob(profileId: string, job: JobView): void;
  setVerifyJob(backupId: string, job: JobView): void;
}

/** A job main just started is known before its first pushed event, so its bar shows at once. */
export const track = (job: JobView): JobView => {
  useJobs.getState().apply(job);
  return job;
};

export const useBackups = create<BackupsState>((set, get) => ({
  lists: {},
  restores: {},
  backupJob: {},
  verifyJobs: {},
  schedules: {},
  retention: {},
  load: async (profileId) => {
    const list = await transport.call('backup.list', { profileId });
    // Newest first: the operator looks for the latest good backup.
    list.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    set((s) => ({ lists: { ...s.lists, [profileId]: list } }));
  },
  loadRestores: async (profileId) => {
    const restores = await transport.call('backup.restores', { profileId });
    restores.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    set((s) => ({ restores: { ...s.restores, [profileId]: restores } }));
  },
  loadSchedule: async (profileId) => {
    const status = await transport.call('backup.schedule.status', { profileId });
    set((s) => ({ schedules: { ...s.schedules, [profileId]: status } }));
    return status;
  },
  setSchedule: async (profileId, schedule, confirm) => {
    const status = await transport.call('backup.schedule.set', { profileId, schedule, ...(confirm ? { confirm } : {}) });
    set((s) => ({ schedules: { ...s.schedules, [profileId]: status } }));
  },
  previewRetention: async (profileId, policy) => {
    const plan = await transport.call('backup.retention.preview', { profileId, policy });
    set((s) => ({ retention: { ...s.retention, [profileId]: { policy, plan } } }));
  },
  start: async (input) => get().setBackupJob(input.profileId, await transport.call('backup.start', input)),
  verify: async (profileId, backupId, testRestore) =>
    get().setVerifyJob(backupId, await transport.call('backup.verify', { profileId, backupId, testRestore })),
  remove: async (profileId, backupId, confirm) => {
    await transport.call('backup.delete', { profileId, backupId, ...(confirm ? { confirm } : {}) });
  },
  prune: async (profileId, policy, confirm) =>
    (await transport.call('backup.retention.apply', { profileId, policy, ...(confirm ? { confirm } : {}) })).removed,
  scanRecovery: (profileId) => transport.call('backup.recovery.scan', { profileId }),
  applyRecovery: (profileId, confirm) => transport.call('backup.recovery.apply', { profileId, ...(confirm ? { confirm } : {}) }),
  undo: async (input) => void track(await transport.call('backup.undo', input)),
  setBackupJob: (profileId, job) => set((s) => ({ backupJob: { ...s.backupJob, [profileId]: track(job).id } })),
  setVerifyJob: (backupId, job) => set((s) => ({ verifyJobs: { ...s.verifyJobs, [backupId]: track(job).id } })),
}));
