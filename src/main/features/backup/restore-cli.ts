/** The restore commands: restore a backup (or an .rdb file), list the restores with their undo ids, undo one. */
import { basename, resolve } from 'node:path';
import { SwarmdeckError } from '../../../shared/errors';
import {
  CONFLICT_POLICIES,
  TTL_POLICIES,
  type BackupComponent,
  type BackupRunResult,
  type DryRunView,
  type RestorePolicies,
  type RestoreRecord,
  type RestoreSelectionInput,
  type RestoreView,
  type UndoView,
} from '../../../shared/model/backup';
import { UsageError, type CliCommand } from '../../hosts/cli/command';
import { connectTarget, resolveTarget, stringFlag, type Context } from '../../hosts/cli/context';
import { table } from '../../hosts/cli/output';
import { follow, locate, oneOf } from './cli-support';

function policiesFromFlags(ctx: Context): RestorePolicies {
  const into = stringFlag(ctx.flags, 'into-prefix');
  const eq = into?.indexOf('=') ?? -1;
  return {
    conflict: oneOf(stringFlag(ctx.flags, 'policy'), CONFLICT_POLICIES, '--policy', 'fail'),
    ttl: oneOf(stringFlag(ctx.flags, 'ttl'), TTL_POLICIES, '--ttl', 'absolute'),
    // FROM=TO renames a prefix; a bare P is put in front of every key.
    ...(into === undefined ? {} : { intoPrefix: eq >= 0 ? { from: into.slice(0, eq), to: into.slice(eq + 1) } : { from: '', to: into } }),
  };
}

/** A comma list; given but naming nothing (`--swarm ""`, an unset shell variable) is refused, never read as "all". */
function listFlag(ctx: Context, name: string): string[] {
  const given = stringFlag(ctx.flags, name);
  if (given === undefined) return [];
  const words = given
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  if (words.length === 0)
    throw new SwarmdeckError('VALIDATION', `--${name} names nothing: give at least one, or leave the flag out to restore everything`, {
      fields: [{ path: name, message: 'Empty list' }],
    });
  return words;
}

/**
 * What to restore, as the wizard sends it: a pattern, components and whole swarms add up. The
 * words are passed on as they are: the contract names an unknown component or a malformed swarm id.
 */
function selectionFromFlags(ctx: Context): RestoreSelectionInput {
  const match = stringFlag(ctx.flags, 'match');
  const components = listFlag(ctx, 'components') as BackupComponent[];
  const swarmIds = listFlag(ctx, 'swarm');
  return {
    ...(match ? { patterns: [match] } : {}),
    ...(components.length ? { components } : {}),
    ...(swarmIds.length ? { swarmIds } : {}),
  };
}

const kindLine = (name: string, k: { count: number; samples: { text: string }[] }) =>
  `${name.padEnd(15)} ${String(k.count).padStart(8)}  ${k.samples.map((s) => s.text).join(', ')}`;

const dryRunText = (what: string, into: string, d: DryRunView) =>
  [
    `dry run of ${what} into ${into}: ${d.selected} selected, ${d.expired} expired`,
    kindLine('new', d.new),
    kindLine('identical', d.identical),
    kindLine('different', d.different),
    kindLine('only in target', d.onlyInTarget),
  ].join('\n');

