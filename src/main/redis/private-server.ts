/**
 * A redis-server of our own for scratch work (an `.rdb` import, a test restore) that no other
 * local user can reach and that never outlives the process that started it.
 *
 * Nobody else can reach it: it listens on no TCP port (`port 0`), only on a Unix socket
 * (`unixsocketperm 700`) inside a fresh folder made 0700, which also holds the data it loads.
 * A loopback port without a password is open to every local user: one of them read an import's
 * data that way and planted a key that ended up in the backup.
 *
 * It never outlives us: redis-server cannot watch its parent, and no signal reaches it when
 * we are SIGKILLed. So it runs under a few lines of `sh` that wait for end-of-file on a pipe from
 * us. We never write to that pipe; the kernel closes our end when this process ends, however
 * it ends (exit, crash, SIGKILL, out of memory), and `sh` then SIGKILLs redis-server, reaps it
 * and removes the folder. `sh` is redis-server's parent and reaps it only after the kill, so
 * the pid it kills cannot have been reused by then (at worst it is a zombie). `sh` ignores
 * HUP, INT, TERM and PIPE, so a closed terminal or a signal to the whole group cannot take it
 * away before it has cleaned up (redis-server itself still stops on INT and TERM). Only a
 * SIGKILL aimed at `sh` alone would leave the server behind. `sh` rather than a Node child:
 * it is there wherever redis-server is, starts in a millisecond, and needs no
 * ELECTRON_RUN_AS_NODE inside the app.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { SwarmdeckError } from '../../shared/errors';

/**
 * $1 is the folder, the rest the redis-server command line. stdin is the lifeline, and the
 * server's own stdin is /dev/null so that only `sh` holds it. The server logs to fd 3, which `sh`
 * then closes for itself, so that pipe ends exactly when the server is gone. The server's pid
 * goes out on stdout, after which `sh` writes nowhere: a write to a closed pipe could kill it.
 */
const SUPERVISOR = `dir=$1; shift
"$@" </dev/null >&3 2>&3 &
pid=$!
exec 3>&-
echo "$pid"
exec >/dev/null 2>&1
trap '' HUP INT TERM PIPE
read -r line || :
kill -9 "$pid"
wait "$pid"
rm -rf "$dir"`;

/** A Unix socket path must fit in sun_path (104 bytes on macOS, 108 on Linux). */
const MAX_SOCKET_PATH = 100;

