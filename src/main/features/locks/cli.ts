import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { SwarmdeckError } from '../../../shared/errors';
import { UsageError, type CliCommand, type Output } from '../../hosts/cli/command';
import { connectTarget, intFlag, stringFlag, type Context } from '../../hosts/cli/context';
import { table } from '../../hosts/cli/output';
import type { FencedLock } from './fenced-lock';

/** `lock exec` could not have the lock within --wait (sysexits EX_TEMPFAIL, as flock(1) uses). */
export const EXIT_NOT_ACQUIRED = 75;
/** `lock exec` lost the lock while its command ran; the command was sent SIGTERM. */
export const EXIT_LOCK_LOST = 76;
/** How long a command told to stop has before it is killed. */
const KILL_GRACE_MS = 5000;
/**
 * What asks `lock exec` to stop. Left to their default action they would end it at once: its
 * command would run on, and the lease run out under it, while another holder starts beside it.
 */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM'];
/** The command is not in the terminal's foreground group: these have to be passed on by hand. */
const JOB_SIGNALS: readonly NodeJS.Signals[] = ['SIGTSTP', 'SIGCONT', 'SIGWINCH'];
const POSIX = process.platform !== 'win32';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** 128 + n, the code a shell gives a command that signal n ended. */
const signalExit = (signal: NodeJS.Signals): number => 128 + (constants.signals[signal] ?? 0);

/**
 * The command of `lock exec`, in a process group (a session) of its own: `./job.sh` is a shell
 * whose work is done by the programs it starts, and a stop that reached the shell alone would
 * leave them working without the lock.
 */
class LockedCommand {
  private readonly child: ChildProcess;
  private killer?: NodeJS.Timeout;
  private stopDeadline?: number;
  /** The command's exit code (128 + n for signal n; 127 when it could not be started). */
  readonly exited: Promise<number>;

  constructor(command: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(command[0] as string, command.slice(1), { stdio: 'inherit', env, detached: POSIX });
    this.exited = new Promise<number>((resolve) => {
      this.child.once('error', (error) => {
        process.stderr.write(`swarmdeck: could not run ${command[0]}: ${error.message}\n`);
        resolve(127);
      });
      this.child.once('exit', (code, signal) => resolve(code ?? (signal ? signalExit(signal) : 128)));
    });
  }

