/**
 * The backup and restore engine: plain Node, no Electron. Contract operations, the CLI and
 * the wizard sit on top of these functions; docs/backup-format.md specifies the files.
 */
export {
  createBackup,
  scopePatterns,
  type BackupOptions,
  type BackupProgress,
  type BackupResult,
  type BackupScope,
  type SourceProfile,
} from './writer';
export { listBackups, openBackup, readRecords, type OpenBackup } from './reader';
export { verifyBackup, type VerifyReport } from './verify';
export type { RestorePlanOptions, RestoreSelection } from './restore-plan';
export { dryRunRestore, type DryRunReport } from './dry-run';
export { restoreBackup, type RestoreOptions, type RestoreProgress, type RestoreReport } from './restore';
export { readWrittenLog } from './restore-journal';
export { undoRestore, type UndoOptions, type UndoReport } from './undo';
export { samePayloadContent } from './compare';
export { FORMAT_VERSION, rdbVersionOfPayload, rdbVersionOfRedis, type BackupRecord, type KeyType, type Manifest } from './format';
export { Crc64 } from '../../redis/rdb/crc64';
export { exportRdb, importRdb, rdbVersionOfFile, type ExportRdbOptions, type ImportRdbOptions, type RdbProgress } from './rdb';
export {
  DEFAULT_RETENTION,
  planRetention,
  type RetainedBackup,
  type RetentionPlan,
  type RetentionPolicy,
  type RetentionSeries,
} from './retention';
export {
  BackupScheduler,
  MIN_INTERVAL_MS,
  assertScheduleSpec,
  type BackupSchedulerOptions,
  type RunResult,
  type ScheduleSpec,
  type ScheduleStatus,
} from './schedule';
export {
  applyRecovery,
  scanRecovery,
  type RecoveryFinding,
  type RecoveryItem,
  type RecoveryPlan,
  type RecoveryReport,
  type ScanRecoveryOptions,
} from './recovery';