export interface PrivateServerOptions {
  /** What the server is for, as the subject of a sentence: "the RDB import", "the test restore". */
  purpose: string;
  /** Fills the folder before the server starts, e.g. with the `.rdb` file it is to load. */
  prepare?: (dir: string) => Promise<void>;
  /** redis-server arguments beyond the private ones (e.g. `--dbfilename import.rdb`). */
  args?: string[];
  /** How long it may take to answer, loading included (default 10 s). */
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface PrivateServer {
  /** The 0700 folder: the socket, the data, nothing else. Gone after `stop`. */
  readonly dir: string;
  readonly socket: string;
  /** redis-server's own pid (not the supervisor's). */
  readonly pid: number;
  /** Connected and answering; `stop` disconnects it. */
  readonly client: Redis;
  stop(): Promise<void>;
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Starts the server and resolves once it answers PING (after loading whatever `prepare` put in
 * its folder). When it exits first, the error (`reason: 'server-exited'`) carries its last log
 * lines, the only place redis-server says why a file did not load.
 */
export async function startPrivateServer(binary: string, options: PrivateServerOptions): Promise<PrivateServer> {
  if (process.platform === 'win32')
    throw new SwarmdeckError(
      'UNAVAILABLE',
      `${capitalised(options.purpose)} needs a private redis-server on a Unix socket, which Windows does not offer`,
    );
  const base = join(tmpdir(), 'swarmdeck-redis-XXXXXX', 'redis.sock').length <= MAX_SOCKET_PATH ? tmpdir() : '/tmp';
  const dir = await mkdtemp(join(base, 'swarmdeck-redis-'));
  // mkdtemp asks for 0700 already; the chmod makes it so whatever the umask.
  await chmod(dir, 0o700);
  const socket = join(dir, 'redis.sock');
  try {
    await options.prepare?.(dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  // The caller's arguments first: a later one wins, so none of them can reopen a port or move the socket.
  const args = [
    ...(options.args ?? []),
    '--port',
    '0',
    '--unixsocket',
    socket,
    '--unixsocketperm',
    '700',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--logfile',
    '',
  ];
  const child = spawn('/bin/sh', ['-c', SUPERVISOR, 'swarmdeck-private-redis', dir, binary, ...args], {
    stdio: ['pipe', 'pipe', 'ignore', 'pipe'],
  });
  let log = '';
  let pidText = '';
  let serverGone = false;
  const keep = (d: Buffer) => (log = (log + d.toString()).slice(-4000));
  const logPipe = child.stdio[3];
  logPipe?.on('data', keep);
  // The log pipe closes when the server is gone (nothing else holds it); the supervisor's exit means the same.
  const markGone = () => (serverGone = true);
  logPipe?.once('close', markGone);
  child.once('exit', markGone);
  // A spawn that failed emits 'error' and never 'exit': it is as final as the server exiting.
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      keep(Buffer.from(`${error.message}\n`));
      markGone();
      resolve();
    });
  });
  // Ending the lifeline of a supervisor that is already gone is no error of ours.
  child.stdin?.on('error', () => undefined);
  child.stdout?.on('data', (d: Buffer) => (pidText += d.toString()));

  let client: Redis | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      client?.disconnect();
      // End of file on the lifeline: the supervisor kills the server, reaps it and exits.
      child.stdin?.end();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, 5_000, 'late')));
      const outcome = await Promise.race([exited.then(() => 'ok' as const), late]);
      clearTimeout(timer);
      if (outcome === 'late') {
        // The supervisor is stuck: end both by force rather than leave either running.
        const pid = Number(pidText.trim());
        try {
          if (pid > 0) process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
        child.kill('SIGKILL');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    })());

  try {
    client = await untilAnswers(socket, options, () => (serverGone ? log : undefined));
    const pid = Number(pidText.trim()) || Number(/process_id:(\d+)/.exec(await client.info('server'))?.[1]);
    return { dir, socket, pid, client, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The one readiness check: PING over the socket answers PONG (LOADING while a file loads). */
async function untilAnswers(socket: string, options: PrivateServerOptions, exitedLog: () => string | undefined): Promise<Redis> {
  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  for (;;) {
    if (options.signal?.aborted)
      throw new SwarmdeckError('CONFLICT', `${capitalised(options.purpose)} was cancelled`, { reason: 'cancelled' });
    const log = exitedLog();
    if (log !== undefined) {
      const lines = log
        .trim()
        .split('\n')
        .slice(-3)
        .map((l) => l.replace(/^\d+:\w \d+ \w+ \d{4} [\d:.]+ [#*.-] /, ''))
        .join(' / ');
      throw new SwarmdeckError(
        'UNAVAILABLE',
        `The redis-server for ${options.purpose} exited before it answered${lines ? `: ${lines}` : ''}`,
        { reason: 'server-exited', log: lines },
      );
    }
    if (Date.now() > deadline)
      throw new SwarmdeckError(
        'TIMEOUT',
        `The redis-server for ${options.purpose} did not answer within ${Math.round((options.readyTimeoutMs ?? 10_000) / 1000)} s`,
      );
    // The socket appears once the server listens; connecting earlier is refused, not queued.
    if (existsSync(socket)) {
      // No ready check of ioredis' own: it would wait out a long load deaf to cancel and deadline.
      const client = new Redis({
        path: socket,
        lazyConnect: true,
        enableReadyCheck: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        enableOfflineQueue: false,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.ping();
        return client;
      } catch {
        client.disconnect();
      }
    }
    await sleep(50);
  }
}
