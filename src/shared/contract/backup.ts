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
 * DryRunView, backup.dryRunRdb → DryRunView, backup.restore → RestoreView, backup.undo → UndoView, backup.importRdb →
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

/** A job writes its own entry when it ends, with what it did; the call only starts it. */
const JOB_AUDITS = 'the job records its entry when it has done the work, with what it wrote';

export const backupContract = {
  'backup.list': op<BackupSummary[]>()(ByProfile),
  'backup.show': op<BackupDetail>()(z.strictObject(ByBackup)),
  'backup.start': op<JobView>()(
    z.strictObject({
      profileId: ProfileId,
      scope: BackupScopeSchema.default({ kind: 'all' }),
      /** A snapshot of one swarm's keys only (its keys share one slot). */
      swarmId: z
        .string()
        .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'Malformed swarm id')
        .optional(),
      format: z.enum(BACKUP_FORMATS).default('swarmdeck'),
    }),
    // It reads Redis and writes this home, so a read-only profile may take one.
    { effect: 'home', audit: { none: JOB_AUDITS } },
  ),
  'backup.verify': op<JobView>()(z.strictObject({ ...ByBackup, testRestore: z.boolean().default(false) })),
  'backup.preflight': op<PreflightReport>()(z.strictObject(RestoreSource)),
  'backup.dryRun': op<JobView>()(
    z.strictObject({
      ...RestoreSource,
      selection: RestoreSelectionSchema.default({}),
      policies: RestorePoliciesSchema,
      samples: z.number().int().min(0).max(100).default(10),
    }),
  ),
  /** A dry run straight from an `.rdb` file: imported into a temporary folder that goes when it ends, never a backup. */
  'backup.dryRunRdb': op<JobView>()(
    z.strictObject({
      profileId: ProfileId,
      rdbPath: RdbPath,
      selection: RestoreSelectionSchema.default({}),
      policies: RestorePoliciesSchema,
      samples: z.number().int().min(0).max(100).default(10),
    }),
  ),
  'backup.restore': op<JobView>()(
    z.strictObject({
      ...RestoreSource,
      selection: RestoreSelectionSchema.default({}),
      policies: RestorePoliciesSchema,
      verify: z.boolean().default(true),
      confirm: Confirm,
    }),
    { effect: 'write', guard: (_input, profile) => ({ action: 'backup.restore', target: profile.name }), audit: { none: JOB_AUDITS } },
  ),
  'backup.restores': op<RestoreRecord[]>()(ByProfile),
  // replaceChanged: also put back keys changed since the restore (by default they are named and left).
  'backup.undo': op<JobView>()(
    z.strictObject({ profileId: ProfileId, restoreId: BackupId, replaceChanged: z.boolean().optional(), confirm: Confirm }),
    {
      effect: 'write',
      guard: (_input, profile) => ({ action: 'backup.undo', target: profile.name }),
      audit: { none: JOB_AUDITS },
    },
  ),
  'backup.delete': op<{ deleted: string }>()(z.strictObject({ ...ByBackup, confirm: Confirm }), {
    effect: 'home',
    guard: (_input, profile) => ({ action: 'backup.delete', target: profile.name }),
    audit: ({ backupId }) => ({ action: 'backup.delete', target: backupId, detail: 'deleted' }),
  }),
  'backup.retention.preview': op<RetentionPlanView>()(z.strictObject({ profileId: ProfileId, policy: RetentionPolicySchema })),
  'backup.retention.apply': op<{ removed: string[] }>()(
    z.strictObject({ profileId: ProfileId, policy: RetentionPolicySchema, confirm: Confirm }),
    {
      effect: 'home',
      guard: (_input, profile) => ({ action: 'backup.prune', target: profile.name }),
      audit: ({ profileId }, { removed }) =>
        removed.length > 0 ? { action: 'backup.prune', target: profileId, detail: removed.join(' '), affected: removed.length } : undefined,
    },
  ),
  'backup.schedule.get': op<{ schedule: BackupSchedule | null }>()(ByProfile),
  /** `null` removes the schedule: no more backups of the profile, so it counts as destructive. */
  'backup.schedule.set': op<ScheduleStatus>()(
    z.strictObject({ profileId: ProfileId, schedule: BackupScheduleSchema.nullable(), confirm: Confirm }),
    {
      effect: 'home',
      guard: ({ schedule }, profile) => ({ action: schedule === null ? 'backup.unschedule' : 'backup.schedule', target: profile.name }),
      audit: ({ profileId, schedule }) => ({
        action: schedule === null ? 'backup.unschedule' : 'backup.schedule',
        target: profileId,
        detail:
          schedule === null
            ? 'removed'
            : schedule.kind === 'interval'
              ? `every ${schedule.everyMs} ms`
              : `cron ${schedule.expression}${schedule.timeZone ? ` ${schedule.timeZone}` : ''}`,
      }),
    },
  ),
  'backup.schedule.status': op<ScheduleStatus>()(ByProfile),
  'backup.recovery.scan': op<RecoveryPlanView>()(ByProfile),
  'backup.recovery.apply': op<RecoveryReportView>()(z.strictObject({ profileId: ProfileId, confirm: Confirm }), {
    effect: 'write',
    guard: (_input, profile) => ({ action: 'recovery.apply', target: profile.name }),
    audit: ({ profileId }, r) => ({
      action: 'recovery.apply',
      target: profileId,
      detail: `${r.applied} fixed, ${r.skipped} skipped, ${r.failed.length} failed`,
      affected: r.applied,
    }),
  }),
  'backup.importRdb': op<JobView>()(z.strictObject({ profileId: ProfileId, rdbPath: RdbPath }), {
    effect: 'home',
    audit: { none: JOB_AUDITS },
  }),
} as const;
