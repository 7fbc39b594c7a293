import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { FencedLock } from '../../src/main/features/locks/fenced-lock';
import { FencedLocks } from '../../src/main/features/locks/fenced-locks';
import { lockKeys } from '../../src/main/redis/keyspace';
import { SwarmdeckError } from '../../src/shared/errors';
import { BED_DIR, ROOT, bed, cluster, harness, redisTargets, standalone } from '../support/bed';
import { clientPool, refusal, until } from '../support/harness';
import { sleep } from '../support/sleep';
import { ProxiedTarget } from '../support/tcp-proxy';

const CLI = join(ROOT, 'bin/swarmdeck.js');
const run = `locks${process.pid}`;

function worker(
  kind: string,
  port: number,
  prefix: string,
  resource: string,
  counter: string,
  log: string,
  iterations: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'test/support/lock-worker.ts'),
        kind,
        String(port),
        prefix,
        resource,
        counter,
        log,
        String(iterations),
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? -1));
  });
}

const targets = redisTargets();

describe.each(targets)('fenced locks on %s', (kind, connect) => {
  const { open, track, disconnect } = clientPool(connect);
  const prefix = `${run}${kind}`;
  const port = kind === 'cluster' ? (bed.cluster.ports[0] as number) : bed.standalone.port;
  afterAll(disconnect);

  it('20 worker processes incrementing one counter under the lock lose no update, and the fences grow in the order of the writes', async () => {
    const redis = open();
    // Plain keys outside Swarmdeck's keyspace: what the lock protects is the application's.
    const counter = `app-counter-${run}-${kind}`;
    const log = `app-fences-${run}-${kind}`;
    const codes = await Promise.all(Array.from({ length: 20 }, () => worker(kind, port, prefix, 'counter', counter, log, 5)));
    expect(codes).toEqual(Array(20).fill(0));
    expect(Number(await redis.get(counter))).toBe(100);
    const fences = (await redis.lrange(log, 0, -1)).map(Number);
    expect(fences).toHaveLength(100);
    for (let i = 1; i < fences.length; i += 1) expect(fences[i]).toBeGreaterThan(fences[i - 1] as number);
  }, 120_000);

  it('a lease that is not renewed expires; the next holder gets a larger fence and the stale owner cannot release it', async () => {
    const a = new FencedLocks(open(), prefix);
    const b = new FencedLocks(open(), prefix);
    const first = (await a.acquire('expiry', { ttlMs: 150, owner: 'a' })) as FencedLock;
    expect(first).toBeDefined();
    expect(await b.acquire('expiry', { owner: 'b' })).toBeUndefined();
    const second = (await b.acquire('expiry', { ttlMs: 5000, waitMs: 5000, owner: 'b' })) as FencedLock;
    expect(second.fence).toBeGreaterThan(first.fence);
    expect(first.held).toBe(false);
    const stale = await refusal(first.release());
    expect(stale.code).toBe('LEASE_LOST');
    // The refusal changed nothing: b still holds it with its own fence.
    const view = await a.view('expiry');
    expect(view).toMatchObject({ held: true, owner: 'b', fence: second.fence });
    expect(await refusal(first.extend())).toMatchObject({ code: 'LEASE_LOST' });
    await second.release();
    expect((await a.view('expiry')).held).toBe(false);
    // The counter outlives every lease: the next holder's fence is larger still.
    const third = (await a.acquire('expiry', { owner: 'a' })) as FencedLock;
    expect(third.fence).toBeGreaterThan(second.fence);
    await third.release();
  });

  it('the watchdog keeps a short lease alive while work runs, and aborts the signal the moment it is taken away', async () => {
    const locks = new FencedLocks(open(), prefix);
    const other = new FencedLocks(open(), prefix);
    const lock = (await locks.acquire('watchdog', { ttlMs: 300, owner: 'worker' })) as FencedLock;
    lock.startWatchdog();
    // Three leases' worth of time: without renewals the lock would be free by now.
    await sleep(900);
    expect(lock.held).toBe(true);
    expect(await other.acquire('watchdog', { owner: 'other' })).toBeUndefined();
    const aborted = new Promise<unknown>((resolve) =>
      lock.signal.addEventListener('abort', () => resolve(lock.signal.reason), { once: true }),
    );
    await other.forceRelease('watchdog', lock.fence);
    const reason = await aborted;
    expect(reason).toBeInstanceOf(SwarmdeckError);
    expect((reason as SwarmdeckError).code).toBe('LEASE_LOST');
    expect(lock.held).toBe(false);
  });

  it('a renewal whose reply comes back after the lease may have run out counts as lost', async () => {
    const proxied = await ProxiedTarget.start(kind);
    try {
      const client = track(proxied.connect());
      const locks = new FencedLocks(client, prefix);
      const lock = (await locks.acquire('late', { ttlMs: 400, owner: 'slow' })) as FencedLock;
      const aborted = new Promise<unknown>((resolve) =>
        lock.signal.addEventListener('abort', () => resolve(lock.signal.reason), { once: true }),
      );
      // Redis renews at once, but the reply arrives after the believed lease is over.
      proxied.delay(600);
      await expect(lock.extend()).rejects.toMatchObject({ code: 'LEASE_LOST' });
      expect(((await aborted) as SwarmdeckError).code).toBe('LEASE_LOST');
      expect(lock.held).toBe(false);
    } finally {
      await proxied.close();
    }
  });

  it('waiters are visible with their deadline while they wait, and gone once served', async () => {
    const a = new FencedLocks(open(), prefix);
    const b = new FencedLocks(open(), prefix);
    const held = (await a.acquire('queue', { ttlMs: 10_000, owner: 'a' })) as FencedLock;
    const waiting = b.acquire('queue', { ttlMs: 10_000, waitMs: 20_000, owner: 'b' });
    const seen = await until('the waiter', async () => {
      const v = await a.view('queue');
      return v.waiterCount === 1 ? v : undefined;
    });
    expect(seen.waiters[0]?.id).toMatch(/^b#/);
    expect(seen.waiters[0]?.deadline).toBeGreaterThan(Date.now());
    await held.release();
    const got = (await waiting) as FencedLock;
    expect(got.fence).toBe(held.fence + 1);
    expect((await a.view('queue')).waiterCount).toBe(0);
    const listed = await a.list();
    expect(listed.find((l) => l.resource === 'queue')).toMatchObject({ held: true, owner: 'b', fence: got.fence });
    await got.release();
  });

  it('refuses bad input with typed errors and stores nothing', async () => {
    const redis = open();
    const locks = new FencedLocks(redis, prefix);
    expect(await refusal(locks.acquire('bad{slot}'))).toMatchObject({ code: 'VALIDATION' });
    expect(await refusal(locks.acquire('ok', { ttlMs: 0 }))).toMatchObject({ code: 'VALIDATION' });
    expect(await refusal(locks.acquire('ok', { ttlMs: 1.5 }))).toMatchObject({ code: 'VALIDATION' });
    expect(await redis.exists(lockKeys(prefix, 'ok').lock, lockKeys(prefix, 'ok').fence)).toBe(0);
    expect(await refusal(locks.forceRelease('nobody-holds-this'))).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('force release through the contract', () => {
  const h = harness();
  afterAll(() => h.services.dispose());

  it.each([
    ['standalone', standalone],
    ['cluster', cluster],
  ] as const)('on a production %s profile needs the resource typed, and is audited', async (kind, profileOf) => {
    const prefix = `${run}force${kind}`;
    const profile = await h.services.profiles.save({ ...profileOf(), name: `prod-${kind}`, environment: 'production', keyPrefix: prefix });
    await h.api.call('connections.connect', { profileId: profile.id });
    const session = h.services.connections.session(profile.id);
    const holder = (await new FencedLocks(session.client, prefix).acquire('deploy/main', {
      ttlMs: 30_000,
      owner: 'deployer',
    })) as FencedLock;
    const listed = await h.api.call('locks.list', { profileId: profile.id });
    expect(listed).toEqual([expect.objectContaining({ resource: 'deploy/main', owner: 'deployer', fence: holder.fence, held: true })]);
    await expect(h.api.call('locks.forceRelease', { profileId: profile.id, resource: 'deploy/main' })).rejects.toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
    });
    await expect(
      h.api.call('locks.forceRelease', { profileId: profile.id, resource: 'deploy/main', confirm: 'deploy' }),
    ).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    expect((await h.api.call('locks.list', { profileId: profile.id }))[0]?.held).toBe(true);
    // A fence the operator did not see is another holder: refused.
    await expect(
      h.api.call('locks.forceRelease', { profileId: profile.id, resource: 'deploy/main', fence: holder.fence + 1, confirm: 'deploy/main' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(
      await h.api.call('locks.forceRelease', {
        profileId: profile.id,
        resource: 'deploy/main',
        fence: holder.fence,
        confirm: 'deploy/main',
      }),
    ).toEqual({ fence: holder.fence, owner: 'deployer' });
    expect(await h.api.call('locks.list', { profileId: profile.id })).toEqual([]);
    const audit = await h.api.call('audit.recent', { profileId: profile.id, count: 5, action: 'lock.' });
    expect(audit[0]?.fields).toMatchObject({ action: 'lock.forceRelease', target: 'deploy/main' });
    await expect(holder.release()).rejects.toMatchObject({ code: 'LEASE_LOST' });
  });
});

describe.each(targets)('swarmdeck lock exec on %s', (kind) => {
  const prefix = `${run}exec${kind}`;
  const where =
    kind === 'cluster' ? ['--cluster', `127.0.0.1:${bed.cluster.ports[0]}`] : ['--url', `redis://127.0.0.1:${bed.standalone.port}`];
  const home = mkdtempSync(join(tmpdir(), 'sd-locks-'));
  const cli = (args: string[]): Promise<{ code: number; stderr: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd: ROOT,
        env: { ...process.env, SWARMDECK_HOME: home },
        stdio: ['ignore', 'inherit', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code: code ?? -1, stderr }));
    });

  it('20 processes doing read-increment-write on a plain file under the lock lose no update', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-lock-file-'));
    const file = join(dir, 'counter');
    writeFileSync(file, '0');
    // Read, pause, write: two holders at once would lose an increment. The fence is logged too.
    const script = `n=$(cat "${file}"); sleep 0.01; echo $((n+1)) > "${file}"; echo "$SWARMDECK_FENCE" >> "${file}.fences"`;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        cli(['lock', 'exec', 'file', '--wait', '60000', '--ttl', '5000', '--prefix', prefix, ...where, '--', 'sh', '-c', script]),
      ),
    );
    expect(results.map((r) => r.code)).toEqual(Array(20).fill(0));
    expect(readFileSync(file, 'utf8').trim()).toBe('20');
    const fences = readFileSync(`${file}.fences`, 'utf8').trim().split('\n').map(Number);
    for (let i = 1; i < fences.length; i += 1) expect(fences[i]).toBeGreaterThan(fences[i - 1] as number);
  }, 180_000);

  it("passes the command's exit code on, exits 75 when the lock cannot be had and 76 when it is lost", async () => {
    expect((await cli(['lock', 'exec', 'codes', '--prefix', prefix, ...where, '--', 'sh', '-c', 'exit 3'])).code).toBe(3);
    const client =
      kind === 'cluster'
        ? new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }])
        : new Redis(bed.standalone.port, '127.0.0.1');
    try {
      const locks = new FencedLocks(client, prefix);
      const held = (await locks.acquire('codes', { ttlMs: 30_000, owner: 'blocker' })) as FencedLock;
      const busy = await cli(['lock', 'exec', 'codes', '--wait', '200', '--prefix', prefix, ...where, '--', 'sh', '-c', 'exit 0']);
      expect(busy.code).toBe(75);
      expect(busy.stderr).toContain('could not be had');
      await held.release();
      // Lost while running: an operator takes the lock; the command gets SIGTERM and the CLI exits 76.
      const running = cli(['lock', 'exec', 'codes', '--ttl', '600', '--prefix', prefix, ...where, '--', 'sleep', '30']);
      await until('the exec to hold the lock', async () => ((await locks.view('codes')).held ? true : undefined));
      await locks.forceRelease('codes');
      const lost = await running;
      expect(lost.code).toBe(76);
      expect(lost.stderr).toContain('is lost');
    } finally {
      client.disconnect();
    }
  }, 60_000);
});

