import { create } from 'zustand';
import type { BackupSummary, RestoreRecord } from '../../../../shared/model/backup';
import type { JobView } from '../../../../shared/model/job';
import { useJobs } from '../../app/jobs-store';
import { transport } from '../../transport';

interface BackupsState {
  /** Per profile; undefined until the first answer, so "none yet" and "loading" differ. */
  lists: Record<string, BackupSummary[] | undefined>;
  restores: Record<string, RestoreRecord[] | undefined>;
  /** The newest backup job started from this window, per profile. */
  backupJob: Record<string, string | undefined>;
  /** A verify job per backup id, so each row shows its own progress. */
  verifyJobs: Record<string, string | undefined>;
  load(profileId: string): Promise<void>;
  loadRestores(profileId: string): Promise<void>;
  setBackupJob(profileId: string, job: JobView): void;
  setVerifyJob(backupId: string, job: JobView): void;
}

/** A job main just started is known before its first pushed event, so its bar shows at once. */
export const track = (job: JobView): JobView => {
  useJobs.getState().apply(job);
  return job;
};

export const useBackups = create<BackupsState>((set) => ({
  lists: {},
  restores: {},
  backupJob: {},
  verifyJobs: {},
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
  setBackupJob: (profileId, job) => set((s) => ({ backupJob: { ...s.backupJob, [profileId]: track(job).id } })),
  setVerifyJob: (backupId, job) => set((s) => ({ verifyJobs: { ...s.verifyJobs, [backupId]: track(job).id } })),
}));
