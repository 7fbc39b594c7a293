/**
 * The scratch redis-servers of an `.rdb` import and of a test restore (issue 19): no other local
 * user can reach them, and none outlives the process that started it, SIGKILL included.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importRdb, rdbLength } from '../../src/main/features/backup/rdb';
import { Crc64 } from '../../src/main/redis/rdb/crc64';
import { bed, ROOT, tempHome } from '../support/bed';
import { until } from '../support/harness';

const CLI = join(ROOT, 'bin/swarmdeck.js');
const work = mkdtempSync(join(tmpdir(), 'sd-scratch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// ---------------------------------------------------------------- /proc, as another user would see it

interface Proc {
  pid: number;
  ppid: number;
  zombie: boolean;
  comm: string;
}

function proc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // comm may hold spaces and parentheses: the fields after the last ')' are fixed.
    const close = stat.lastIndexOf(')');
    const [state, ppid] = stat.slice(close + 2).split(' ');
    return { pid, ppid: Number(ppid), zombie: state === 'Z', comm: stat.slice(stat.indexOf('(') + 1, close) };
  } catch {
    return undefined;
  }
}

const alive = (pid: number): boolean => {
  const p = proc(pid);
  return p !== undefined && !p.zombie;
};

/** Live redis-servers anywhere below `root` in the process tree (the supervisor sits in between). */
function redisBelow(root: number): number[] {
  const all = readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map((e) => proc(Number(e)))
    .filter((p): p is Proc => p !== undefined);
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const below = (p: Proc): boolean => {
    for (let up = byPid.get(p.ppid), hops = 0; up && hops < 10; up = byPid.get(up.ppid), hops += 1) if (up.pid === root) return true;
    return false;
  };
  return all.filter((p) => p.comm.startsWith('redis-server') && !p.zombie && below(p)).map((p) => p.pid);
}

function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' }));
    if (m) out.add(m[1] as string);
  }
  return out;
}

/** What the process listens on: TCP ports (v4 and v6) and Unix socket paths, from the kernel's tables. */
function listening(pid: number): { tcpPorts: number[]; unixPaths: string[] } {
  const mine = socketInodes(pid);
  const tcpPorts: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'latin1').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT, st 0A is LISTEN, the inode is the tenth field.
      if (f.length > 9 && f[3] === '0A' && mine.has(f[9] as string)) tcpPorts.push(parseInt((f[1] as string).split(':')[1] as string, 16));
    }
  }
  const unixPaths: string[] = [];
  for (const line of readFileSync(`/proc/${pid}/net/unix`, 'latin1').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // Num RefCount Protocol Flags Type St Inode Path; flags 00010000 is __SO_ACCEPTCON (listening).
    if (f.length > 7 && f[3] === '00010000' && mine.has(f[6] as string)) unixPaths.push(f[7] as string);
  }
  return { tcpPorts, unixPaths };
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

// ---------------------------------------------------------------- a big .rdb, written directly

/**
 * An RDB file of `keys` strings (database 0), with a real CRC64: big enough that loading it and
 * reading it back keep the scratch server up for a few seconds.
 */
