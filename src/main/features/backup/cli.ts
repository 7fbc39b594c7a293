/** The backup commands: take a backup, verify a file, list and prune backups, recover; the restore commands are restore-cli.ts. */
import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { SwarmdeckError } from '../../../shared/errors';
import {
  BACKUP_COMPONENTS,
  type BackupComponent,
  type BackupRunResult,
  type BackupScopeInput,
  type VerifyResult,
  whatItHolds,
} from '../../../shared/model/backup';
import { UsageError, type CliCommand } from '../../hosts/cli/command';
import { connectTarget, intFlag, resolveTarget, stringFlag, type Context } from '../../hosts/cli/context';
import { table } from '../../hosts/cli/output';
import { copyFileDurably } from '../../durable-file';
import { follow, locate, oneOf } from './cli-support';
import { DATA_SUFFIX, MANIFEST_SUFFIX } from './format';
import { restoreCommands } from './restore-cli';

function scopeFromFlags(ctx: Context): BackupScopeInput {
  const match = stringFlag(ctx.flags, 'match');
  const kind = oneOf(stringFlag(ctx.flags, 'scope'), ['all', 'components', 'pattern'] as const, '--scope', match ? 'pattern' : 'all');
  if (kind === 'pattern') {
    if (!match) throw new UsageError('--scope pattern needs --match P');
    return { kind: 'patterns', patterns: [match] };
  }
  if (kind === 'components') {
    const list = (stringFlag(ctx.flags, 'components') ?? '')
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    if (list.length === 0) throw new UsageError(`--scope components needs --components ${BACKUP_COMPONENTS.join(',')}`);
    // The contract names the unknown one; the CLI only passes the words on.
    return { kind: 'components', components: list as BackupComponent[] };
  }
  return { kind: 'all' };
}

