/**
 * A redis-server of our own for scratch work (an `.rdb` import, a test restore) that no other
 * local user can reach and that never outlives the process that started it (server-launcher.ts
 * says how it is run and why it cannot outlive us).
 *
 * Nobody else can reach it: it listens on no TCP port (`port 0`), only on a Unix socket
 * (`unixsocketperm 700`) inside a fresh folder made 0700, which also holds the data it loads.
 * A loopback port without a password is open to every local user: one of them read an import's
 * data that way and planted a key that ended up in the backup.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { launchRedisServer } from './server-launcher';

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

/**
 * Starts the server and resolves once it answers PING (after loading whatever `prepare` put in
 * its folder). When it exits first, the error (`reason: 'server-exited'`) carries its last log
 * lines, the only place redis-server says why a file did not load.
 */
export async function startPrivateServer(binary: string, options: PrivateServerOptions): Promise<PrivateServer> {
  const base = join(tmpdir(), 'swarmdeck-redis-XXXXXX', 'redis.sock').length <= MAX_SOCKET_PATH ? tmpdir() : '/tmp';
  const { dir, socket, pid, client, stop } = await launchRedisServer(binary, {
    ...options,
    base,
    prefix: 'swarmdeck-redis-',
    listen: { kind: 'socket' as const },
  });
  return { dir, socket, pid, client, stop };
}
