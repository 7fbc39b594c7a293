import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { SwarmdeckError } from '../../../shared/errors';
import { UsageError, type CliCommand, type Output } from '../../hosts/cli/command';
import { connectTarget, intFlag, stringFlag, type Context } from '../../hosts/cli/context';
import { table } from '../../hosts/cli/output';
import { locksOf } from './handlers';

/** `lock exec` could not have the lock within --wait (sysexits EX_TEMPFAIL, as flock(1) uses). */
export const EXIT_NOT_ACQUIRED = 75;
/** `lock exec` lost the lock while its command ran; the command was sent SIGTERM. */
export const EXIT_LOCK_LOST = 76;
/** How long a command told to stop (SIGTERM) has before it is killed. */
const KILL_GRACE_MS = 5000;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * Runs a command while holding the lock, like flock(1) across machines: the watchdog renews the
 * lease while it runs, the fence is in SWARMDECK_FENCE, and a lost lock stops the command.
 */
async function exec(resource: string, command: string[], ctx: Context): Promise<Output> {
  const ttlMs = intFlag(ctx.flags.ttl, '--ttl') ?? 30_000;
  const waitMs = intFlag(ctx.flags.wait, '--wait') ?? 10_000;
  const replicas = intFlag(ctx.flags['wait-replicas'], '--wait-replicas');
  const profile = await connectTarget(ctx);
  const locks = locksOf(ctx.services.connections.session(profile.id));
  const lock = await locks.acquire(resource, { ttlMs, waitMs, replicas, owner: `${ctx.services.connections.session(profile.id).actor.host}:${process.pid} ${command[0] ?? ''}`.slice(0, 200) });
  if (!lock) {
    process.stderr.write(`swarmdeck: the lock on ${resource} could not be had within ${seconds(waitMs)}\n`);
    return { json: { resource, acquired: false }, text: '', exitCode: EXIT_NOT_ACQUIRED };
  }
  lock.startWatchdog();
  const child = spawn(command[0] as string, command.slice(1), { stdio: 'inherit', env: { ...process.env, SWARMDECK_FENCE: String(lock.fence), SWARMDECK_LOCK_RESOURCE: resource } });
  let lost = false;
  let killer: NodeJS.Timeout | undefined;
  const onLost = (): void => {
    lost = true;
    const reason: unknown = lock.signal.reason;
    process.stderr.write(`swarmdeck: ${reason instanceof Error ? reason.message : `the lock on ${resource} is lost`}; stopping the command\n`);
    child.kill('SIGTERM');
    killer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  };
  lock.signal.addEventListener('abort', onLost, { once: true });
  // Ctrl-C or a stop of the CLI reaches the command too, and the lock is still released after.
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  const exitCode = await new Promise<number>((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`swarmdeck: could not run ${command[0]}: ${error.message}\n`);
      resolve(127);
    });
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
  });
  clearTimeout(killer);
  process.off('SIGINT', forward).off('SIGTERM', forward);
  lock.signal.removeEventListener('abort', onLost);
  if (!lost) {
    await lock.release().catch((error: unknown) => {
      // Lost between the command's exit and the release: what it did may have raced another holder.
      if (error instanceof SwarmdeckError && error.code === 'LEASE_LOST') lost = true;
      else throw error;
    });
  }
  if (lost) return { json: { resource, fence: lock.fence, lost: true, exitCode }, text: '', exitCode: EXIT_LOCK_LOST };
  return { json: { resource, fence: lock.fence, exitCode }, text: '', exitCode };
}

export const lockCommands: CliCommand<Context>[] = [
  {
    words: ['locks'],
    usage: ['locks list [--all]                    held locks: owner, fence, lease left, waiters (--all: free ones too)'],
    flags: { all: { type: 'boolean' } },
    async run([, action], ctx) {
      if (action !== 'list') throw new UsageError('locks needs an action: list');
      const profile = await connectTarget(ctx);
      const all = await ctx.api.call('locks.list', { profileId: profile.id, includeFree: ctx.flags.all === true });
      const rows = [['RESOURCE', 'OWNER', 'FENCE', 'TTL', 'WAITERS']];
      for (const l of all) rows.push([l.resource, l.held ? (l.owner ?? '') : '(free)', String(l.fence), l.ttlMs === undefined ? '-' : seconds(l.ttlMs), String(l.waiterCount)]);
      return { json: all, text: all.length ? table(rows) : 'no locks held' };
    },
  },
  {
    words: ['lock'],
    usage: [
      'lock exec <resource> [--ttl MS] [--wait MS] [--wait-replicas N] -- <command…>',
      '                                      run a command holding the lock (fence in SWARMDECK_FENCE);',
      '                                      exits with its code, 75 if not had within --wait, 76 if lost',
      'lock release <resource> --force [--confirm NAME]    take a lock from whoever holds it',
    ],
    flags: { wait: { type: 'string' }, force: { type: 'boolean' }, 'wait-replicas': { type: 'string' } },
    async run([, action, resource, ...rest], ctx) {
      if (!resource) throw new UsageError(`lock ${action ?? ''} needs a resource`.replace('  ', ' '));
      switch (action) {
        case 'exec':
          if (rest.length === 0) throw new UsageError('lock exec needs a command after --');
          return exec(resource, rest, ctx);
        case 'release': {
          // The CLI never holds an owner token: a release from here is always an operator's force.
          if (ctx.flags.force !== true) throw new UsageError('lock release takes a lock from its holder: say --force');
          const profile = await connectTarget(ctx);
          const r = await ctx.api.call('locks.forceRelease', { profileId: profile.id, resource, confirm: stringFlag(ctx.flags, 'confirm') });
          return { json: r, text: `released ${resource} (fence ${r.fence}, held by ${r.owner})` };
        }
        default:
          throw new UsageError(action ? `unknown lock action "${action}"` : 'lock needs an action: exec, release');
      }
    },
  },
];
