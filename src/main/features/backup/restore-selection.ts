/**
 * The operator's restore request (components, swarms, patterns, policies) as the engine's plan,
 * checked before the job starts, so that a bad request is a typed error, not a failed job.
 */
import { SwarmdeckError } from '../../../shared/errors';
import { BACKUP_COMPONENTS, type RestorePolicies, type RestoreSelectionInput } from '../../../shared/model/backup';
import type { Session } from '../../redis/connection-manager';
import { auditKey, componentPatterns, isValidName, restoreLockKey, swarmKeys } from '../../redis/keyspace';
import { sourceOf } from './backup-views';
import { assertPattern, type Manifest } from './format';
import { openBackup } from './reader';
import type { RestorePlanOptions, RestoreSelection } from './restore-plan';

export interface RestoreRequest {
  backupProfileId: string;
  backupId: string;
  selection: RestoreSelectionInput;
  policies: RestorePolicies;
}

/** The plan for restoring into `session`; `keyPrefixOf` names the key prefix of the profile a backup was taken of. */
export async function restorePlan(
  root: string,
  session: Session,
  request: RestoreRequest,
  keyPrefixOf: (profileId: string) => Promise<string>,
): Promise<RestorePlanOptions> {
  const { backupProfileId, backupId, selection, policies } = request;
  selection.patterns?.forEach((p, i) => assertPattern(p, `selection.patterns.${i}`));
  const { manifest } = await openBackup(root, backupProfileId, backupId);
  // Asked only when the selection needs it: the backup's profile may be gone from this home.
  const prefix = () => (backupProfileId === session.profile.id ? Promise.resolve(session.profile.keyPrefix) : keyPrefixOf(backupProfileId));
  return {
    root,
    backup: { profileId: backupProfileId, id: backupId },
    target: session.client,
    targetProfile: sourceOf(session.profile),
    select: withBackupScope(await keySelection(prefix, selection), manifest),
    conflict: policies.conflict,
    ttl: policies.ttl,
    ...(policies.intoPrefix ? { rewrite: policies.intoPrefix } : {}),
    // The audit stream records what operators did, this restore included: never rolled back. The
    // restore lock belongs to whoever restores now; one copied from a backup would hold the target for good.
    keep: [Buffer.from(auditKey(session.profile.keyPrefix)), Buffer.from(restoreLockKey(session.profile.keyPrefix))],
    keyPrefix: session.profile.keyPrefix,
  };
}

/**
 * Components and swarms become patterns and prefixes under the key prefix of the profile the
 * backup was taken of: the selection names keys as they are in the backup, before any rename.
 */
async function keySelection(prefixOf: () => Promise<string>, selection: RestoreSelectionInput): Promise<RestoreSelection> {
  const { components = [], swarmIds = [], ...rest } = selection;
  if (components.length === 0 && swarmIds.length === 0) return rest;
  const prefix = await prefixOf();
  swarmIds.forEach((id, i) => {
    if (!isValidName(id))
      throw new SwarmdeckError('VALIDATION', `Malformed swarm id: ${id}`, {
        fields: [{ path: `selection.swarmIds.${i}`, message: 'Malformed swarm id' }],
      });
  });
  const all = componentPatterns(prefix);
  const patterns = [...(rest.patterns ?? []), ...BACKUP_COMPONENTS.filter((c) => components.includes(c)).flatMap((c) => all[c])];
  const prefixes = [...(rest.prefixes ?? []), ...swarmIds.map((id) => swarmKeys(prefix, id).base)];
  return { ...rest, ...(patterns.length ? { patterns } : {}), ...(prefixes.length ? { prefixes } : {}) };
}

/**
 * Without patterns or prefixes of its own, a restore covers what the backup covered: every
 * record matches that scope anyway, and "only in the target" must mean keys of that scope the
 * backup does not hold, not every other key on the server.
 */
function withBackupScope(selection: RestoreSelection, m: Manifest): RestoreSelection {
  if ((selection.patterns?.length ?? 0) > 0 || (selection.prefixes?.length ?? 0) > 0) return selection;
  if (m.scope.kind === 'patterns') return { ...selection, patterns: m.scope.patterns };
  if (m.scope.kind === 'prefixes')
    return { ...selection, prefixes: m.scope.prefixes.map((p) => (p.encoding === 'hex' ? Buffer.from(p.value, 'hex') : p.value)) };
  return selection;
}
