import { createHash } from 'node:crypto';
import { Cluster, Command, Pipeline, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/main/redis/client-options';
import { connect, type SwarmdeckConnection } from '../../src/main/sdk';
import { bed, cluster as clusterProfile, harness, ok, standalone as standaloneProfile } from '../support/bed';

/**
 * The spec of what a read-only profile may send beyond what the server flags `readonly`,
 * restated here on purpose: widening the guard's list must be a visible change to this test.
 */
const ALLOWED = new Set([
  'auth',
  'select',
  'client|setname',
  'client|setinfo',
  'info',
  'readonly',
  'asking',
  'cluster|info',
  'cluster|slots',
  'command',
  'ping',
  'echo',
  'hello',
  'client|getname',
  'client|id',
  'client|info',
  'readwrite',
  'acl|whoami',
  'cluster|nodes',
  'cluster|shards',
  'cluster|myid',
  'command|count',
  'command|list',
  'command|info',
  'command|docs',
  'command|getkeys',
  'command|getkeysandflags',
  'config|get',
  'slowlog|get',
  'slowlog|len',
  'latency|latest',
  'latency|history',
  'latency|doctor',
  'memory|stats',
  'memory|doctor',
  'client|list',
  'role',
  'time',
  'lastsave',
  'pubsub|channels',
  'pubsub|numsub',
  'pubsub|numpat',
  'pubsub|shardchannels',
  'pubsub|shardnumsub',
]);

interface Entry {
  /** `name` or `container|sub`, as the server's table spells it. */
  key: string;
  arity: number;
  flags: string[];
  container: boolean;
}

const JUNK = 'swarmdeck-sweep';

async function commandTable(client: Redis): Promise<Entry[]> {
  const table = (await client.call('COMMAND')) as unknown[][];
  const entries: Entry[] = [];
  const visit = (raw: unknown[]): void => {
    const subs = Array.isArray(raw[9]) ? (raw[9] as unknown[][]) : [];
    entries.push({
      key: String(raw[0]).toLowerCase(),
      arity: Number(raw[1]),
      flags: (raw[2] as unknown[]).map(String),
      container: subs.length > 0,
    });
    subs.forEach(visit);
  };
  table.forEach(visit);
  return entries;
}

/**
 * Arguments that the server itself would reject (too few or too many, or a junk token), so a
 * command that slipped past the guard shows up as a leak without destroying the bed.
 */
function harmlessArgv(entry: Entry): string[] {
  const head = entry.key.split('|');
  const total = entry.arity > 0 ? entry.arity + 1 : Math.abs(entry.arity) - 1;
  const count = total >= head.length ? total : head.length + 1;
  return [...head, ...Array.from({ length: count - head.length }, () => JUNK)];
}

/** XREAD is the one blocking read: it passes without BLOCK, and its BLOCK form is refused below. */
const readable = (e: Entry): boolean =>
  e.flags.includes('readonly') && (!e.flags.includes('blocking') || e.key === 'xread') && !e.container;

type Outcome = 'refused' | string;

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const reply = await run();
    // A hand-built pipeline resolves: its one command's error is the answer.
    if (Array.isArray(reply) && Array.isArray(reply[0]) && reply[0][0] instanceof Error) throw reply[0][0];
    return 'sent';
  } catch (error) {
    if ((error as { code?: unknown }).code === 'READ_ONLY') return 'refused';
    return `sent (${(error as Error).message.slice(0, 60)})`;
  }
}

type Path = [name: string, send: (argv: string[]) => Promise<unknown>];

/**
 * ioredis computes the slot of every command of a hand-built cluster pipeline before sending
 * anything, and throws outside any promise on a command whose key is missing: such commands
 * get junk keys (which no test writes), so the guard, not that crash, decides.
 */
function withKeys(client: RedisClient, cmd: string, args: string[]): string[] {
  if (!(client instanceof Cluster)) return args;
  const padded = [...args];
  const missing = (): boolean => {
    try {
      return new Command(cmd, padded).getKeys().some((k) => k === undefined);
    } catch {
      return false;
    }
  };
  while (missing() && padded.length < 8) padded.push(JUNK);
  return padded;
}