export const backupCommands: CliCommand<Context>[] = [
  {
    words: ['backup'],
    usage: ['backup [--scope all|components|pattern] [--components a,b] [--match P] [--swarm ID] [--format swarmdeck|rdb] [--out DIR]'],
    flags: {
      scope: { type: 'string' },
      components: { type: 'string' },
      match: { type: 'string' },
      swarm: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
    },
    async run(_positionals, ctx) {
      const scope = scopeFromFlags(ctx);
      const format = oneOf(stringFlag(ctx.flags, 'format'), ['swarmdeck', 'rdb'] as const, '--format', 'swarmdeck');
      const swarmId = stringFlag(ctx.flags, 'swarm');
      const profile = await connectTarget(ctx);
      const started = await ctx.api.call('backup.start', { profileId: profile.id, scope, format, ...(swarmId ? { swarmId } : {}) });
      const result = await follow<BackupRunResult>(ctx, started);
      const b = result.backup;
      const dir = join(ctx.services.backups.root, b.profileId);
      const files = [join(dir, `${b.id}${MANIFEST_SUFFIX}`), join(dir, `${b.id}${DATA_SUFFIX}`), ...(result.rdb ? [result.rdb.path] : [])];
      const out = stringFlag(ctx.flags, 'out');
      let written = files;
      if (out) {
        await mkdir(out, { recursive: true });
        written = [];
        for (const f of files) {
          const to = join(resolve(out), basename(f));
          await copyFileDurably(f, to, { privateFolder: false });
          written.push(to);
        }
      }
      return {
        json: { ...result, files: written },
        text: `backup ${b.id}: ${b.keys} keys, ${b.sizeBytes} bytes on disk\n${written.join('\n')}`,
      };
    },
  },
  {
    words: ['verify'],
    usage: ['verify FILE [--test-restore]                   checksum, structure, counts (and a restore into a scratch server)'],
    flags: { 'test-restore': { type: 'boolean' } },
    async run([, file], ctx) {
      if (!file) throw new UsageError('verify needs a backup file');
      const { profileId, backupId } = await locate(ctx, file);
      const started = await ctx.api.call('backup.verify', { profileId, backupId, testRestore: ctx.flags['test-restore'] === true });
      const r = await follow<VerifyResult>(ctx, started);
      const lines = [
        `${backupId}: ${r.ok ? 'OK' : 'FAILED'}`,
        `checksum ${r.checksum.ok ? 'ok' : 'bad'}, ${r.structure.records} records ${r.structure.ok ? 'ok' : 'bad'}, manifest ${r.manifest.ok ? 'ok' : r.manifest.problems.join('; ')}`,
        ...(r.testRestore ? [`test restore: ${r.testRestore.restored} restored, ${r.testRestore.failed} refused`] : []),
        ...(r.error ? [r.error.message] : []),
      ];
      if (!r.ok) throw new SwarmdeckError('CORRUPT_FILE', lines.join('\n'), { reason: 'verify-failed', result: r });
      return { json: r, text: lines.join('\n') };
    },
  },
  ...restoreCommands,
  {
    words: ['backups'],
    usage: [
      "backups list                                   the profile's backups, newest first",
      'backups prune [--daily N] [--weekly N] [--monthly N] [--dry-run] [--confirm NAME]',
    ],
    flags: { daily: { type: 'string' }, weekly: { type: 'string' }, monthly: { type: 'string' } },
    async run([, action], ctx) {
      const { profile } = await resolveTarget(ctx);
      if (action === 'list') {
        const all = await ctx.api.call('backup.list', { profileId: profile.id });
        const rows = [
          ['ID', 'CREATED', 'ENV', 'KEYS', 'BYTES', 'SCOPE', 'VERIFIED'],
          ...all.map((b) => [b.id, b.createdAt, b.environment, String(b.keys), String(b.sizeBytes), whatItHolds(b), b.verification.state]),
        ];
        return { json: all, text: all.length ? table(rows) : 'no backups' };
      }
      if (action === 'prune') {
        const policy = {
          daily: intFlag(ctx.flags.daily, '--daily') ?? 7,
          weekly: intFlag(ctx.flags.weekly, '--weekly') ?? 4,
          monthly: intFlag(ctx.flags.monthly, '--monthly') ?? 12,
        };
        if (ctx.flags['dry-run']) {
          const plan = await ctx.api.call('backup.retention.preview', { profileId: profile.id, policy });
          return {
            json: plan,
            text:
              [
                ...plan.keep.map((k) => `keep   ${k.backupId}  ${k.series}: ${k.reason}`),
                ...plan.remove.map((r) => `remove ${r.backupId}  ${r.series}: ${r.reason}`),
              ].join('\n') || 'no backups',
          };
        }
        const r = await ctx.api.call('backup.retention.apply', {
          profileId: profile.id,
          policy,
          confirm: stringFlag(ctx.flags, 'confirm'),
        });
        return { json: r, text: r.removed.length ? `removed ${r.removed.join(', ')}` : 'nothing to remove' };
      }
      throw new UsageError(action ? `unknown backups action "${action}"` : 'backups needs an action: list, prune');
    },
  },
  {
    words: ['recover'],
    usage: ['recover [--apply] [--confirm NAME]              find work left behind by crashed agents (and repair it)'],
    flags: { apply: { type: 'boolean' } },
    async run(_positionals, ctx) {
      const profile = await connectTarget(ctx);
      if (ctx.flags.apply) {
        const r = await ctx.api.call('backup.recovery.apply', { profileId: profile.id, confirm: stringFlag(ctx.flags, 'confirm') });
        return {
          json: r,
          text: `applied ${r.applied}${r.failed.length ? `, failed ${r.failed.map((f) => `${f.subject}: ${f.error}`).join('; ')}` : ''}`,
        };
      }
      const plan = await ctx.api.call('backup.recovery.scan', { profileId: profile.id });
      return {
        json: plan,
        text: plan.findings.length
          ? table([['KIND', 'SUBJECT', 'DETAIL', 'ACTION'], ...plan.findings.map((f) => [f.kind, f.subject, f.detail, f.action])])
          : 'nothing to recover',
      };
    },
  },
];