function restoreText(r: RestoreView): string {
  const v = r.verification;
  return [
    `restore ${r.status}: ${r.writtenCount} written, ${r.skippedExisting} skipped (existing), ${r.skippedExpired} skipped (expired) in ${r.durationMs} ms`,
    v
      ? `verified ${v.checked} keys, ${v.mismatchedCount} differ${v.mismatched.length ? `: ${v.mismatched.map((k) => k.text).join(', ')}` : ''}`
      : 'not verified',
    r.restoreId ? `undo it with: swarmdeck undo ${r.restoreId}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** The backup to restore, by (profile, id): a file of the home, a copy elsewhere, or an .rdb file imported first. */
async function sourceOf(ctx: Context, file: string, profileId: string): Promise<{ profileId: string; backupId: string }> {
  if (!file.toLowerCase().endsWith('.rdb')) return locate(ctx, file);
  const started = await ctx.api.call('backup.importRdb', { profileId, rdbPath: resolve(file) });
  return { profileId, backupId: (await follow<BackupRunResult>(ctx, started)).backup.id };
}

const restoreCommand: CliCommand<Context> = {
  words: ['restore'],
  usage: [
    'restore FILE [--dry-run] [--policy fail|skip|replace] [--ttl absolute|remaining|drop] [--into-prefix [FROM=]TO] [--confirm NAME]',
    '        [--match P] [--components queues,swarms,…] [--swarm ID[,ID]]   only those keys (they add up)',
  ],
  flags: {
    'dry-run': { type: 'boolean' },
    policy: { type: 'string' },
    ttl: { type: 'string' },
    match: { type: 'string' },
    components: { type: 'string' },
    swarm: { type: 'string' },
    'into-prefix': { type: 'string' },
    confirm: { type: 'string' },
  },
  async run([, file], ctx) {
    if (!file) throw new UsageError('restore needs a backup file (or an .rdb file)');
    const policies = policiesFromFlags(ctx);
    const selection = selectionFromFlags(ctx);
    const profile = await connectTarget(ctx);
    if (file.toLowerCase().endsWith('.rdb') && ctx.flags['dry-run']) {
      // Compared straight from the file: an import would leave a backup behind that retention counts.
      const call = { profileId: profile.id, rdbPath: resolve(file), selection, policies };
      const d = await follow<DryRunView>(ctx, await ctx.api.call('backup.dryRunRdb', call));
      return { json: d, text: dryRunText(basename(file), profile.name, d) };
    }
    const source = await sourceOf(ctx, file, profile.id);
    const base = { profileId: profile.id, backupProfileId: source.profileId, backupId: source.backupId, selection, policies };
    if (ctx.flags['dry-run']) {
      const d = await follow<DryRunView>(ctx, await ctx.api.call('backup.dryRun', base));
      return { json: d, text: dryRunText(source.backupId, profile.name, d) };
    }
    const r = await follow<RestoreView>(ctx, await ctx.api.call('backup.restore', { ...base, confirm: stringFlag(ctx.flags, 'confirm') }));
    const text = restoreText(r);
    if (r.status !== 'completed')
      throw new SwarmdeckError(
        r.error?.code === 'CONFLICT' || r.status === 'cancelled' ? 'CONFLICT' : 'REDIS_ERROR',
        `${text}\n${r.error?.message ?? ''}`.trim(),
        { result: r },
      );
    if (r.verification && r.verification.mismatchedCount > 0)
      throw new SwarmdeckError('CONFLICT', text, { reason: 'verify-mismatch', result: r });
    return { json: r, text };
  },
};

const restoreRow = (r: RestoreRecord) => [
  r.restoreId,
  r.state,
  r.target.profileName,
  r.backupProfileId === r.target.profileId ? r.backupId : `${r.backupProfileId}/${r.backupId}`,
  String(r.keys),
  r.written === undefined ? '-' : String(r.written),
  r.createdAt,
];

const restoresCommand: CliCommand<Context> = {
  words: ['restores'],
  usage: ['restores list                                  restores into the profile, newest first: state and undo id'],
  async run([, action], ctx) {
    if (action !== 'list') throw new UsageError(action ? `unknown restores action "${action}"` : 'restores needs an action: list');
    // Connected, the target's restore lock tells a restore still writing from one whose process died.
    const profile = await connectTarget(ctx).catch(async (error: unknown) => {
      const { profile: p } = await resolveTarget(ctx);
      process.stderr.write(
        `swarmdeck: ${p.name} not reachable (${(error as Error).message}); a restore still writing shows as interrupted\n`,
      );
      return p;
    });
    const all = await ctx.api.call('backup.restores', { profileId: profile.id });
    const rows = [['UNDO ID', 'STATE', 'TARGET', 'BACKUP', 'KEYS', 'WRITTEN', 'CREATED'], ...all.map(restoreRow)];
    return { json: all, text: all.length ? table(rows) : 'no restores' };
  },
};

const undoCommand: CliCommand<Context> = {
  words: ['undo'],
  usage: [
    'undo RESTORE_ID [--replace-changed] [--confirm NAME]  put back what a restore overwrote and delete what it created; keys changed since are listed and left, unless --replace-changed',
  ],
  flags: { 'replace-changed': { type: 'boolean' }, confirm: { type: 'string' } },
  async run([, restoreId], ctx) {
    if (!restoreId) throw new UsageError('undo needs the restore id a restore printed (see "restores list")');
    const profile = await connectTarget(ctx);
    const replaceChanged = ctx.flags['replace-changed'] === true;
    const r = await follow<UndoView>(
      ctx,
      await ctx.api.call('backup.undo', { profileId: profile.id, restoreId, replaceChanged, confirm: stringFlag(ctx.flags, 'confirm') }),
    );
    return { json: r, text: undoText(r) };
  },
};

function undoText(r: UndoView): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const changed = r.changed.count
    ? [
        `${plural(r.changed.count, 'key')} changed since the restore ${r.changed.replaced ? 'and were replaced' : 'and were left as they are'}:`,
        ...r.changed.keys.map((k) => `  ${k.text}`),
        ...(r.changed.count > r.changed.keys.length ? [`  … and ${r.changed.count - r.changed.keys.length} more`] : []),
        ...(r.changed.replaced ? [] : [`replace them too with: swarmdeck undo ${r.restoreId} --replace-changed`]),
      ]
    : [];
  return [`undid ${r.restoreId}: ${plural(r.restored, 'value')} put back, ${plural(r.deleted, 'created key')} deleted`, ...changed].join(
    '\n',
  );
}

export const restoreCommands: CliCommand<Context>[] = [restoreCommand, restoresCommand, undoCommand];
