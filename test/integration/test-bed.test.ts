import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bed, ROOT } from '../support/bed';

// A base of our own: clear of this run's bed (base … base+26) and of beds on other hundreds.
const BASE = bed.standalone.port + 50;
const SCRIPT = join(ROOT, 'scripts/test-redis.mjs');

/** Runs a command without blocking this process, which must go on reaping its own children. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile(file, args, { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 }, (error, _stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr });
    });
  });
}

const bedCommand = (command: 'start' | 'stop', dir: string) =>
  run(process.execPath, [SCRIPT, command], { SWARMDECK_TEST_PORT_BASE: String(BASE), SWARMDECK_TEST_REDIS_DIR: dir });

/** Alive means running: a killed child stays a zombie (which signal 0 still reaches) until reaped. */
function alive(child: ChildProcess): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${child.pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('connect', () => (socket.destroy(), done(true)));
    socket.on('error', () => done(false));
  });
}

describe('the test bed uses only servers it started', () => {
  let stranger: ChildProcess;
  let client: Redis;
  const dirs: string[] = [];
  const bedFolder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-bed-'));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    // Someone else's server on our base port, started by hand as people do.
    stranger = spawn('redis-server', ['--port', String(BASE), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    client = new Redis(BASE, '127.0.0.1');
    // Refused until the stranger listens; ioredis retries, so those first errors are expected.
    client.on('error', () => undefined);
    await client.set('stranger:key', 'mine');
  });

  afterAll(async () => {
    client.disconnect();
    stranger.kill('SIGKILL');
    // Anything a broken `start` brought up in a scratch folder goes down with it.
    for (const dir of dirs) {
      await bedCommand('stop', dir);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('start refuses a port where a stranger answers, names it, and changes nothing', async () => {
    await client.config('RESETSTAT');
    const dir = bedFolder();

    const result = await bedCommand('start', dir);

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`port ${BASE}`);
    expect(result.stderr).toContain(`pid ${stranger.pid}`);
    expect(result.stderr).toMatch(/SWARMDECK_TEST_PORT_BASE=\d+/);
    expect(await client.get('stranger:key')).toBe('mine');
    expect(alive(stranger)).toBe(true);
    // Only commands that read were sent to the stranger (no FLUSH, CONFIG SET, CLUSTER, SHUTDOWN).
    const stats = await client.info('commandstats');
    const called = [...stats.matchAll(/^cmdstat_([^:]+):/gm)].map((m) => m[1]);
    expect(called.filter((c) => !['auth', 'info', 'ping', 'get', 'config|resetstat'].includes(c as string))).toEqual([]);
    // Nothing else of the bed was started either.
    expect(await listening(BASE + 1)).toBe(false);
    expect(existsSync(join(dir, 'bed.json'))).toBe(false);
  });

  it('stop signals no process that is not a redis-server of its own', async () => {
    const dir = bedFolder();
    const bystander = spawn('sleep', ['60'], { stdio: 'ignore' });
    // Stale or planted pidfiles: one names the stranger on our base port, one a process that is no Redis at all.
    for (const [name, pid] of [
      ['standalone', stranger.pid],
      ['acl', bystander.pid],
    ] as const) {
      mkdirSync(join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, 'redis.pid'), `${pid}\n`);
    }

    await bedCommand('stop', dir);

    const survived = { stranger: alive(stranger), bystander: alive(bystander) };
    bystander.kill('SIGKILL');
    expect(survived).toEqual({ stranger: true, bystander: true });
  });

  it('test support refuses a bed whose recorded servers are not the ones answering', async () => {
    const dir = bedFolder();
    const layout = {
      standalone: { port: BASE },
      cluster: { ports: [1, 2, 3, 4, 5, 6].map((i) => BASE + i) },
      tls: { port: BASE + 11 },
      acl: { port: BASE + 12, users: { admin: 'admin-secret', reader: 'reader-secret' } },
      tlsDir: join(dir, 'tls'),
    };
    writeFileSync(
      join(dir, 'bed.json'),
      JSON.stringify({ ...layout, servers: { [BASE]: { name: 'standalone', pid: stranger.pid, runId: 'f'.repeat(40) } } }),
    );

    const loaded = await run(process.execPath, ['--input-type=module', '--import', 'tsx', '-e', "await import('./test/support/bed.ts')"], {
      SWARMDECK_TEST_PORT_BASE: String(BASE),
      SWARMDECK_TEST_REDIS_DIR: dir,
    });

    expect(loaded.code).not.toBe(0);
    expect(loaded.stderr).toContain(`port ${BASE} (standalone): redis-server pid ${stranger.pid}`);
  });
});