function paths(label: string, client: RedisClient): Path[] {
  return [
    [`${label} call`, ([cmd, ...rest]) => client.call(cmd as string, ...rest)],
    [
      `${label} sendCommand`,
      ([cmd, ...rest]) => {
        const command = new Command(cmd as string, rest);
        void client.sendCommand(command);
        return command.promise;
      },
    ],
    [
      `${label} pipeline`,
      ([cmd, ...rest]) =>
        client
          .pipeline()
          .ping()
          .call(cmd as string, ...rest)
          .exec(),
    ],
    [
      `${label} multi`,
      ([cmd, ...rest]) =>
        client
          .multi()
          .call(cmd as string, ...rest)
          .exec(),
    ],
    [
      `${label} hand-built pipeline`,
      ([cmd, ...rest]) => new Pipeline(client).call(cmd as string, ...withKeys(client, cmd as string, rest)).exec(),
    ],
  ];
}

async function sweep(path: Path, entries: Entry[]): Promise<string[]> {
  const [label, send] = path;
  const results = await Promise.all(entries.map(async (e) => [e.key, await outcome(() => send(harmlessArgv(e)))] as const));
  return results.filter(([, o]) => o !== 'refused').map(([key, o]) => `${label}: ${key} ${o}`);
}

/** The connection is as ioredis left it: not inside MULTI, not subscribed, on its own db. */
async function connectionState(client: Redis): Promise<string> {
  const info = String(await client.client('INFO'));
  const field = (k: string): string => info.match(new RegExp(`(?:^| )${k}=(\\S*)`))?.[1] ?? '?';
  return `ping=${await client.ping()} multi=${field('multi')} sub=${field('sub')} psub=${field('psub')} flags=${field('flags')} db=${field('db')} name=${field('name')}`;
}

const CLEAN = (db: number): string => `ping=PONG multi=-1 sub=0 psub=0 flags=N db=${db} name=swarmdeck`;

interface ServerState {
  dbsize: number;
  acl: string[];
  slowlogIds: number[];
  aclLog: number;
  config: string;
  cluster?: string;
}

const SLOW_SCRIPT = `local t0 = redis.call('TIME')
local start = t0[1] * 1000000 + t0[2]
repeat local t = redis.call('TIME') until t[1] * 1000000 + t[2] - start > 20000
return 1`;

/** Leaves a trace in SLOWLOG and ACL LOG, so a reset of either would show. */
async function seed(client: Redis): Promise<void> {
  await client.eval(SLOW_SCRIPT, 0);
  await client.call('AUTH', 'swarmdeck-nobody', 'wrong').catch(() => undefined);
}

async function state(client: Redis, isCluster: boolean): Promise<ServerState> {
  const config = (await client.config('GET', '*')) as string[];
  const pairs: string[] = [];
  for (let i = 0; i < config.length; i += 2) pairs.push(`${config[i]}=${config[i + 1]}`);
  const slowlog = (await client.call('SLOWLOG', 'GET', '1000')) as unknown[][];
  const s: ServerState = {
    dbsize: await client.dbsize(),
    acl: (await client.call('ACL', 'LIST')) as string[],
    slowlogIds: slowlog.map((entry) => Number(entry[0])),
    aclLog: ((await client.call('ACL', 'LOG')) as unknown[]).length,
    config: createHash('sha256').update(pairs.sort().join('\n')).digest('hex'),
  };
  if (isCluster) {
    const info = String(await client.cluster('INFO'));
    const keep = [
      'cluster_state',
      'cluster_slots_assigned',
      'cluster_slots_ok',
      'cluster_known_nodes',
      'cluster_size',
      'cluster_current_epoch',
      'cluster_my_epoch',
    ];
    const fields = info.split('\r\n').filter((line) => keep.includes(line.split(':')[0] as string));
    // Node ids, roles, masters, config epochs and slots; not ping times, which move on their own.
    const nodes = String(await client.cluster('NODES'))
      .trim()
      .split('\n')
      .map((line) => {
        const [id, , flags, master, , , epoch, , ...slots] = line.split(' ');
        return [id, flags, master, epoch, ...slots].join(' ');
      })
      .sort();
    s.cluster = [...fields, ...nodes].join('\n');
  }
  return s;
}

