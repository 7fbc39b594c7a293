import { z } from 'zod';
import type { JobView } from '../model/job';
import {
  BACKUP_FORMATS,
  BackupScheduleSchema,
  BackupScopeSchema,
  RestorePoliciesSchema,
  RestoreSelectionSchema,
  RetentionPolicySchema,
  type BackupDetail,
  type BackupSummary,
  type PreflightReport,
  type RecoveryPlanView,
  type RecoveryReportView,
  type RestoreRecord,
  type RetentionPlanView,
  type BackupSchedule,
  type ScheduleStatus,
} from '../model/backup';
import { ByProfile, Confirm, ProfileId, op } from './op';

/**
 * Backups and restore. Every long operation returns the JobView of a job (`jobs.get`, the
 * pushed `job` events and `jobs.cancel` follow it); its result, once done, is the type named
 * beside the op: backup.start → BackupRunResult, backup.verify → VerifyResult, backup.dryRun →
 * DryRunView, backup.restore → RestoreView, backup.undo → UndoView, backup.importRdb →
 * BackupRunResult. Backups are addressed by the profile they were taken of plus their id;
 * a file path is only ever the `.rdb` file the operator chose.
 */

export const BackupId = z.string().regex(/^[0-9]{8}T[0-9]{9}Z-[a-z0-9]{6}$/, 'Malformed backup id');
const ByBackup = { profileId: ProfileId, backupId: BackupId };
/** A backup of `backupProfileId` restored into `profileId` (the same profile when omitted). */
const RestoreSource = { profileId: ProfileId, backupProfileId: ProfileId.optional(), backupId: BackupId };
const RdbPath = z
  .string()
  .trim()
  .min(5)
  .max(4096)
  .refine((p) => p.toLowerCase().endsWith('.rdb'), 'Must be a path to an .rdb file')
  .refine((p) => !p.includes('\0'), 'Must not contain NUL');

export const backupContract = {
  'backup.list': op<BackupSummary[]>()(ByProfile),
  'backup.show': op<BackupDetail>()(z.strictObject(ByBackup)),
  'backup.start': op<JobView>()(
    z.strictObject({
      profileId: ProfileId,
      scope: BackupScopeSchema.default({ kind: 'all' }),
      /** A snapshot of one swarm's keys only (its keys share one slot). */
      swarmId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'Malformed swarm id').optional(),
      format: z.enum(BACKUP_FORMATS).default('swarmdeck'),
    }),
    true,
  ),
  'backup.verify': op<JobView>()(z.strictObject({ ...ByBackup, testRestore: z.boolean().default(false) })),
  'backup.preflight': op<PreflightReport>()(z.strictObject(RestoreSource)),
  'backup.dryRun': op<JobView>()(
    z.strictObject({ ...RestoreSource, selection: RestoreSelectionSchema.default({}), policies: RestorePoliciesSchema, samples: z.number().int().min(0).max(100).default(10) }),
  ),
  'backup.restore': op<JobView>()(
    z.strictObject({ ...RestoreSource, selection: RestoreSelectionSchema.default({}), policies: RestorePoliciesSchema, verify: z.boolean().default(true), confirm: Confirm }),
    true,
  ),
  'backup.restores': op<RestoreRecord[]>()(ByProfile),
  'backup.undo': op<JobView>()(z.strictObject({ profileId: ProfileId, restoreId: BackupId, confirm: Confirm }), true),
  'backup.delete': op<{ deleted: string }>()(z.strictObject({ ...ByBackup, confirm: Confirm }), true),
  'backup.retention.preview': op<RetentionPlanView>()(z.strictObject({ profileId: ProfileId, policy: RetentionPolicySchema })),
  'backup.retention.apply': op<{ removed: string[] }>()(z.strictObject({ profileId: ProfileId, policy: RetentionPolicySchema, confirm: Confirm }), true),
  'backup.schedule.get': op<{ schedule: BackupSchedule | null }>()(ByProfile),
  'backup.schedule.set': op<ScheduleStatus>()(z.strictObject({ profileId: ProfileId, schedule: BackupScheduleSchema.nullable() }), true),
  'backup.schedule.status': op<ScheduleStatus>()(ByProfile),
  'backup.recovery.scan': op<RecoveryPlanView>()(ByProfile),
  'backup.recovery.apply': op<RecoveryReportView>()(z.strictObject({ profileId: ProfileId, confirm: Confirm }), true),
  'backup.importRdb': op<JobView>()(z.strictObject({ profileId: ProfileId, rdbPath: RdbPath }), true),
} as const;