async function writeRdb(path: string, keys: number): Promise<void> {
  const out = createWriteStream(path);
  const crc = new Crc64();
  const put = async (b: Buffer) => {
    crc.update(b);
    if (!out.write(b)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  const str = (s: string) => {
    const b = Buffer.from(s);
    return Buffer.concat([rdbLength(b.length), b]);
  };
  await put(Buffer.from('REDIS0009', 'latin1'));
  await put(Buffer.from([0xfe, 0x00]));
  const value = 'v'.repeat(40);
  for (let i = 0; i < keys; i += 2000) {
    const chunk: Buffer[] = [];
    for (let j = i; j < Math.min(keys, i + 2000); j += 1) chunk.push(Buffer.from([0x00]), str(`scratch:${j}`), str(`${value}${j}`));
    await put(Buffer.concat(chunk));
  }
  await put(Buffer.from([0xff]));
  out.write(crc.digestLE());
  await new Promise<void>((r) => out.end(() => r()));
}

// ---------------------------------------------------------------- the tests

describe('the scratch redis-server of an .rdb import', () => {
  it('listens on no TCP port, only on a 0700 socket in a 0700 folder of ours, and is gone with its folder afterwards', async () => {
    const rdb = join(work, 'small.rdb');
    await writeRdb(rdb, 5_000);
    const seen: { pid: number; tcpPorts: number[]; unixPaths: string[]; cwd: string; modes: Record<string, number> }[] = [];
    const result = await importRdb(rdb, join(tempHome(), 'backups'), {
      // Called while the scratch server is being read, so it is up and loaded.
      onProgress: () => {
        if (seen.length > 0) return;
        for (const pid of redisBelow(process.pid)) {
          const l = listening(pid);
          const cwd = readlinkSync(`/proc/${pid}/cwd`);
          const modes = Object.fromEntries([
            [cwd, modeOf(cwd)],
            ...l.unixPaths.flatMap((p) => [
              [p, modeOf(p)],
              [dirname(p), modeOf(dirname(p))],
            ]),
          ]);
          seen.push({ pid, ...l, cwd, modes });
        }
      },
    });
    expect(result.manifest.counts.keys).toBe(5_000);
    expect(seen).toHaveLength(1);
    const [server] = seen as [(typeof seen)[number]];
    expect(server.tcpPorts, 'TCP ports the scratch server listens on').toEqual([]);
    expect(server.unixPaths).toHaveLength(1);
    const socket = server.unixPaths[0] as string;
    const folder = dirname(socket);
    // The folder it runs in (and holds the copy of the file) is the socket's own.
    expect(server.cwd).toBe(folder);
    expect(server.modes).toEqual({ [folder]: 0o700, [socket]: 0o700 });
    // Afterwards neither the server nor its folder (which held the copy of the file) is left.
    expect(alive(server.pid)).toBe(false);
    expect(existsSync(folder)).toBe(false);
  });
});

describe.each([
  ['an .rdb import', 'restore'],
  ['a test restore', 'verify'],
] as const)('SIGKILL of the CLI in the middle of %s', (_what, command) => {
  const home = tempHome();
  const rdb = join(work, `big-${command}.rdb`);
  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--home', home], { encoding: 'utf8', timeout: 60_000 });

  it('leaves no redis-server running and no folder anyone else can read, within a few seconds', async () => {
    await writeRdb(rdb, 200_000);
    expect(cli('profiles', 'add', 'scratch', '--url', `redis://127.0.0.1:${bed.standalone.port}`).status).toBe(0);
    // A dry run of the .rdb imports it and writes nothing to the bed; verify reads a big backup back.
    let args: string[];
    if (command === 'restore') args = ['restore', rdb, '--profile', 'scratch', '--dry-run'];
    else {
      const big = await importRdb(rdb, join(home, 'backups'), { source: { id: 'big', name: 'big' } });
      args = ['verify', big.manifestPath, '--test-restore'];
    }

    const child = spawn(process.execPath, [CLI, ...args, '--home', home, '--json'], { stdio: 'ignore' });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    let pid = 0;
    let folder = '';
    try {
      // In the middle: the scratch server is up and listening, the CLI is still working.
      ({ pid, folder } = await until(
        'the scratch redis-server of the CLI',
        () => {
          const [found] = redisBelow(child.pid as number);
          if (found === undefined) return undefined;
          try {
            const l = listening(found);
            return l.tcpPorts.length + l.unixPaths.length > 0 ? { pid: found, folder: readlinkSync(`/proc/${found}/cwd`) } : undefined;
          } catch {
            return undefined;
          }
        },
        30_000,
      ));
      expect(child.exitCode, 'the CLI must still be running when it is killed').toBeNull();
      child.kill('SIGKILL');
      await exited;
      const after = await until(
        'the scratch server and its folder gone',
        () => (!alive(pid) && (!existsSync(folder) || (modeOf(folder) & 0o077) === 0) ? { alive: false } : undefined),
        5_000,
      ).catch(() => ({ alive: alive(pid) }));
      expect(after.alive, `redis-server ${pid} (in ${folder}) still running after its CLI was SIGKILLed`).toBe(false);
      expect(existsSync(folder) ? modeOf(folder) & 0o077 : 0, `${folder} is open to others`).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await exited;
      // Never leave an orphan behind on a shared machine, whatever the outcome.
      if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
      if (folder.includes('swarmdeck-')) rmSync(folder, { recursive: true, force: true });
    }
  });
});
