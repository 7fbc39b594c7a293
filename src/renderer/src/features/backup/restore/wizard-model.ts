import {
  SwarmIdSchema,
  type BackupComponent,
  type BackupKeyType,
  type BackupSummary,
  type DryRunView,
  type PreflightReport,
  type RestorePolicies,
  type RestoreSelectionInput,
} from '../../../../../shared/model/backup';
import type { JobView } from '../../../../../shared/model/job';
import { linesOf } from '../scope-form';

/** What the operator has chosen so far; each step reads and extends it. */
export interface RestoreChoice {
  backup?: BackupSummary;
  patterns: string;
  prefixes: string;
  types: BackupKeyType[];
  components: BackupComponent[];
  /** Swarms picked from the list. */
  swarmIds: string[];
  /** Swarms typed in (one per line): a swarm gone from the server is often the one to restore. */
  otherSwarms: string;
  conflict: RestorePolicies['conflict'];
  ttl: RestorePolicies['ttl'];
  rename: boolean;
  renameFrom: string;
  renameTo: string;
}

export const initialChoice = (backup?: BackupSummary): RestoreChoice => ({
  ...(backup ? { backup } : {}),
  patterns: '',
  prefixes: '',
  types: [],
  components: [],
  swarmIds: [],
  otherSwarms: '',
  // The safe defaults: nothing in the target is overwritten, and expired keys stay expired.
  conflict: 'skip',
  ttl: 'absolute',
  rename: false,
  renameFrom: '',
  renameTo: '',
});

export function selectionOf(c: RestoreChoice): RestoreSelectionInput {
  const patterns = linesOf(c.patterns);
  const prefixes = linesOf(c.prefixes);
  const swarmIds = swarmIdsOf(c);
  return {
    ...(patterns.length ? { patterns } : {}),
    ...(prefixes.length ? { prefixes } : {}),
    ...(c.types.length ? { types: c.types } : {}),
    ...(c.components.length ? { components: c.components } : {}),
    ...(swarmIds.length ? { swarmIds } : {}),
  };
}

const swarmIdsOf = (c: RestoreChoice): string[] => [...new Set([...c.swarmIds, ...linesOf(c.otherSwarms)])];

export function policiesOf(c: RestoreChoice): RestorePolicies {
  return { conflict: c.conflict, ttl: c.ttl, ...(c.rename ? { intoPrefix: { from: c.renameFrom, to: c.renameTo.trim() } } : {}) };
}

/** Why the selection cannot be used, or undefined. */
export function selectionProblem(c: RestoreChoice): string | undefined {
  if (linesOf(c.patterns).some((p) => p.length > 1024)) return 'A pattern is longer than 1024 characters';
  const badSwarm = swarmIdsOf(c).find((id) => !SwarmIdSchema.safeParse(id).success);
  return badSwarm === undefined ? undefined : `"${badSwarm}" is not a swarm id (letters, digits and _ . : - only)`;
}

export function policiesProblem(c: RestoreChoice): string | undefined {
  if (c.rename && c.renameTo.trim() === '') return 'Give the prefix the keys are restored under';
  if (c.rename && c.renameTo.trim() === c.renameFrom) return 'The new prefix is the old one: turn renaming off instead';
  return undefined;
}

/**
 * What the dry run says about going on: with conflict "fail" a single differing key would stop
 * the restore half-way, so the wizard sends the operator back to choose before anything is written.
 */
export function dryRunProblem(c: RestoreChoice, dry: DryRunView | undefined): string | undefined {
  if (!dry) return undefined;
  if (dry.selected === 0) return 'The selection matches no key of this backup: go back and widen it';
  const d = dry.different.count;
  if (c.conflict === 'fail' && d > 0)
    return `${d} ${d === 1 ? 'key differs' : 'keys differ'} and the conflict policy is "fail": go back and choose skip or replace`;
  if (dry.new.count + (c.conflict === 'replace' ? dry.different.count : 0) === 0)
    return 'Nothing would be written: every selected key is already there';
  return undefined;
}

/** How many keys the restore writes, so the snapshot step can say how many it saves first. */
export const keysToWrite = (c: RestoreChoice, dry: DryRunView): number =>
  dry.new.count + (c.conflict === 'replace' ? dry.different.count + dry.identical.count : 0);

/**
 * A job's result once it is done. The contract names each job kind's result type (see
 * src/shared/contract/backup.ts); main builds it with that type, so this is where it is read back.
 */
export const resultOf = <T>(job: JobView | undefined): T | undefined => (job?.state === 'done' ? (job.result as T) : undefined);

/** Why the dry-run step cannot be left yet, if it cannot. */
export function dryRunBlocker(job: JobView | undefined, c: RestoreChoice, dry: DryRunView | undefined): string | undefined {
  if (!job) return 'The dry run has not run';
  if (job.state === 'running') return 'The dry run is counting…';
  if (job.state !== 'done') return `The dry run ${job.state}: ${job.error?.message ?? 'go back and run it again'}`;
  return dryRunProblem(c, dry);
}

/** Why the preflight step cannot be left yet: no answer yet, no answer at all, or a failed check. */
export function preflightBlocker(preflight: { report?: PreflightReport; error?: string }): string | undefined {
  if (preflight.error !== undefined) return preflight.error;
  if (!preflight.report) return 'Checking the target…';
  if (preflight.report.ok) return undefined;
  return `Refused: ${preflight.report.checks
    .filter((c) => c.status === 'fail')
    .map((c) => c.message)
    .join('; ')}`;
}

/** Why the run step cannot be left for the report yet. */
export function runBlocker(job: JobView | undefined): string | undefined {
  if (!job) return 'Run the restore first';
  if (job.state === 'running') return 'Restoring…';
  return job.state === 'done' ? undefined : `The restore ${job.state}: ${job.error?.message ?? ''}`;
}