  /** To every process of the command's group, the ones its shell started included. */
  signal(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      if (POSIX) process.kill(-pid, signal);
      else this.child.kill(signal);
    } catch {
      // The group is gone already.
    }
  }

  /** Passes `signal` on, and kills the group if it is still there when the grace is over. */
  stop(signal: NodeJS.Signals): void {
    this.signal(signal);
    if (this.stopDeadline !== undefined) return;
    this.stopDeadline = Date.now() + KILL_GRACE_MS;
    this.killer = setTimeout(() => this.signal('SIGKILL'), KILL_GRACE_MS);
  }

  /**
   * Once the command exited after a stop: what it started may still be at work (a child that
   * ignored the signal). It has what is left of the grace, then is killed, before the lock goes.
   */
  async settle(): Promise<void> {
    clearTimeout(this.killer);
    if (this.stopDeadline === undefined || !POSIX) return;
    while (this.groupAlive() && Date.now() < this.stopDeadline) await sleep(50);
    if (!this.groupAlive()) return;
    this.signal('SIGKILL');
    for (let waited = 0; this.groupAlive() && waited < 1000; waited += 20) await sleep(20);
  }

  private groupAlive(): boolean {
    const pid = this.child.pid;
    if (pid === undefined) return false;
    try {
      process.kill(-pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
}

/** Gives the lock back; false when it was lost first (what the command did may have raced another holder). */
async function giveBack(lock: FencedLock): Promise<boolean> {
  try {
    await lock.release();
    return true;
  } catch (error) {
    if (error instanceof SwarmdeckError && error.code === 'LEASE_LOST') return false;
    throw error;
  }
}

/**
 * Runs a command while holding the lock, like flock(1) across machines: the watchdog renews the
 * lease while it runs, the fence is in SWARMDECK_FENCE, and a lost lock stops the command. A
 * stop signal reaches the command, and the lock is given back once it has ended.
 */
async function exec(resource: string, command: string[], ctx: Context): Promise<Output> {
  const ttlMs = intFlag(ctx.flags.ttl, '--ttl') ?? 30_000;
  const waitMs = intFlag(ctx.flags.wait, '--wait') ?? 10_000;
  const replicas = intFlag(ctx.flags['wait-replicas'], '--wait-replicas');
  const profile = await connectTarget(ctx);
  const session = ctx.services.connections.session(profile.id);
  // Caught from before the lock is asked for: a stop while waiting in line must leave the line,
  // and one that lands as the lock is granted must give it back rather than keep it to its TTL.
  const stopping = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  let running: LockedCommand | undefined;
  // Once the command has ended on its own a signal changes nothing: the lock is given back as it would be.
  let ended = false;
  const onStop = (signal: NodeJS.Signals): void => {
    if (ended) return;
    stoppedBy ??= signal;
    stopping.abort();
    running?.stop(signal);
  };
  const onJob = (signal: NodeJS.Signals): void => {
    if (!running) return;
    if (signal !== 'SIGTSTP') return running.signal(signal);
    // Ctrl-Z stops the command with us (a lone SIGTSTP would be discarded: its group has no
    // parent in this session), else it would work on while our watchdog sleeps and the lease ends.
    running.signal('SIGSTOP');
    process.kill(process.pid, 'SIGSTOP');
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onStop);
  if (POSIX) for (const signal of JOB_SIGNALS) process.on(signal, onJob);
  try {
    const owner = `${session.actor.host}:${process.pid} ${command[0] ?? ''}`.slice(0, 200);
    const lock = await ctx.services.locks.acquire(session, resource, { ttlMs, waitMs, replicas, owner, signal: stopping.signal });
    if (stoppedBy) {
      if (lock) await giveBack(lock);
      return { json: { resource, acquired: false, signal: stoppedBy }, text: '', exitCode: signalExit(stoppedBy) };
    }
    if (!lock) {
      process.stderr.write(`swarmdeck: the lock on ${resource} could not be had within ${seconds(waitMs)}\n`);
      return { json: { resource, acquired: false }, text: '', exitCode: EXIT_NOT_ACQUIRED };
    }
    lock.startWatchdog();
    const child = new LockedCommand(command, { ...process.env, SWARMDECK_FENCE: String(lock.fence), SWARMDECK_LOCK_RESOURCE: resource });
    running = child;
    let lost = false;
    const onLost = (): void => {
      lost = true;
      const reason: unknown = lock.signal.reason;
      process.stderr.write(
        `swarmdeck: ${reason instanceof Error ? reason.message : `the lock on ${resource} is lost`}; stopping the command\n`,
      );
      child.stop('SIGTERM');
    };
    lock.signal.addEventListener('abort', onLost, { once: true });
    const exitCode = await child.exited;
    ended = stoppedBy === undefined && !lost;
    running = undefined;
    await child.settle();
    lock.signal.removeEventListener('abort', onLost);
    if (!lost) lost = !(await giveBack(lock));
    if (lost) return { json: { resource, fence: lock.fence, lost: true, exitCode }, text: '', exitCode: EXIT_LOCK_LOST };
    if (stoppedBy) return { json: { resource, fence: lock.fence, signal: stoppedBy, exitCode }, text: '', exitCode: signalExit(stoppedBy) };
    return { json: { resource, fence: lock.fence, exitCode }, text: '', exitCode };
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onStop);
    if (POSIX) for (const signal of JOB_SIGNALS) process.off(signal, onJob);
  }
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
      for (const l of all)
        rows.push([
          l.resource,
          l.held ? (l.owner ?? '') : '(free)',
          String(l.fence),
          l.ttlMs === undefined ? '-' : seconds(l.ttlMs),
          String(l.waiterCount),
        ]);
      return { json: all, text: all.length ? table(rows) : 'no locks held' };
    },
  },
  {
    words: ['lock'],
    usage: [
      'lock exec <resource> [--ttl MS] [--wait MS] [--wait-replicas N] -- <command…>',
      '                                      run a command holding the lock (fence in SWARMDECK_FENCE);',
      '                                      exits with its code, 75 if not had within --wait, 76 if lost,',
      '                                      128+n when signal n stopped it (the command first, then the lock)',
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
          const r = await ctx.api.call('locks.forceRelease', {
            profileId: profile.id,
            resource,
            confirm: stringFlag(ctx.flags, 'confirm'),
          });
          return { json: r, text: `released ${resource} (fence ${r.fence}, held by ${r.owner})` };
        }
        default:
          throw new UsageError(action ? `unknown lock action "${action}"` : 'lock needs an action: exec, release');
      }
    },
  },
];
