import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type {
  ConsoleCatalogue,
  ConsoleCommand,
  ConsoleExecResult,
  ConsoleHistoryEntry,
  ConsoleKeysResult,
  MonitorLines,
  ReplyNode,
} from '../../src/shared/model/console';
import type { JobView } from '../../src/shared/model/job';
import type { StreamEntry } from '../../src/shared/model/task';
import { consoleCommands } from '../../src/main/features/console/cli';
import { ConsoleService } from '../../src/main/features/console/console-service';
import type { Context } from '../../src/main/hosts/cli/context';
import { bed, cluster, harness, ok, standalone, tempHome } from '../support/bed';

const h = harness();
afterAll(() => h.services.dispose());

const run = (profileId: string, line: string, extra: { node?: string; confirm?: string; full?: boolean } = {}) =>
  ok<ConsoleExecResult>(h.dispatch('console.exec', { profileId, line, ...extra }));

async function connected(input: Parameters<typeof h.services.profiles.save>[0]): Promise<string> {
  const profile = await h.services.profiles.save(input);
  await h.services.connections.connect(profile.id);
  return profile.id;
}

const first = (r: ConsoleExecResult, i = 0): ReplyNode => r.results[i]?.replies[0]?.reply as ReplyNode;

async function settled(jobId: string): Promise<JobView> {
  for (;;) {
    const job = await ok<JobView>(h.dispatch('jobs.get', { jobId }));
    if (job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const suffix = Date.now().toString(36);

describe('console on a standalone server', async () => {
  const dev = await connected({ ...standalone(), name: `console-dev-${suffix}` });
  const client = () => h.services.connections.session(dev).client;

  it('splits lines like redis-cli: quotes, escapes and bytes that are not UTF-8', async () => {
    const r = await run(dev, `SET "c:a b" 'it\\'s'\nSET c:bin "\\x00\\xffA\\n"\nGET "c:a b"\nGET c:bin`);
    expect(r.results.map((x) => x.argv.length)).toEqual([3, 3, 2, 2]);
    expect(first(r, 2)).toMatchObject({ type: 'string', value: "it's" });
    expect(first(r, 3)).toEqual({ type: 'binary', hex: '00ff410a', preview: '\\x00\\xffA\\n', bytes: 4 });
    expect(await client().getBuffer('c:bin')).toEqual(Buffer.from([0, 0xff, 0x41, 0x0a]));
  });

  it('names the column of an unbalanced quote and sends nothing of the call', async () => {
    const bad = await h.dispatch('console.exec', { profileId: dev, line: 'SET c:never 1\nGET "open' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { line: 2, column: 5 } } });
    expect(await client().exists('c:never')).toBe(0);
  });

  it("answers an unknown command with the server's error and a wrong arity with a clear one", async () => {
    const unknown = await run(dev, 'NOSUCHCOMMAND a b');
    expect(first(unknown)).toMatchObject({ type: 'error', message: expect.stringContaining('unknown command') });
    const arity = await h.dispatch('console.exec', { profileId: dev, line: 'GET a b' });
    expect(arity).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('GET takes exactly 1 argument(s), 2 given') },
    });
  });

  it('cuts big replies at the bound and loads them whole with full', async () => {
    await client().set('c:big', 'x'.repeat(100_000));
    await client().del('c:list');
    await client().rpush('c:list', ...Array.from({ length: 2000 }, (_, i) => `v${i}`));
    const cut = await run(dev, 'GET c:big\nLRANGE c:list 0 -1');
    expect(cut.results.map((x) => x.truncated)).toEqual([true, true]);
    expect(first(cut)).toMatchObject({ type: 'string', bytes: 100_000, truncated: true });
    expect((first(cut) as { value: string }).value.length).toBeLessThan(100_000);
    expect(first(cut, 1)).toMatchObject({ type: 'array', length: 2000, truncated: true });
    const whole = await run(dev, 'GET c:big\nLRANGE c:list 0 -1', { full: true });
    expect(whole.results.map((x) => x.truncated)).toEqual([false, false]);
    expect((first(whole) as { value: string }).value).toHaveLength(100_000);
    expect((first(whole, 1) as { items: unknown[] }).items).toHaveLength(2000);
  });

  it('runs a blocking command on a connection of its own: the shared one still answers PING meanwhile', async () => {
    await client().del('c:q');
    const order: string[] = [];
    const blocking = run(dev, 'BLPOP c:q 1').then((r) => {
      order.push('blpop');
      return r;
    });
    await client()
      .ping()
      .then(() => order.push('ping'));
    const r = await blocking;
    expect(order).toEqual(['ping', 'blpop']);
    expect(r.results[0]).toMatchObject({ dedicated: true, replies: [{ reply: { type: 'nil' } }] });
    expect(await client().ping()).toBe('PONG');
  });

  it('runs WAIT on a connection of its own: WAIT with no replicas and no timeout cannot wedge the shared one', async () => {
    const r = await run(dev, 'WAIT 1 50');
    expect(r.results[0]).toMatchObject({ dedicated: true, replies: [{ reply: { type: 'integer', value: 0 } }] });
    expect(await client().ping()).toBe('PONG');
  });

  it('QUIT and CLIENT REPLY OFF leave the profile connected', async () => {
    const quit = await run(dev, 'QUIT');
    expect(quit.results[0]).toMatchObject({ dedicated: true, replies: [{ reply: { type: 'string', value: 'OK' } }] });
    const off = await h.dispatch('console.exec', { profileId: dev, line: 'CLIENT REPLY OFF' });
    expect(off).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('needs a reply') } });
    expect(h.services.connections.session(dev).status.state).toBe('connected');
    expect(await client().ping()).toBe('PONG');
    expect(first(await run(dev, 'PING'))).toMatchObject({ type: 'string', value: 'PONG' });
  });

  it('closes the connections it made for a call, and refuses SUBSCRIBE with where to go instead', async () => {
    await run(dev, 'BLPOP c:q 1\nSELECT 2\nPING');
    const own = async () =>
      String(await client().call('CLIENT', 'LIST'))
        .split('\n')
        .filter((l) => l.includes('name=swarmdeck-console')).length;
    // The server learns of a closed socket after the client closes it; wait for it, do not time it.
    while ((await own()) > 0) await new Promise((r) => setTimeout(r, 20));
    expect(await own()).toBe(0);
    const sub = await h.dispatch('console.exec', { profileId: dev, line: 'SUBSCRIBE news' });
    expect(sub).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'line 1: SUBSCRIBE is not run by the console: subscribing takes the connection over: use the message viewer',
      },
    });
  });

  it("keeps SELECT and MULTI on the call's own connection", async () => {
    await client().del('c:counter', 'c:db1');
    const r = await run(dev, 'SELECT 1\nSET c:db1 yes\nMULTI\nINCR c:counter\nINCR c:counter\nEXEC');
    expect(first(r, 5)).toEqual({
      type: 'array',
      length: 2,
      items: [
        { type: 'integer', value: 1 },
        { type: 'integer', value: 2 },
      ],
    });
    // The shared connection is still on database 0, where neither key was written.
    expect(await client().exists('c:db1', 'c:counter')).toBe(0);
    expect(await client().select(0)).toBe('OK');
  });

  it('offers a budgeted SCAN for KEYS and finds the keys with console.keys', async () => {
    await client().mset('c:k:1', 1, 'c:k:2', 2, 'c:k:3', 3);
    const r = await run(dev, 'KEYS c:k:*');
    expect(r.results[0]).toMatchObject({ replies: [], offer: { op: 'console.keys', pattern: 'c:k:*' } });
    const keys = await ok<ConsoleKeysResult>(h.dispatch('console.keys', { profileId: dev, pattern: 'c:k:*', count: 100 }));
    expect(keys.keys.sort()).toEqual(['c:k:1', 'c:k:2', 'c:k:3']);
    expect(keys.complete).toBe(true);
  });

  it('describes commands from the server (cached in the home) and from the snapshot without a profile', async () => {
    const server = await ok<ConsoleCatalogue>(h.dispatch('console.commands', { profileId: dev }));
    expect(server.source).toBe('server');
    const set = server.commands.find((c) => c.name === 'SET') as ConsoleCommand;
    expect(set).toMatchObject({ summary: expect.any(String), group: 'string', class: 'write', arity: -3 });
    expect(set.args.map((a) => a.name)).toContain('expiration');
    const config = server.commands.find((c) => c.name === 'CONFIG') as ConsoleCommand;
    expect(config.subcommands?.find((s) => s.name === 'CONFIG SET')).toMatchObject({ class: 'dangerous', requestPolicy: 'all_nodes' });
    expect(config.subcommands?.find((s) => s.name === 'CONFIG GET')).toMatchObject({ class: 'admin' });
    expect(server.commands.find((c) => c.name === 'SUBSCRIBE')?.refused).toContain('message viewer');
    // A service on another home reads the server once and leaves the catalogue in that home.
    const home = tempHome();
    const other = new ConsoleService(home, h.services.jobs);
    expect((await other.catalogue(h.services.connections.session(dev))).version).toBe(server.version);
    expect(readdirSync(join(home, 'console-commands'))).toEqual([`redis-${server.version}.json`]);
    const snapshot = await ok<ConsoleCatalogue>(h.dispatch('console.commands', {}));
    expect(snapshot.source).toBe('snapshot');
    expect(snapshot.commands.length).toBe(server.commands.length);
  });

  it('answers HGETALL as a map', async () => {
    await client().del('c:h');
    await client().hset('c:h', 'f1', 'a', 'f2', 'b');
    const r = await run(dev, 'hgetall c:h\nHGETALL c:h');
    expect(first(r, 1)).toEqual(first(r, 0));
    expect(first(r)).toMatchObject({
      type: 'map',
      length: 2,
      entries: [
        { key: { value: 'f1' }, value: { value: 'a' } },
        { key: { value: 'f2' }, value: { value: 'b' } },
      ],
    });
  });

  it('runs through the CLI command like redis-cli prints, taking the SCAN offer for KEYS', async () => {
    const ctx: Context = { flags: { url: `redis://127.0.0.1:${bed.standalone.port}` }, home: tempHome(), services: h.services, api: h.api };
    const exec = consoleCommands.find((c) => c.words.includes('exec'));
    const out = await exec?.run(
      ['exec', 'SET c:cli:1 x\nDEL c:cli:1\nSET c:cli:1 "a b"\nGET c:cli:1\nGET c:cli:none\nKEYS c:cli:*\nINCR c:cli:1'],
      ctx,
    );
    expect(out?.text.split('\n')).toEqual([
      '"OK"',
      '(integer) 1',
      '"OK"',
      '"a b"',
      '(nil)',
      '(KEYS answered by SCAN: 1 key(s))',
      '1) c:cli:1',
      '(error) ERR value is not an integer or out of range',
    ]);
  });

  it('keeps a searchable history per profile', async () => {
    await run(dev, 'ECHO history-needle');
    const found = await ok<ConsoleHistoryEntry[]>(h.dispatch('console.history', { profileId: dev, search: 'HISTORY-NEEDLE' }));
    expect(found.map((e) => e.line)).toEqual(['ECHO history-needle']);
    expect(found[0]?.ok).toBe(true);
  });

  it('streams MONITOR as a job that stops by itself after a count', async () => {
    const job = await ok<JobView>(h.dispatch('console.monitor', { profileId: dev, maxCommands: 3, commands: ['echo'], seconds: 30 }));
    // Sent until the job has seen three: MONITOR starts on its own connection after the call returns.
    let done = await ok<JobView>(h.dispatch('jobs.get', { jobId: job.id }));
    for (let i = 0; done.state === 'running'; i++) {
      await client().echo(`mon-${i}`);
      await new Promise((r) => setTimeout(r, 20));
      done = await ok<JobView>(h.dispatch('jobs.get', { jobId: job.id }));
    }
    done = await settled(job.id);
    expect(done).toMatchObject({ state: 'done', result: { commands: 3, stoppedBy: 'count' } });
    const lines = await ok<MonitorLines>(h.dispatch('console.monitorLines', { jobId: job.id }));
    expect(lines.lines).toHaveLength(3);
    expect(lines.lines.every((l) => l.argv[0]?.toLowerCase() === 'echo' && l.node === `127.0.0.1:${bed.standalone.port}`)).toBe(true);
  });

  it("refuses every write command of the server's table on a read-only profile, before sending it", async () => {
    const ro = await connected({ ...standalone(), name: `console-ro-${suffix}`, readOnly: true });
    const catalogue = await ok<ConsoleCatalogue>(h.dispatch('console.commands', { profileId: ro }));
    const all = catalogue.commands.flatMap((c) => [c, ...(c.subcommands ?? [])]).filter((c) => !c.subcommands && !c.refused);
    const writes = all.filter((c) => c.flags.includes('write'));
    expect(writes.length).toBeGreaterThan(90);
    await client().set('c:ro-sentinel', 'kept');
    const before = await client().dbsize();
    const leaks: string[] = [];
    for (const command of writes) {
      const words = command.name.split(' ');
      const argc = command.arity > 0 ? command.arity : -command.arity;
      const argv = [...words, ...Array.from({ length: Math.max(0, argc - words.length) }, () => 'c:ro-sentinel')];
      const reply = await h.dispatch('console.exec', { profileId: ro, line: argv.join(' ') });
      if (reply.ok || reply.error.code !== 'READ_ONLY') leaks.push(`${command.name}: ${JSON.stringify(reply).slice(0, 120)}`);
    }
    expect(leaks).toEqual([]);
    expect(await client().dbsize()).toBe(before);
    expect(await client().get('c:ro-sentinel')).toBe('kept');
    const refusal = await h.dispatch('console.exec', { profileId: ro, line: 'DEL c:ro-sentinel' });
    expect(refusal).toMatchObject({
      ok: false,
      error: { message: `Profile "console-ro-${suffix}" is read-only: DEL can change data, so the console did not send it` },
    });
    // A read-only script is flagged readonly, yet it can loop until SCRIPT KILL and reset the slow log: refused too.
    for (const line of ['EVAL_RO "while true do end" 0', "EVAL_RO \"return redis.call('SLOWLOG', 'RESET')\" 0", 'FCALL_RO anything 0']) {
      expect(await h.dispatch('console.exec', { profileId: ro, line }), line).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } });
    }
    // Reads still run.
    expect(first(await run(ro, 'GET c:ro-sentinel'))).toMatchObject({ value: 'kept' });
  });

  it("needs the profile's name typed before FLUSHALL on production, and audits it", async () => {
    const name = `console-prod-${suffix}`;
    const prod = await connected({ ...standalone(), name, environment: 'production' });
    await client().set('c:survivor', '1');
    const before = await client().dbsize();
    const refused = await h.dispatch('console.exec', { profileId: prod, line: 'FLUSHALL' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'CONFIRMATION_REQUIRED', message: expect.stringContaining(`--confirm ${name}`) },
    });
    const wrong = await h.dispatch('console.exec', { profileId: prod, line: 'FLUSHALL', confirm: 'standalone' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    // A script can do whatever a dangerous command does: wrapping FLUSHDB in EVAL or FCALL changes nothing.
    for (const line of [
      'EVAL "return redis.call(\'FLUSHDB\')" 0',
      'EVALSHA 0123456789abcdef0123456789abcdef01234567 0',
      'FCALL anything 0',
    ]) {
      expect(await h.dispatch('console.exec', { profileId: prod, line })).toMatchObject({
        ok: false,
        error: { code: 'CONFIRMATION_REQUIRED' },
      });
    }
    expect(await client().dbsize()).toBe(before);
    // MONITOR on production is confirmed the same way.
    expect(await h.dispatch('console.monitor', { profileId: prod, seconds: 1 })).toMatchObject({
      ok: false,
      error: { code: 'CONFIRMATION_REQUIRED' },
    });
    const done = await run(prod, 'FLUSHALL', { confirm: name });
    expect(done.results[0]).toMatchObject({ class: 'dangerous', audited: true, replies: [{ reply: { type: 'string', value: 'OK' } }] });
    expect(await client().exists('c:survivor')).toBe(0);
    const trail = await ok<StreamEntry[]>(h.dispatch('audit.recent', { profileId: prod, count: 5, action: 'console.' }));
    expect(trail[0]?.fields).toMatchObject({ action: 'console.exec', target: 'FLUSHALL', profile: name });
    // A call with a dangerous line is refused whole: its harmless first line was not sent either.
    await client().del('c:first-line');
    expect(await h.dispatch('console.exec', { profileId: prod, line: 'SET c:first-line 1\nFLUSHDB' })).toMatchObject({
      ok: false,
      error: { code: 'CONFIRMATION_REQUIRED' },
    });
    expect(await client().exists('c:first-line')).toBe(0);
    // Secrets do not reach the audit stream or the history file.
    await run(prod, 'AUTH someone hunter2-secret');
    const auth = await ok<StreamEntry[]>(h.dispatch('audit.recent', { profileId: prod, count: 1, action: 'console.' }));
    expect(auth[0]?.fields.detail).toBe('AUTH ‹2 argument(s) redacted›');
    const history = await ok<ConsoleHistoryEntry[]>(h.dispatch('console.history', { profileId: prod }));
    expect(JSON.stringify(history)).not.toContain('hunter2');
    // A plain write asks like a dangerous one; FUNCTION LOAD (REPLACE) is dangerous: an agent's ordinary FCALL runs what it installs.
    expect(await h.dispatch('console.exec', { profileId: prod, line: 'SET c:unconfirmed 1' })).toMatchObject({
      ok: false,
      error: { code: 'CONFIRMATION_REQUIRED' },
    });
    expect(await client().exists('c:unconfirmed')).toBe(0);
    const library = `FUNCTION LOAD REPLACE "#!lua name=sdsweep\\nredis.register_function('sdsweep', function() return redis.call('FLUSHALL') end)"`;
    expect(await h.dispatch('console.exec', { profileId: prod, line: library })).toMatchObject({
      ok: false,
      error: { code: 'CONFIRMATION_REQUIRED' },
    });
    expect(await client().call('FUNCTION', 'LIST', 'LIBRARYNAME', 'sdsweep')).toEqual([]);
    expect((await run(prod, 'SET c:confirmed 1', { confirm: name })).results[0]).toMatchObject({ class: 'write', audited: true });
    // ACL LOG reads the security log; ACL LOG RESET erases it.
    expect(await h.dispatch('console.exec', { profileId: prod, line: 'acl log reset' })).toMatchObject({
      ok: false,
      error: { code: 'CONFIRMATION_REQUIRED' },
    });
    expect((await run(prod, 'ACL LOG 1')).results[0]).toMatchObject({ class: 'admin' });
    expect(await h.dispatch('console.exec', { profileId: prod, line: 'EVAL_RO "return 1" 0' })).toMatchObject({
      ok: false,
      error: { code: 'CONFIRMATION_REQUIRED' },
    });
    // Reads on production run without confirmation and are audited too.
    const read = await run(prod, 'DBSIZE');
    expect(read.results[0]?.audited).toBe(true);
  });
});