const log = (line: string): void => {
  process.stdout.write(`[read-only-sweep] ${line}\n`);
};

describe.each([
  ['standalone', false],
  ['cluster', true],
] as const)('a read-only %s profile refuses everything the server does not flag readonly', (kind, isCluster) => {
  const ports = isCluster ? bed.cluster.ports : [bed.standalone.port];
  const direct = ports.map((port) => new Redis(port, '127.0.0.1'));
  // Subscribed only once ready: a PSUBSCRIBE sent during the handshake fails ioredis's own ready check (ioredis #2037).
  const subscriber = new Redis(ports[0] as number, '127.0.0.1', { lazyConnect: true });
  const heard: string[] = [];
  const h = harness();
  let sd: SwarmdeckConnection;
  /** Duplicates the tests open, closed with the rest in afterAll. */
  const duplicates: RedisClient[] = [];
  const duplicate = (): RedisClient => {
    const copy = sd.redis.duplicate();
    duplicates.push(copy);
    return copy;
  };
  let entries: Entry[] = [];
  let before: ServerState[] = [];
  const sentinel = `sd:sweep:{${kind}}:sentinel`;

  beforeAll(async () => {
    await subscriber.connect();
    await subscriber.psubscribe('*');
    subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => heard.push(`${channel} ${message}`));
    const owner = isCluster ? new Cluster([{ host: '127.0.0.1', port: ports[0] as number }]) : (direct[0] as Redis);
    await owner.set(sentinel, 'untouched');
    if (isCluster) owner.disconnect();
    for (const client of direct) await seed(client);
    entries = await commandTable(direct[0] as Redis);
    before = await Promise.all(direct.map((c) => state(c, isCluster)));
    sd = await connect(
      isCluster ? { cluster: `127.0.0.1:${ports[0]}`, readOnly: true } : { url: `redis://127.0.0.1:${ports[0]}`, readOnly: true },
    );
  });

  afterAll(async () => {
    for (const copy of duplicates) copy.disconnect();
    await sd?.close();
    await h.services.dispose();
    subscriber.disconnect();
    for (const client of direct) client.disconnect();
  });

  const refusedByGuard = (): Entry[] => entries.filter((e) => !readable(e) && !ALLOWED.has(e.key));

  it('sweeps the whole COMMAND table through every path and refuses each write or admin command before sending it', async () => {
    const refused = refusedByGuard();
    const all: Path[] = [...paths('sdk', sd.redis), ...paths('duplicate', duplicate())];
    if (isCluster) {
      const cluster = sd.redis as Cluster;
      cluster.nodes('all').forEach((node, i) => all.push(...paths(`node ${i}`, node)));
      // A node the cluster client meets later: drop a replica's connection, let the slot refresh re-create it.
      const replica = cluster.nodes('slave')[0] as Redis;
      const key = `${replica.options.host}:${replica.options.port}`;
      const replaced = new Promise<Redis>((resolve) =>
        cluster.on('+node', (node: Redis) => {
          if (`${node.options.host}:${node.options.port}` === key) resolve(node);
        }),
      );
      await new Promise<void>((resolve) => {
        replica.once('end', () => resolve());
        replica.disconnect();
      });
      cluster.refreshSlotsCache();
      const later = await replaced;
      expect(later).not.toBe(replica);
      all.push(...paths('node met later', later));
    } else {
      all.push(...paths('node', sd.redis));
    }
    const leaks: string[] = [];
    for (const path of all) leaks.push(...(await sweep(path, refused)));
    log(
      `${kind}: ${entries.length} table entries (commands, containers and subcommands), ${refused.length} must be refused, ` +
        `${entries.filter(readable).length} flagged readonly, swept through ${all.length} paths = ${refused.length * all.length} refusals expected; ${leaks.length} leaked`,
    );
    expect(leaks).toEqual([]);
    expect(refused.map((e) => e.key)).toEqual(
      expect.arrayContaining([
        'cluster|flushslots',
        'cluster|bumpepoch',
        'acl|log',
        'slowlog|reset',
        'latency|reset',
        'client|unpause',
        'memory|purge',
        'publish',
        'subscribe',
        'psubscribe',
        'ssubscribe',
        'monitor',
        'blpop',
        'wait',
        'client|reply',
        'quit',
        'reset',
        'multi',
        'exec',
        'eval',
        'evalsha',
        'fcall',
      ]),
    );
  });

  it('passes every command the server flags readonly, and the connection-level allow-list', async () => {
    const passes = entries.filter(
      (e) =>
        (readable(e) || ALLOWED.has(e.key)) &&
        !['auth', 'hello', 'select', 'client|setname', 'readonly', 'readwrite', 'asking'].includes(e.key),
    );
    const refusedWrongly: string[] = [];
    for (const e of passes) {
      const argv = e.key === 'command' ? ['command'] : harmlessArgv(e);
      const result = await outcome(() => sd.redis.call(argv[0] as string, ...argv.slice(1)));
      if (result === 'refused') refusedWrongly.push(e.key);
    }
    log(`${kind}: ${passes.length} readonly or allow-listed commands sent with harmless arguments; ${refusedWrongly.length} refused`);
    expect(refusedWrongly).toEqual([]);
    expect(await sd.redis.get(sentinel)).toBe('untouched');
    expect(await sd.redis.call('EVAL_RO', "return redis.call('GET', KEYS[1])", 1, sentinel)).toBe('untouched');
  });

  it("refuses the hostile review's commands with real arguments, naming the profile and the command", async () => {
    const hostile: string[][] = [
      ['CLUSTER', 'FLUSHSLOTS'],
      ['CLUSTER', 'BUMPEPOCH'],
      ['ACL', 'LOG', 'RESET'],
      ['SLOWLOG', 'RESET'],
      ['LATENCY', 'RESET'],
      ['CLIENT', 'UNPAUSE'],
      ['MEMORY', 'PURGE'],
      ['PUBLISH', 'swarmdeck-sweep', 'leaked'],
      ['SPUBLISH', 'swarmdeck-sweep', 'leaked'],
      ['EVAL', "return redis.call('SET', KEYS[1], 'lua')", '1', sentinel],
      ['FCALL', 'nope', '0'],
      ['CONFIG', 'RESETSTAT'],
    ];
    const clients: [string, RedisClient][] = [
      ['sdk', sd.redis],
      ['duplicate', duplicate()],
    ];
    if (isCluster) (sd.redis as Cluster).nodes('all').forEach((node, i) => clients.push([`node ${i}`, node]));
    for (const [label, client] of clients) {
      for (const [cmd, ...args] of hostile) {
        const error = await client.call(cmd as string, ...args).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, `${label}: ${[cmd, ...args].join(' ')}`).toMatchObject({ code: 'READ_ONLY' });
        expect((error as Error).message).toContain('Profile "sdk" is read-only');
        const named = ['CLUSTER', 'ACL', 'SLOWLOG', 'LATENCY', 'CLIENT', 'MEMORY', 'CONFIG'].includes(cmd as string)
          ? `${cmd} ${args[0]}`
          : cmd;
        expect((error as Error).message).toContain(`${named} is refused`);
      }
    }
  });

  it('never lets a blocking, subscribing or state-changing command hang or change the shared connection', async () => {
    const client = sd.redis;
    const one = isCluster ? ((client as Cluster).nodes('master')[0] as Redis) : (client as Redis);
    const db = 0;
    const refusals: [string, () => Promise<unknown>][] = [
      ['SUBSCRIBE', () => client.subscribe('swarmdeck-sweep')],
      ['PSUBSCRIBE', () => client.psubscribe('*')],
      ['SSUBSCRIBE', () => client.ssubscribe('swarmdeck-sweep')],
      ['XREAD BLOCK', () => client.xread('BLOCK', 0, 'STREAMS', sentinel, '$')],
      ['BLPOP', () => client.blpop(sentinel, 0)],
      ['WAIT', () => client.call('WAIT', '1', '0')],
      ['CLIENT REPLY', () => client.call('CLIENT', 'REPLY', 'OFF')],
      ['CLIENT TRACKING', () => client.call('CLIENT', 'TRACKING', 'ON')],
      ['RESET', () => client.call('RESET')],
      ['QUIT (raw)', () => client.call('QUIT')],
      ['HELLO 3', () => client.call('HELLO', '3')],
      ['SELECT another db', () => client.call('SELECT', '1')],
      ['MULTI (raw)', () => client.call('MULTI')],
      ['EXEC (raw)', () => client.call('EXEC')],
      [
        'MULTI (sendCommand)',
        () => {
          const command = new Command('multi');
          void client.sendCommand(command);
          return command.promise;
        },
      ],
      ['multi({ pipeline: false })', () => client.multi({ pipeline: false })],
      ['multi().exec()', () => client.multi().set(sentinel, 'multi').exec()],
      ['pipeline().exec()', () => client.pipeline().get(sentinel).set(sentinel, 'piped').exec()],
      ['pipeline with a raw MULTI', () => client.pipeline().call('MULTI').get(sentinel).exec()],
      ['MONITOR', () => client.call('MONITOR')],
      ['DISCARD', () => client.call('DISCARD')],
      ['WATCH', () => client.call('WATCH', sentinel)],
    ];
    if (!isCluster) refusals.push(['monitor()', () => (client as Redis).monitor()]);
    for (const [label, run] of refusals) {
      const error = await Promise.resolve()
        .then(run)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error, label).toMatchObject({ code: 'READ_ONLY' });
      expect(await connectionState(one), `after ${label}`).toBe(CLEAN(db));
    }
    // A pipeline built by hand never went through the guarded pipeline(): its write is refused alone,
    // and the replies stay aligned with their commands.
    const hand = await new Pipeline(client).get(sentinel).set(sentinel, 'hand').get(sentinel).exec();
    expect(hand?.[0]).toEqual([null, 'untouched']);
    expect(hand?.[1]?.[0]).toMatchObject({ code: 'READ_ONLY' });
    expect(hand?.[2]).toEqual([null, 'untouched']);
    expect(await client.get(sentinel)).toBe('untouched');
    expect(await connectionState(one)).toBe(CLEAN(db));

    // ioredis's own transaction API still frames reads.
    expect(await client.multi().get(sentinel).exists(sentinel).exec()).toEqual([
      [null, 'untouched'],
      [null, 1],
    ]);
    expect(await client.pipeline().get(sentinel).exec()).toEqual([[null, 'untouched']]);
    expect(await connectionState(one)).toBe(CLEAN(db));
  });

  it("guards duplicates of duplicates, and ioredis's own quit() still closes a guarded client", async () => {
    const dup = sd.redis.duplicate();
    const dupdup = dup.duplicate();
    await expect(dupdup.set(sentinel, 'dup')).rejects.toMatchObject({ code: 'READ_ONLY' });
    await expect(dup.call('FLUSHALL')).rejects.toMatchObject({ code: 'READ_ONLY' });
    expect(await dupdup.get(sentinel)).toBe('untouched');
    expect(await dupdup.quit()).toBe('OK');
    expect(await dup.quit()).toBe('OK');
  });

  it("refuses the contract's write operations on a read-only profile, and guards the session client the same way", async () => {
    const profile = await h.services.profiles.save({
      ...(isCluster ? clusterProfile() : standaloneProfile()),
      name: `sweep-${kind}`,
      readOnly: true,
    });
    await ok(h.dispatch('connections.connect', { profileId: profile.id }));
    expect(await h.dispatch('queues.enqueue', { profileId: profile.id, queue: 'sweep', task: { data: 1 } })).toMatchObject({
      ok: false,
      error: { code: 'READ_ONLY' },
    });
    const session = h.services.connections.session(profile.id).client;
    const leaks: string[] = [];
    for (const path of paths('session', session)) leaks.push(...(await sweep(path, refusedByGuard())));
    expect(leaks).toEqual([]);
  });

  it("keeps ioredis's own handshake working on reconnect: name, database and ready check pass the guard", async () => {
    const errors: unknown[] = [];
    const record = (e: unknown): number => errors.push(e);
    sd.redis.on('error', record);
    sd.redis.on('node error', record);
    const target = isCluster ? ((sd.redis as Cluster).nodes('master')[0] as Redis) : (sd.redis as Redis);
    const address = `${target.options.host}:${target.options.port}`;
    const id = Number(await target.client('ID'));
    const killer = new Redis(target.options.port as number, '127.0.0.1');
    // A standalone client reconnects itself; a cluster drops the node and makes a new one on refresh.
    const back = isCluster
      ? new Promise<Redis>((resolve) =>
          sd.redis.on('+node', (node: Redis) => {
            if (`${node.options.host}:${node.options.port}` === address) resolve(node);
          }),
        )
      : new Promise<Redis>((resolve) => target.once('ready', () => resolve(target)));
    if (isCluster) target.once('end', () => (sd.redis as Cluster).refreshSlotsCache());
    await killer.client('KILL', 'ID', String(id));
    killer.disconnect();
    const again = await back;
    expect(await connectionState(again)).toBe(CLEAN(0));
    expect(await sd.redis.get(sentinel)).toBe('untouched');
    if (isCluster) {
      const refreshed = await new Promise<unknown>((resolve) => (sd.redis as Cluster).refreshSlotsCache((e) => resolve(e ?? null)));
      expect(refreshed).toBeNull();
    }
    expect(errors.filter((e) => (e as { code?: unknown }).code === 'READ_ONLY')).toEqual([]);
  });

  it('leaves the server as it was: keys, ACL, SLOWLOG, ACL LOG, CONFIG, cluster state, and no message published', async () => {
    const after = await Promise.all(direct.map((c) => state(c, isCluster)));
    after.forEach((s, i) => {
      const b = before[i] as ServerState;
      expect(s.dbsize, `DBSIZE on ${ports[i]}`).toBe(b.dbsize);
      expect(s.acl).toEqual(b.acl);
      expect(s.config, `CONFIG GET * on ${ports[i]}`).toBe(b.config);
      expect(s.cluster).toBe(b.cluster);
      // Entries only come and go by reset: every one seen before is still there.
      expect(s.slowlogIds).toEqual(expect.arrayContaining(b.slowlogIds));
      expect(b.slowlogIds.length).toBeGreaterThan(0);
      expect(s.aclLog).toBeGreaterThanOrEqual(b.aclLog);
      expect(b.aclLog).toBeGreaterThan(0);
    });
    log(
      `${kind}: after the sweep ${after.map((s, i) => `${ports[i]} dbsize=${s.dbsize} slowlog=${s.slowlogIds.length} acllog=${s.aclLog}`).join(', ')}`,
    );
    // Markers published from every server end the wait: anything heard besides them leaked.
    const markers = ports.map((port) => `swarmdeck-sweep-end ${port}`);
    const heardAll = new Promise<void>((resolve) => {
      const check = (): void => {
        if (markers.every((m) => heard.includes(m))) resolve();
        else setTimeout(check, 20);
      };
      check();
    });
    await Promise.all(direct.map((c, i) => c.publish('swarmdeck-sweep-end', String(ports[i]))));
    await heardAll;
    expect(heard.filter((m) => !markers.includes(m))).toEqual([]);
    const owner = isCluster ? new Cluster([{ host: '127.0.0.1', port: ports[0] as number }]) : (direct[0] as Redis);
    expect(await owner.get(sentinel)).toBe('untouched');
    if (isCluster) owner.disconnect();
  });
});

describe('a read-only standalone profile on database 2', () => {
  it('lets ioredis select its own database on connect and reconnect, and refuses any other', async () => {
    const sd = await connect({ url: `redis://127.0.0.1:${bed.standalone.port}/2`, readOnly: true });
    try {
      const client = sd.redis as Redis;
      expect(await connectionState(client)).toBe(CLEAN(2));
      await expect(client.select(0)).rejects.toMatchObject({ code: 'READ_ONLY' });
      expect(await client.select(2)).toBe('OK');
      const killer = new Redis(bed.standalone.port, '127.0.0.1');
      const back = new Promise<void>((resolve) => client.once('ready', () => resolve()));
      await killer.client('KILL', 'ID', String(await client.client('ID')));
      killer.disconnect();
      await back;
      expect(await connectionState(client)).toBe(CLEAN(2));
    } finally {
      await sd.close();
    }
  });
});
