import type { SliceHandlers } from '../../../shared/contract';
import type { backupContract } from '../../../shared/contract/backup';
import type { Services } from '../../services';

export function backupHandlers(s: Services): SliceHandlers<typeof backupContract> {
  const b = s.backups;
  return {
    'backup.list': ({ profileId }) => b.list(profileId),
    'backup.show': ({ profileId, backupId }) => b.show(profileId, backupId),
    'backup.start': ({ profileId, scope, swarmId, format }) => Promise.resolve(b.start(profileId, scope, swarmId, format)),
    'backup.verify': ({ profileId, backupId, testRestore }) => b.verify(profileId, backupId, testRestore),
    'backup.preflight': ({ profileId, backupProfileId, backupId }) => b.preflight(profileId, backupProfileId ?? profileId, backupId),
    'backup.dryRun': ({ profileId, backupProfileId, backupId, selection, policies, samples }) =>
      b.dryRun(profileId, backupProfileId ?? profileId, backupId, selection, policies, samples),
    'backup.restore': ({ profileId, backupProfileId, backupId, selection, policies, verify }) =>
      b.restore(profileId, backupProfileId ?? profileId, backupId, selection, policies, verify),
    'backup.restores': ({ profileId }) => b.restores(profileId),
    'backup.undo': ({ profileId, restoreId }) => b.undo(profileId, restoreId),
    'backup.delete': ({ profileId, backupId }) => b.delete(profileId, backupId),
    'backup.retention.preview': ({ profileId, policy }) => b.retentionPreview(profileId, policy),
    'backup.retention.apply': ({ profileId, policy }) => b.retentionApply(profileId, policy),
    'backup.schedule.get': async ({ profileId }) => ({ schedule: await b.scheduleGet(profileId) }),
    'backup.schedule.set': ({ profileId, schedule }) => b.scheduleSet(profileId, schedule),
    'backup.schedule.status': ({ profileId }) => b.scheduleStatus(profileId),
    'backup.recovery.scan': ({ profileId }) => b.recoveryScan(profileId),
    'backup.recovery.apply': ({ profileId }) => b.recoveryApply(profileId),
    'backup.importRdb': ({ profileId, rdbPath }) => Promise.resolve(b.importRdb(profileId, rdbPath)),
  };
}
