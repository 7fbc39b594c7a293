/**
 * The one way this app runs a redis-server of its own (the scratch servers of private-server.ts,
 * the sandbox of features/app/sandbox.ts): in a fresh 0700 folder that holds its data, under a
 * lifeline so that it never outlives us, answered once PING answers, and when it exits first,
 * refused with its last log lines (the only place redis-server says why).
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
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis, type RedisOptions } from 'ioredis';
import { SwarmdeckError } from '../../shared/errors';

/**
 * $1 is the folder, the rest the redis-server command line. `sh` starts before the folder is
 * filled and waits for a first line: if we die while filling it (copying a big `.rdb`), the
 * lifeline ends there and the folder goes with it. stdin is the lifeline, and the
 * server's own stdin is /dev/null so that only `sh` holds it. The server logs to fd 3, which `sh`
 * then closes for itself, so that pipe ends exactly when the server is gone. The server's pid
 * goes out on stdout, after which `sh` writes nowhere: a write to a closed pipe could kill it.
 */
const SUPERVISOR = `dir=$1; shift
read -r go || { rm -rf "$dir"; exit 0; }
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

/** How long `stop` waits for the supervisor before it ends both by force. */
const STOP_GRACE_MS = 5_000;

/** Where the server listens: a Unix socket in its folder (no TCP at all), or a loopback port. */
export type Listen = { kind: 'socket' } | { kind: 'tcp'; port: number };
/** The socket's path when it listens on one. */
type SocketOf<L extends Listen> = L extends { kind: 'socket' } ? string : undefined;

export interface LaunchOptions<L extends Listen = Listen> {
  /** What the server is for, as the subject of a sentence: "the RDB import", "the sandbox". */
  purpose: string;
  /** Where its 0700 folder is made (the folder's name is `prefix` and six random characters). */
  base: string;
  prefix: string;
  listen: L;
  /** Fills the folder before the server starts, e.g. with the `.rdb` file it is to load. */
  prepare?: (dir: string) => Promise<void>;
  /** redis-server arguments of the caller's; the launcher's own come after them and win. */
  args?: string[];
  /** How long it may take to answer, loading included (default 10 s). */
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface LaunchedServer<L extends Listen> {
  /** The 0700 folder: its data (and its socket), nothing else. Gone after `stop`, or once the server is. */
  readonly dir: string;
  readonly socket: SocketOf<L>;
  /** redis-server's own pid (not the supervisor's). */
  readonly pid: number;
  /** Connected and answering; `stop` disconnects it. */
  readonly client: Redis;
  /** Settles once the server is gone, however it went. */
  readonly gone: Promise<void>;
  stop(): Promise<void>;
}

const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The server under its supervisor, as we see it: its log's tail, its pid, whether it is gone. */
interface Supervised {
  child: ChildProcess;
  log(): string;
  /** redis-server's pid as the supervisor printed it; 0 until then. */
  pid(): number;
  isGone(): boolean;
  gone: Promise<void>;
  /** The supervisor itself has exited (or never started). */
  exited: Promise<void>;
}

function supervise(binary: string, dir: string, args: string[]): Supervised {
  const child = spawn('/bin/sh', ['-c', SUPERVISOR, 'swarmdeck-private-redis', dir, binary, ...args], {
    stdio: ['pipe', 'pipe', 'ignore', 'pipe'],
  });
  let log = '';
  let pidText = '';
  let serverGone = false;
  const keep = (d: Buffer): void => void (log = (log + d.toString()).slice(-4000));
  let markGone: () => void = () => undefined;
  const gone = new Promise<void>((resolve) => (markGone = () => ((serverGone = true), resolve())));
  // The log pipe closes when the server is gone (nothing else holds it); the supervisor's exit means the same.
  const logPipe = child.stdio[3];
  logPipe?.on('data', keep);
  logPipe?.once('close', markGone);
  // A spawn that failed emits 'error' and never 'exit': it is as final as the server exiting.
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => (markGone(), resolve()));
    child.once('error', (error) => {
      keep(Buffer.from(`${error.message}\n`));
      markGone();
      resolve();
    });
  });
  // Ending the lifeline of a supervisor that is already gone is no error of ours.
  child.stdin?.on('error', () => undefined);
  child.stdout?.on('data', (d: Buffer) => void (pidText += d.toString()));
  return { child, log: () => log, pid: () => Number(pidText.trim()) || 0, isGone: () => serverGone, gone, exited };
}

/** Ends the lifeline (the supervisor kills the server, reaps it and removes the folder), by force if the supervisor is stuck. */
async function endLifeline(server: Supervised, dir: string): Promise<void> {
  server.child.stdin?.end();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS, 'late')));
  const outcome = await Promise.race([server.exited.then(() => 'ok' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    // The supervisor is stuck: end both by force rather than leave either running.
    try {
      if (server.pid() > 0) process.kill(server.pid(), 'SIGKILL');
    } catch {
      // Already gone.
    }
    server.child.kill('SIGKILL');
    await server.exited;
  }
  await rm(dir, { recursive: true, force: true });
}

/** A fresh folder only we can enter. */
async function privateFolder(options: LaunchOptions): Promise<string> {
  const dir = await mkdtemp(join(options.base, options.prefix));
  // mkdtemp asks for 0700 already; the chmod makes it so whatever the umask.
  await chmod(dir, 0o700).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  return dir;
}

function listenArgs(listen: Listen, socket: string | undefined): string[] {
  if (listen.kind === 'tcp') return ['--port', String(listen.port), '--bind', '127.0.0.1'];
  return ['--port', '0', '--unixsocket', socket as string, '--unixsocketperm', '700'];
}

/** Where `binary` is on the PATH (the first executable of that name), if anywhere. */
export function findOnPath(binary: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

/**
 * Starts redis-server and resolves once it answers PING (after loading whatever `prepare` put in
 * its folder). When it exits first, the error (`reason: 'server-exited'`) carries its last log lines.
 */
export async function launchRedisServer<L extends Listen>(binary: string, options: LaunchOptions<L>): Promise<LaunchedServer<L>> {
  if (process.platform === 'win32')
    throw new SwarmdeckError(
      'UNAVAILABLE',
      `${capitalised(options.purpose)} needs a private redis-server, supervised by /bin/sh (and for scratch work on a Unix socket), which Windows does not offer`,
    );
  const dir = await privateFolder(options);
  const listen: Listen = options.listen;
  const socket = (listen.kind === 'socket' ? join(dir, 'redis.sock') : undefined) as SocketOf<L>;
  // The caller's arguments first: a later one wins, so none of them can reopen a port or move the folder.
  const args = [
    ...(options.args ?? []),
    ...listenArgs(listen, socket),
    ...['--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', ''],
  ];
  const server = supervise(binary, dir, args);
  let client: Redis | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      client?.disconnect();
      await endLifeline(server, dir);
    })());
  // A server gone on its own leaves a supervisor waiting on the lifeline: it is told to clean up now.
  void server.gone.then(() => server.child.stdin?.end());
  try {
    await options.prepare?.(dir);
    server.child.stdin?.write('go\n');
    const connection: RedisOptions = listen.kind === 'tcp' ? { host: '127.0.0.1', port: listen.port } : { path: socket };
    client = await untilAnswers(connection, socket, server, options);
    const pid = server.pid() || (await processId(client));
    return { dir, socket, pid, client, gone: server.gone, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function exitedError(purpose: string, log: string): SwarmdeckError {
  const lines = log
    .trim()
    .split('\n')
    .slice(-3)
    .map((l) => l.replace(/^\d+:\w \d+ \w+ \d{4} [\d:.]+ [#*.-] /, ''))
    .join(' / ');
  return new SwarmdeckError('UNAVAILABLE', `The redis-server for ${purpose} exited before it answered${lines ? `: ${lines}` : ''}`, {
    reason: 'server-exited',
    log: lines,
  });
}

async function processId(client: Redis): Promise<number> {
  return Number(/process_id:(\d+)/.exec(await client.info('server'))?.[1]);
}

/** One PING over a fresh connection: the client when it answers PONG, undefined when not yet (refused, LOADING). */
async function ping(connection: RedisOptions, server: Supervised): Promise<Redis | undefined> {
  // No ready check of ioredis' own: it would wait out a long load deaf to cancel and deadline.
  const client = new Redis({
    ...connection,
    lazyConnect: true,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    // Raced with the server's exit: on a port, whoever else holds it may accept and never answer.
    const answered = await Promise.race([client.connect().then(() => client.ping()), server.gone.then(() => undefined)]);
    // On a port, another server may answer first (ours then exits: address in use); in our folder's socket, none can.
    if (answered === 'PONG' && (connection.path !== undefined || (await processId(client)) === server.pid())) return client;
  } catch {
    // Not listening yet, or still loading.
  }
  client.disconnect();
  return undefined;
}

/** The one readiness check: PING answers PONG (LOADING while a file loads), within the deadline, unless cancelled or gone. */
async function untilAnswers(
  connection: RedisOptions,
  socket: string | undefined,
  server: Supervised,
  options: LaunchOptions,
): Promise<Redis> {
  const timeoutMs = options.readyTimeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (options.signal?.aborted)
      throw new SwarmdeckError('CONFLICT', `${capitalised(options.purpose)} was cancelled`, { reason: 'cancelled' });
    if (server.isGone()) throw exitedError(options.purpose, server.log());
    if (Date.now() > deadline)
      throw new SwarmdeckError(
        'TIMEOUT',
        `The redis-server for ${options.purpose} did not answer within ${Math.round(timeoutMs / 1000)} s`,
      );
    // A socket appears once the server listens; connecting earlier is refused, not queued.
    const client = socket === undefined || existsSync(socket) ? await ping(connection, server) : undefined;
    if (client) return client;
    await sleep(50);
  }
}
