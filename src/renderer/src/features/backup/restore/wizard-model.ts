import type { BackupKeyType, BackupSummary, DryRunView, RestorePolicies, RestoreSelectionInput } from '../../../../../shared/model/backup';
import type { JobView } from '../../../../../shared/model/job';
import { linesOf } from '../scope-form';

/** What the operator has chosen so far; each step reads and extends it. */
export interface RestoreChoice {
  backup?: BackupSummary;
  patterns: string;
  prefixes: string;
  types: BackupKeyType[];
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
  return { ...(patterns.length ? { patterns } : {}), ...(prefixes.length ? { prefixes } : {}), ...(c.types.length ? { types: c.types } : {}) };
}

export function policiesOf(c: RestoreChoice): RestorePolicies {
  return { conflict: c.conflict, ttl: c.ttl, ...(c.rename ? { intoPrefix: { from: c.renameFrom, to: c.renameTo.trim() } } : {}) };
}

/** Why the selection cannot be used, or undefined. */
export function selectionProblem(c: RestoreChoice): string | undefined {
  const bad = linesOf(c.patterns).find((p) => p.length > 1024);
  return bad ? 'A pattern is longer than 1024 characters' : undefined;
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
  if (c.conflict === 'fail' && d > 0) return `${d} ${d === 1 ? 'key differs' : 'keys differ'} and the conflict policy is "fail": go back and choose skip or replace`;
  if (dry.new.count + (c.conflict === 'replace' ? dry.different.count : 0) === 0) return 'Nothing would be written: every selected key is already there';
  return undefined;
}

/** How many keys the restore writes, so the snapshot step can say how many it saves first. */
export const keysToWrite = (c: RestoreChoice, dry: DryRunView): number => dry.new.count + (c.conflict === 'replace' ? dry.different.count + dry.identical.count : 0);

/**
 * A job's result once it is done. The contract names each job kind's result type (see
 * src/shared/contract/backup.ts); main builds it with that type, so this is where it is read back.
 */
export const resultOf = <T>(job: JobView | undefined): T | undefined => (job?.state === 'done' ? (job.result as T) : undefined);
