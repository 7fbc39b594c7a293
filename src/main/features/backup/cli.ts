import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { SwarmdeckError } from '../../../shared/errors';
import {
  BACKUP_COMPONENTS,
  type BackupComponent,
  type BackupRunResult,
  type BackupScopeInput,
  type DryRunView,
  type RestorePolicies,
  type RestoreView,
  type UndoView,
  type VerifyResult,
  whatItHolds,
} from '../../../shared/model/backup';
import type { JobView } from '../../../shared/model/job';
import { UsageError, type CliCommand } from '../../hosts/cli/command';
import { connectTarget, intFlag, resolveTarget, stringFlag, type Context } from '../../hosts/cli/context';
import { table } from '../../hosts/cli/output';
import { copyFileDurably } from '../../durable-file';
import { privateDirSync } from '../../private-files';
import { DATA_SUFFIX, MANIFEST_SUFFIX } from './format';

const CONFLICTS = ['fail', 'skip', 'replace'] as const;
const TTLS = ['absolute', 'remaining', 'drop'] as const;

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  const found = allowed.find((a) => a === value);
  if (!found) throw new UsageError(`${flag} must be ${allowed.join(', ')}; got "${value}"`);
  return found;
}

/** One line redrawn in place on stderr; only when a person is watching a terminal. */
function drawBar(job: JobView): void {
  const p = job.progress;
  const width = 30;
  const ratio = p.total ? Math.min(1, p.done / p.total) : 0;
  const bar = p.total ? `[${'#'.repeat(Math.round(ratio * width)).padEnd(width, '.')}] ${Math.round(ratio * 100)}%` : '';
  const rate = p.rate ? ` ${Math.round(p.rate)} ${p.unit}/s` : '';
  const eta = p.etaMs !== undefined ? ` eta ${Math.ceil(p.etaMs / 1000)}s` : '';
  process.stderr.write(`\r\x1b[2K${job.title}: ${bar} ${p.done}${p.total ? `/${p.total}` : ''} ${p.unit}${rate}${eta}`);
}

/**
 * Follows a job from its pushed events until it ends, then reads it through the contract.
 * Ctrl-C cancels the job (the engine stops at its next check and reports what it did).
 */
async function follow<R>(ctx: Context, started: JobView): Promise<R> {
  const tty = process.stderr.isTTY && !ctx.flags.json;
  const onInt = () => void ctx.api.call('jobs.cancel', { jobId: started.id });
  process.once('SIGINT', onInt);
  let unsubscribe = () => undefined as void;
  try {
    await new Promise<void>((done) => {
      unsubscribe = ctx.services.bus.subscribe((event) => {
        if (event.type !== 'job' || event.job.id !== started.id) return;
        if (tty) drawBar(event.job);
        if (event.job.state !== 'running') done();
      });
      // It may have ended before the subscription existed.
      void ctx.api.call('jobs.get', { jobId: started.id }).then((j) => j.state !== 'running' && done());
    });
  } finally {
    unsubscribe();
    process.off('SIGINT', onInt);
    if (tty) process.stderr.write('\r\x1b[2K');
  }
  const view = await ctx.api.call('jobs.get', { jobId: started.id });
  if (view.state === 'failed' && view.error) throw SwarmdeckError.fromPayload(view.error);
  if (view.state === 'cancelled') throw new SwarmdeckError('CONFLICT', `${view.title} was cancelled`, { reason: 'cancelled' });
  return view.result as R;
}

/**
 * A backup file named on the command line, as (profile, id). Files outside the home's backups
 * folder are copied into `<home>/backups/<profile>/` first: the contract only names backups by id.
 */
async function locate(ctx: Context, file: string): Promise<{ profileId: string; backupId: string; imported: boolean }> {
  const path = resolve(file);
  const suffix = [MANIFEST_SUFFIX, DATA_SUFFIX].find((s) => path.endsWith(s));
  if (!suffix) throw new UsageError(`${file} is not a backup: give its ${MANIFEST_SUFFIX} or ${DATA_SUFFIX} file, or an .rdb file`);
  const backupId = basename(path).slice(0, -suffix.length);
  const manifestPath = join(dirname(path), `${backupId}${MANIFEST_SUFFIX}`);
  let profileId: string;
  try {
    profileId = String((JSON.parse(await readFile(manifestPath, 'utf8')) as { source?: { profileId?: unknown } }).source?.profileId);
  } catch {
    throw new SwarmdeckError('NOT_FOUND', `No readable manifest ${manifestPath} beside ${file}`, { file: manifestPath });
  }
  const home = join(ctx.services.backups.root, profileId);
  if (resolve(dirname(path)) === resolve(home)) return { profileId, backupId, imported: false };
  if (!/^[a-z0-9-]{1,64}$/.test(profileId))
    throw new SwarmdeckError('VALIDATION', `The manifest names a malformed profile id ${JSON.stringify(profileId)}`);
  privateDirSync(ctx.services.backups.root);
  const pairs = [DATA_SUFFIX, MANIFEST_SUFFIX].map((s) => ({
    from: join(dirname(path), `${backupId}${s}`),
    to: join(home, `${backupId}${s}`),
  }));
  // A copy never replaces what the home holds: a damaged copy elsewhere must not overwrite a good backup.
  const present = await Promise.all(
    pairs.map(({ to }) =>
      stat(to).then(
        () => true,
        () => false,
      ),
    ),
  );
  if (present.some(Boolean)) {
    const same = await Promise.all(pairs.map(({ from, to }) => sameBytes(from, to)));
    if (same.every(Boolean)) return { profileId, backupId, imported: false };
    throw new SwarmdeckError(
      'CONFLICT',
      `The Swarmdeck home already holds a different backup ${backupId} (${home}); it was left as it is. Verify or restore that one by its path, or rename the copy.`,
      { file: path },
    );
  }
  // The data file first: a manifest in the home says its backup is there whole.
  for (const { from, to } of pairs) await copyFileDurably(from, to);
  return { profileId, backupId, imported: true };
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const digest = (file: string) =>
    new Promise<string>((done, fail) => {
      const hash = createHash('sha256');
      createReadStream(file)
        .on('error', fail)
        .on('data', (chunk) => hash.update(chunk))
        .on('end', () => done(hash.digest('hex')));
    });
  const [sa, sb] = await Promise.all([stat(a), stat(b)]);
  return sa.size === sb.size && (await digest(a)) === (await digest(b));
}

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

