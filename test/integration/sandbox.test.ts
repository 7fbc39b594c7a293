/**
 * The local sandbox (features/app/sandbox.ts) and the launcher it shares with the scratch
 * servers (redis/server-launcher.ts): a loopback port, a 0700 folder of its own, gone with its
 * parent, and an early exit reported with the server's own words.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../src/main/redis/server-launcher';
import { launchRedisServer } from '../../src/main/redis/server-launcher';
import { bed, harness, ROOT, tempHome } from '../support/bed';
import { refusal, until } from '../support/harness';

const BINARY = findOnPath('redis-server') as string;

function proc(pid: number): { ppid: number; comm: string } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const close = stat.lastIndexOf(')');
  return { ppid: Number(stat.slice(close + 2).split(' ')[1]), comm: stat.slice(stat.indexOf('(') + 1, close) };
}

/** Running and not a zombie; a process that goes between the two looks (ESRCH) counts as gone. */
function alive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return false;
  }
}

async function serverPid(port: number): Promise<number> {
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await client.connect();
    return Number(/process_id:(\d+)/.exec(await client.info('server'))?.[1]);
  } finally {
    client.disconnect();
  }
}

describe('the local sandbox', () => {
  const h = harness();
  afterAll(() => h.services.dispose());

  it('answers on a loopback port from a 0700 folder of its own, under the lifeline, and stop takes both away', async () => {
    const profile = await h.services.sandbox.start();
    const running = h.services.sandbox.status().running;
    expect(profile.topology).toMatchObject({ kind: 'standalone', host: '127.0.0.1', port: running?.port });
    const { port, dataDir } = running as { port: number; dataDir: string };
    const pid = await serverPid(port);
    expect(readlinkSync(`/proc/${pid}/cwd`)).toBe(dataDir);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    // Its parent is the supervisor, whose parent is us: the lifeline holds it.
    const supervisor = proc(proc(pid).ppid);
    expect(supervisor.comm).toBe('sh');
    expect(supervisor.ppid).toBe(process.pid);
    // A second console finds it and reuses it rather than starting another.
    expect((await h.services.sandbox.reachable())?.id).toBe(profile.id);

    await h.services.sandbox.stop();
    expect(alive(pid)).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
    expect(h.services.sandbox.status().running).toBeUndefined();
    expect(await h.services.sandbox.reachable()).toBeUndefined();
  });

  it('is gone, folder and all, within a few seconds of a SIGKILL of the process that started it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/support/sandbox-holder.ts'), tempHome()], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let pid = 0;
    try {
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const { port, dir } = await until('the sandbox of the holder', () => {
        const line = out.split('\n').find((l) => l.startsWith('{'));
        return line === undefined ? undefined : (JSON.parse(line) as { port: number; dir: string });
      });
      pid = await serverPid(port);
      expect(alive(pid)).toBe(true);
      child.kill('SIGKILL');
      await exited;
      await until('the sandbox and its folder gone', () => (!alive(pid) && !existsSync(dir) ? true : undefined), 5_000);
    } finally {
      child.kill('SIGKILL');
      await exited;
      // Never leave an orphan behind on a shared machine, whatever the outcome.
      if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});

describe('a private folder being filled', () => {
  it('goes with the process that was filling it when that is SIGKILLed', async () => {
    const base = mkdtempSync(join(tmpdir(), 'sd-launcher-'));
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/support/preparing-holder.ts'), base], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const { dir } = await until('the folder being filled', () => {
        const line = out.split('\n').find((l) => l.startsWith('{'));
        return line === undefined ? undefined : (JSON.parse(line) as { dir: string });
      });
      expect(existsSync(join(dir, 'import.rdb'))).toBe(true);
      child.kill('SIGKILL');
      await exited;
      await until('the folder gone', () => (readdirSync(base).length === 0 ? true : undefined), 5_000);
    } finally {
      child.kill('SIGKILL');
      await exited;
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('a launched redis-server that exits before it answers', () => {
  it('is refused with its last log lines, even when another server answers on the port it wanted', async () => {
    const base = mkdtempSync(join(tmpdir(), 'sd-launcher-'));
    try {
      // The bed's own server holds the port: it answers PING, but it is not ours.
      const error = await refusal(
        launchRedisServer(BINARY, { purpose: 'the test', base, prefix: 'server-', listen: { kind: 'tcp', port: bed.standalone.port } }),
      );
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.details?.reason).toBe('server-exited');
      expect(error.message).toMatch(/^The redis-server for the test exited before it answered: .*Address already in use/);
      // Its folder went with it.
      expect(readdirSync(base)).toEqual([]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
