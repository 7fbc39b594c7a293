import type { SliceHandlers } from '../../../shared/contract';
import type { backupContract } from '../../../shared/contract/backup';
import type { Services } from '../../services';

export function backupHandlers(s: Services): SliceHandlers<typeof backupContract> {
  const b = s.backups;
  const { restores, retention, schedules, recovery } = b;
  return {
    'backup.list': ({ profileId }) => b.list(profileId),
    'backup.show': ({ profileId, backupId }) => b.show(profileId, backupId),
    'backup.start': ({ profileId, scope, swarmId, format }) => Promise.resolve(b.start(profileId, scope, swarmId, format)),
    'backup.verify': ({ profileId, backupId, testRestore }) => b.verify(profileId, backupId, testRestore),
    'backup.preflight': ({ profileId, backupProfileId, backupId }) => restores.preflight(profileId, backupProfileId ?? profileId, backupId),
    'backup.dryRun': ({ profileId, backupProfileId, backupId, selection, policies, samples }) =>
      restores.dryRun(profileId, { backupProfileId: backupProfileId ?? profileId, backupId, selection, policies }, samples),
    'backup.dryRunRdb': ({ profileId, rdbPath, selection, policies, samples }) =>
      Promise.resolve(b.dryRunRdb(profileId, rdbPath, { selection, policies }, samples)),
    'backup.restore': ({ profileId, backupProfileId, backupId, selection, policies, verify }) =>
      restores.restore(profileId, { backupProfileId: backupProfileId ?? profileId, backupId, selection, policies }, verify),
    'backup.restores': ({ profileId }) => restores.list(profileId),
    'backup.undo': ({ profileId, restoreId, replaceChanged }) => restores.undo(profileId, restoreId, replaceChanged === true),
    'backup.delete': ({ profileId, backupId }) => b.delete(profileId, backupId),
    'backup.retention.preview': ({ profileId, policy }) => retention.preview(profileId, policy),
    'backup.retention.apply': ({ profileId, policy }) => retention.apply(profileId, policy),
    'backup.schedule.get': async ({ profileId }) => ({ schedule: await schedules.get(profileId) }),
    'backup.schedule.set': ({ profileId, schedule }) => schedules.set(profileId, schedule),
    'backup.schedule.status': ({ profileId }) => schedules.status(profileId),
    'backup.recovery.scan': ({ profileId }) => recovery.scan(profileId),
    'backup.recovery.apply': ({ profileId }) => recovery.apply(profileId),
    'backup.importRdb': ({ profileId, rdbPath }) => Promise.resolve(b.importRdb(profileId, rdbPath)),
  };
}