describe('console on a cluster', async () => {
  const id = await connected({ ...cluster(), name: `console-cluster-${suffix}` });
  const session = () => h.services.connections.session(id);

  it('routes each key to the node that owns its slot', async () => {
    const keys = ['c:route:a', 'c:route:b', 'c:route:c', 'c:route:d', 'c:route:e', 'c:route:f'];
    const r = await run(id, keys.map((k) => `SET ${k} v-${k}`).join('\n'));
    const owners = new Set(r.results.map((x) => x.replies[0]?.node));
    expect(owners.size).toBeGreaterThan(1);
    for (const [i, key] of keys.entries()) {
      const [host, port] = (r.results[i]?.replies[0]?.node as string).split(':');
      // Asked directly, without redirection: the node the console named holds the key.
      const direct = new Redis(Number(port), host as string, { lazyConnect: true });
      try {
        expect(await direct.get(key)).toBe(`v-${key}`);
      } finally {
        direct.disconnect();
      }
    }
  });

  it('sends a keyed command straight to its slot owner, typed in any case, with no MOVED detour', async () => {
    const nodes = (session().client as Cluster).nodes('all');
    await Promise.all(nodes.map((n) => n.call('CONFIG', 'RESETSTAT')));
    await run(id, Array.from({ length: 30 }, (_, i) => `${i % 2 ? 'SET' : 'set'} c:moved:${i} ${i}`).join('\n'));
    const stats = await Promise.all(nodes.map(async (n) => String(await n.info('errorstats'))));
    expect(stats.map((s) => /errorstat_MOVED:count=(\d+)/.exec(s)?.[1] ?? '0')).toEqual(nodes.map(() => '0'));
  });

  it('runs on an explicit node, which answers MOVED for a key it does not own', async () => {
    const masters = (session().client as Cluster).nodes('master').map((n) => `${n.options.host}:${n.options.port}`);
    const set = await run(id, 'SET c:explicit 1');
    const owner = set.results[0]?.replies[0]?.node as string;
    const other = masters.find((m) => m !== owner) as string;
    const there = await run(id, 'GET c:explicit', { node: owner });
    expect(there.results[0]?.replies).toEqual([{ node: owner, reply: { type: 'string', value: '1', bytes: 1 } }]);
    const elsewhere = await run(id, 'GET c:explicit', { node: other });
    expect(first(elsewhere)).toMatchObject({ type: 'error', message: expect.stringContaining('MOVED') });
    expect(await h.dispatch('console.exec', { profileId: id, line: 'PING', node: '127.0.0.1:1' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('fans INFO out to all six nodes', async () => {
    const r = await run(id, 'INFO server');
    const replies = r.results[0]?.replies ?? [];
    expect(replies).toHaveLength(6);
    expect(new Set(replies.map((x) => x.node)).size).toBe(6);
    expect(replies.filter((x) => x.role === 'master')).toHaveLength(3);
    expect(replies.every((x) => x.reply.type === 'string' && x.reply.value.includes('redis_version'))).toBe(true);
  });

  it('runs BLPOP on its own connection to the slot owner and leaves the shared client answering', async () => {
    const r = await run(id, 'BLPOP c:{q}:empty 1');
    expect(r.results[0]).toMatchObject({ dedicated: true, replies: [{ reply: { type: 'nil' } }] });
    expect(await session().client.ping()).toBe('PONG');
  });

  it('runs XREAD BLOCK on its own connection to the node owning the stream', async () => {
    for (const key of ['c:{s1}:stream', 'c:{s2}:stream', 'c:{s3}:stream', 'c:{s4}:stream']) {
      const r = await run(id, `XREAD BLOCK 50 STREAMS ${key} $`);
      expect(r.results[0]).toMatchObject({ dedicated: true, replies: [{ reply: { type: 'nil' } }] });
    }
  });

  it('monitors every node of the cluster as one job, per node, until cancelled', async () => {
    const job = await ok<JobView>(h.dispatch('console.monitor', { profileId: id, seconds: 600, commands: ['get'], contains: 'c:mon' }));
    let seen = 0;
    for (let i = 0; seen < 6; i++) {
      await run(id, `GET c:mon:${i}`);
      seen = (await ok<MonitorLines>(h.dispatch('console.monitorLines', { jobId: job.id }))).lines.length;
      expect(await ok<JobView>(h.dispatch('jobs.get', { jobId: job.id }))).toMatchObject({ state: 'running' });
      await new Promise((r) => setTimeout(r, 20));
    }
    await ok(h.dispatch('jobs.cancel', { jobId: job.id }));
    const done = await settled(job.id);
    expect(done.state).toBe('cancelled');
    const lines = await ok<MonitorLines>(h.dispatch('console.monitorLines', { jobId: job.id }));
    expect(new Set(lines.lines.map((l) => l.node)).size).toBeGreaterThan(1);
    expect(lines.lines.every((l) => l.argv[0]?.toLowerCase() === 'get' && l.argv[1]?.startsWith('c:mon:'))).toBe(true);
    // No MONITOR connection outlives the job.
    const monitors = async () =>
      (
        await Promise.all(
          (session().client as Cluster).nodes('all').map(
            async (n) =>
              String(await n.call('CLIENT', 'LIST'))
                .split('\n')
                .filter((l) => /flags=\S*O/.test(l)).length,
          ),
        )
      ).reduce((a, b) => a + b, 0);
    while ((await monitors()) > 0) await new Promise((r) => setTimeout(r, 20));
    expect(await monitors()).toBe(0);
  });

  it('sends a command whose policy is all_nodes (CONFIG SET) to replicas too', async () => {
    const r = await run(id, 'CONFIG SET slowlog-max-len 129');
    expect(r.results[0]?.replies.map((x) => x.reply)).toEqual(Array.from({ length: 6 }, () => ({ type: 'string', value: 'OK', bytes: 2 })));
    const values = await Promise.all(
      (session().client as Cluster).nodes('all').map(async (n) => ((await n.call('CONFIG', 'GET', 'slowlog-max-len')) as string[])[1]),
    );
    expect(values).toEqual(Array.from({ length: 6 }, () => '129'));
    await run(id, 'CONFIG SET slowlog-max-len 128');
  });

  it('keeps binary values binary on a cluster', async () => {
    await run(id, 'SET c:bin "\\xde\\xad\\xbe\\xef"');
    expect(first(await run(id, 'GET c:bin'))).toMatchObject({ type: 'binary', hex: 'deadbeef' });
  });
});