describe('swarmdeck lock exec stopped by a signal', () => {
  const prefix = `${run}signal`;
  const where = ['--url', `redis://127.0.0.1:${bed.standalone.port}`];
  const home = mkdtempSync(join(tmpdir(), 'sd-locks-signal-'));
  const { open, disconnect } = clientPool(() => new Redis(bed.standalone.port, '127.0.0.1'));
  afterAll(disconnect);

  /** The CLI as a process of its own, so a test can signal it. */
  function start(args: string[]) {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, SWARMDECK_HOME: home },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, stderr })),
    );
    return { child, exited };
  }
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      // A zombie has exited: only its parent's bookkeeping is left.
      return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
    } catch {
      return false;
    }
  };
  const pidOf = (file: string): Promise<number> =>
    until(`the command to write ${file}`, () => {
      try {
        const pid = Number(readFileSync(file, 'utf8').trim());
        return pid > 0 ? pid : undefined;
      } catch {
        return undefined;
      }
    });

  it.each([
    ['SIGHUP', 129],
    ['SIGINT', 130],
    ['SIGQUIT', 131],
    ['SIGTERM', 143],
  ] as const)(
    'on %s stops its command, children too, and frees the lock at once, long before the lease would run out',
    async (signal, code) => {
      const locks = new FencedLocks(open(), prefix);
      const resource = `signal-${signal}`;
      const dir = mkdtempSync(join(tmpdir(), 'sd-lock-pid-'));
      // A script and the program it runs, as `./make-report.sh` would be: stopping the shell alone
      // would leave the program working without the lock. (No core files from SIGQUIT.)
      const script = `ulimit -c 0; echo $$ > "${dir}/shell"; sh -c 'echo $$ > "${dir}/program"; exec sleep 60'; echo never`;
      const { child, exited } = start(['lock', 'exec', resource, '--ttl', '60000', '--prefix', prefix, ...where, '--', 'sh', '-c', script]);
      const pids = [await pidOf(join(dir, 'shell')), await pidOf(join(dir, 'program'))];
      expect((await locks.view(resource)).held).toBe(true);
      child.kill(signal);
      const out = await exited;
      expect(out, out.stderr).toMatchObject({ code, signal: null });
      expect(pids.filter(alive)).toEqual([]);
      // Free now, not in 60 s: the next holder gets it without waiting.
      expect((await locks.view(resource)).held).toBe(false);
      const next = (await locks.acquire(resource, { owner: 'next' })) as FencedLock;
      expect(next).toBeDefined();
      await next.release();
    },
  );

  it('kills a command that ignores the signal once the grace is over, then frees the lock', async () => {
    const locks = new FencedLocks(open(), prefix);
    const dir = mkdtempSync(join(tmpdir(), 'sd-lock-pid-'));
    // The shell ignores HUP, and so does the sleeper it starts (an ignored signal is inherited).
    const script = `trap '' HUP; echo $$ > "${dir}/shell"; sh -c 'echo $$ > "${dir}/program"; exec sleep 60'; echo done`;
    const { child, exited } = start(['lock', 'exec', 'stubborn', '--ttl', '60000', '--prefix', prefix, ...where, '--', 'sh', '-c', script]);
    const pids = [await pidOf(join(dir, 'shell')), await pidOf(join(dir, 'program'))];
    const sentAt = Date.now();
    child.kill('SIGHUP');
    const out = await exited;
    expect(out, out.stderr).toMatchObject({ code: 129 });
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(4500);
    expect(pids.filter(alive)).toEqual([]);
    expect((await locks.view('stubborn')).held).toBe(false);
  }, 30_000);

  it('on Ctrl-Z stops with its command (which has a process group of its own), and both go on together', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-lock-pid-'));
    const { child, exited } = start([
      'lock',
      'exec',
      'suspended',
      '--ttl',
      '60000',
      '--prefix',
      prefix,
      ...where,
      '--',
      'sh',
      '-c',
      `sh -c 'echo $$ > "${dir}/program"; exec sleep 60'`,
    ]);
    const program = await pidOf(join(dir, 'program'));
    const state = (pid: number): string => /^\d+ \(.*\) (\S) /.exec(readFileSync(`/proc/${pid}/stat`, 'latin1'))?.[1] ?? '?';
    child.kill('SIGTSTP');
    // A command left running while lock exec is stopped would outlive the lease nobody renews.
    await until('both to be stopped', () => (state(program) === 'T' && state(child.pid as number) === 'T' ? true : undefined));
    child.kill('SIGCONT');
    await until('the command to go on', () => (state(program) !== 'T' ? true : undefined));
    child.kill('SIGTERM');
    expect((await exited).code).toBe(143);
    expect(alive(program)).toBe(false);
  });

  it('on a signal while still waiting for the lock gives up its place in line and never runs the command', async () => {
    const locks = new FencedLocks(open(), prefix);
    const held = (await locks.acquire('queued', { ttlMs: 60_000, owner: 'blocker' })) as FencedLock;
    const marker = join(mkdtempSync(join(tmpdir(), 'sd-lock-ran-')), 'ran');
    const { child, exited } = start([
      'lock',
      'exec',
      'queued',
      '--wait',
      '60000',
      '--prefix',
      prefix,
      ...where,
      '--',
      'sh',
      '-c',
      `touch "${marker}"`,
    ]);
    await until('the exec to wait in line', async () => ((await locks.view('queued')).waiterCount === 1 ? true : undefined));
    child.kill('SIGHUP');
    const out = await exited;
    expect(out, out.stderr).toMatchObject({ code: 129 });
    expect((await locks.view('queued')).waiterCount).toBe(0);
    await held.release();
    expect(() => readFileSync(marker)).toThrow();
    expect((await locks.view('queued')).held).toBe(false);
  });
});