function policiesFromFlags(ctx: Context): RestorePolicies {
  const into = stringFlag(ctx.flags, 'into-prefix');
  const eq = into?.indexOf('=') ?? -1;
  return {
    conflict: oneOf(stringFlag(ctx.flags, 'policy'), CONFLICTS, '--policy', 'fail'),
    ttl: oneOf(stringFlag(ctx.flags, 'ttl'), TTLS, '--ttl', 'absolute'),
    // FROM=TO renames a prefix; a bare P is put in front of every key.
    ...(into === undefined ? {} : { intoPrefix: eq >= 0 ? { from: into.slice(0, eq), to: into.slice(eq + 1) } : { from: '', to: into } }),
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
  {
    words: ['restore'],
    usage: [
      'restore FILE [--dry-run] [--policy fail|skip|replace] [--ttl absolute|remaining|drop] [--match P] [--into-prefix [FROM=]TO] [--confirm NAME]',
    ],
    flags: {
      'dry-run': { type: 'boolean' },
      policy: { type: 'string' },
      ttl: { type: 'string' },
      match: { type: 'string' },
      'into-prefix': { type: 'string' },
      confirm: { type: 'string' },
    },
    async run([, file], ctx) {
      if (!file) throw new UsageError('restore needs a backup file (or an .rdb file)');
      const policies = policiesFromFlags(ctx);
      const match = stringFlag(ctx.flags, 'match');
      const selection = match ? { patterns: [match] } : {};
      const profile = await connectTarget(ctx);
      const rdb = file.toLowerCase().endsWith('.rdb');
      if (rdb && ctx.flags['dry-run']) {
        // Compared straight from the file: an import would leave a backup behind that retention counts.
        const call = { profileId: profile.id, rdbPath: resolve(file), selection, policies };
        const d = await follow<DryRunView>(ctx, await ctx.api.call('backup.dryRunRdb', call));
        return { json: d, text: dryRunText(basename(file), profile.name, d) };
      }
      let source: { profileId: string; backupId: string };
      if (rdb) {
        const imported = await follow<BackupRunResult>(
          ctx,
          await ctx.api.call('backup.importRdb', { profileId: profile.id, rdbPath: resolve(file) }),
        );
        source = { profileId: profile.id, backupId: imported.backup.id };
      } else source = await locate(ctx, file);
      const base = { profileId: profile.id, backupProfileId: source.profileId, backupId: source.backupId, selection, policies };
      if (ctx.flags['dry-run']) {
        const d = await follow<DryRunView>(ctx, await ctx.api.call('backup.dryRun', base));
        return { json: d, text: dryRunText(source.backupId, profile.name, d) };
      }
      const r = await follow<RestoreView>(
        ctx,
        await ctx.api.call('backup.restore', { ...base, confirm: stringFlag(ctx.flags, 'confirm') }),
      );
      const text = [
        `restore ${r.status}: ${r.writtenCount} written, ${r.skippedExisting} skipped (existing), ${r.skippedExpired} skipped (expired) in ${r.durationMs} ms`,
        r.verification
          ? `verified ${r.verification.checked} keys, ${r.verification.mismatchedCount} differ${r.verification.mismatched.length ? `: ${r.verification.mismatched.map((k) => k.text).join(', ')}` : ''}`
          : 'not verified',
        r.restoreId ? `undo it with: swarmdeck undo ${r.restoreId}` : '',
      ]
        .filter(Boolean)
        .join('\n');
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
  },
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
    words: ['undo'],
    usage: [
      'undo RESTORE_ID [--replace-changed] [--confirm NAME]  put back what a restore overwrote and delete what it created; keys changed since are listed and left, unless --replace-changed',
    ],
    flags: { 'replace-changed': { type: 'boolean' }, confirm: { type: 'string' } },
    async run([, restoreId], ctx) {
      if (!restoreId) throw new UsageError('undo needs the restore id a restore printed');
      const profile = await connectTarget(ctx);
      const replaceChanged = ctx.flags['replace-changed'] === true;
      const r = await follow<UndoView>(
        ctx,
        await ctx.api.call('backup.undo', { profileId: profile.id, restoreId, replaceChanged, confirm: stringFlag(ctx.flags, 'confirm') }),
      );
      const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
      const changed = r.changed.count
        ? [
            `${plural(r.changed.count, 'key')} changed since the restore ${r.changed.replaced ? 'and were replaced' : 'and were left as they are'}:`,
            ...r.changed.keys.map((k) => `  ${k.text}`),
            ...(r.changed.count > r.changed.keys.length ? [`  … and ${r.changed.count - r.changed.keys.length} more`] : []),
            ...(r.changed.replaced ? [] : [`replace them too with: swarmdeck undo ${r.restoreId} --replace-changed`]),
          ]
        : [];
      return {
        json: r,
        text: [
          `undid ${r.restoreId}: ${plural(r.restored, 'value')} put back, ${plural(r.deleted, 'created key')} deleted`,
          ...changed,
        ].join('\n'),
      };
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
