/** What the backup and restore commands share: flag words, following a job to its end, and finding a backup file in the home. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { SwarmdeckError } from '../../../shared/errors';
import type { JobView } from '../../../shared/model/job';
import { UsageError } from '../../hosts/cli/command';
import type { Context } from '../../hosts/cli/context';
import { copyFileDurably } from '../../durable-file';
import { privateDirSync } from '../../private-files';
import { DATA_SUFFIX, MANIFEST_SUFFIX } from './format';

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
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
export async function follow<R>(ctx: Context, started: JobView): Promise<R> {
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
export async function locate(ctx: Context, file: string): Promise<{ profileId: string; backupId: string; imported: boolean }> {
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