describe('the fencing token across a cluster master failover', () => {
  afterAll(() => {
    // Bring the killed node back (it rejoins as a replica) so the bed is whole for other files.
    execFileSync(process.execPath, [join(ROOT, 'scripts/test-redis.mjs'), 'start'], { stdio: 'inherit' });
  });

  it('keeps increasing when the master of the lock slot dies right after an acknowledged acquisition', async () => {
    const client = new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }], { scaleReads: 'master' });
    client.on('error', () => undefined);
    try {
      const prefix = `${run}failover`;
      const slots = (await client.cluster('SLOTS')) as unknown as [number, number, [string, number, string]][];
      const masterPort = async (resource: string): Promise<number> => {
        const slot = Number(await client.cluster('KEYSLOT', lockKeys(prefix, resource).fence));
        return Number(slots.find(([from, to]) => slot >= from && slot <= to)?.[2][1]);
      };
      // A resource whose master is not the seed, so discovery from the seed keeps working.
      let resource = 'failover';
      for (let i = 0; (await masterPort(resource)) === bed.cluster.ports[0]; i += 1) resource = `failover-${i}`;
      const port = await masterPort(resource);
      const locks = new FencedLocks(client, prefix);
      let last = 0;
      for (let i = 0; i < 5; i += 1) {
        const lock = (await locks.acquire(resource, { ttlMs: 1000, replicas: 1, replicaTimeoutMs: 2000 })) as FencedLock;
        expect(lock.fence).toBeGreaterThan(last);
        last = lock.fence;
        await lock.release();
      }
      // The last acquisition was acknowledged by the replica before it was reported held.
      const held = (await locks.acquire(resource, { ttlMs: 60_000, replicas: 1, replicaTimeoutMs: 2000 })) as FencedLock;
      last = held.fence;
      const pid = Number(readFileSync(join(BED_DIR, `cluster-${port}`, 'redis.pid'), 'utf8'));
      process.kill(pid, 'SIGKILL');
      const next = await until(
        'a lock from the promoted replica',
        async () => {
          try {
            // The dead holder's lease survives on the replica; an operator clears it, as they would.
            await locks.forceRelease(resource).catch(() => undefined);
            return await locks.acquire(resource, { ttlMs: 1000 });
          } catch {
            return undefined;
          }
        },
        60_000,
      );
      expect(next.fence).toBeGreaterThan(last);
      await next.release();
    } finally {
      client.disconnect();
    }
  }, 90_000);
});

// The CLI tests need the built CLI; say so plainly rather than fail obscurely.
it('has a built CLI to run', () => {
  const r = spawnSync(process.execPath, [CLI, '--version'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
});
