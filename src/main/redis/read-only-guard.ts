import { Cluster, Command, Redis } from 'ioredis';
import { SwarmdeckError } from '../../shared/errors';
import type { RedisClient } from './client-options';

/**
 * What a read-only profile may send although the server does not flag it `readonly`. Read-only
 * is an allow-list: anything not flagged `readonly` in the server's own COMMAND table and not
 * named here is refused, so a command nobody thought of (CLUSTER FLUSHSLOTS, PUBLISH…) is too.
 */
const ALLOWED: ReadonlySet<string> = new Set([
  // ioredis sends these itself on connect, reconnect, ready check, replica reads and slot
  // refresh; refusing one breaks the connection. The guard reads the table with COMMAND.
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
  // Connection-level: they change nothing but this connection's own label or replica mode.
  'ping',
  'echo',
  'hello',
  'client|getname',
  'client|id',
  'client|info',
  'readwrite',
  'acl|whoami',
  // Reads of the server's own state that health and diagnostics show; nothing is reset or purged.
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

/**
 * Commands whose arguments decide, because the connection is shared by every service of the
 * profile: each returns why a call is refused, or undefined. `db` is the client's own database.
 */
const ARGUMENT_RULES: Readonly<Record<string, (args: string[], db: number) => string | undefined>> = {
  select: (args, db) =>
    args.length === 1 && /^\d+$/.test(args[0] as string) && Number(args[0]) === db
      ? undefined
      : `only database ${db}, the one the connection was opened on, since every service shares it`,
  hello: (args) => (args.length === 0 || args[0] === '2' ? undefined : 'only protocol 2: ioredis cannot read RESP3 replies'),
  xread: (args) => {
    const options = args.slice(
      0,
      Math.max(
        0,
        args.findIndex((a) => a.toLowerCase() === 'streams'),
      ),
    );
    return options.some((a) => a.toLowerCase() === 'block') ? 'BLOCK would hold the shared connection' : undefined;
  },
};

/** Containers known without the server's table, so the static allow-list works before it is read. */
const STATIC_CONTAINERS = new Set([...ALLOWED].filter((k) => k.includes('|')).map((k) => k.split('|')[0] as string));

function text(arg: unknown): string {
  return Buffer.isBuffer(arg) ? arg.toString() : String(arg);
}

/** One per profile, shared by its client, duplicates and cluster nodes. */
class ReadOnlyPolicy {
  /** `name` or `container|sub` of every command the server flags readonly and nothing else. */
  private readonly readable = new Set<string>();
  private readonly containers = new Set(STATIC_CONTAINERS);
  private loaded = false;

  constructor(readonly profileName: string) {}

  /** Reads the command table from the server itself, so the guard knows every command it has. */
  async load(client: RedisClient): Promise<void> {
    if (this.loaded) return;
    const table = (await client.call('COMMAND')) as unknown[];
    const visit = (entry: unknown, parent?: string): void => {
      if (!Array.isArray(entry)) return;
      const name = text(entry[0]).toLowerCase();
      const flags = Array.isArray(entry[2]) ? entry[2].map(text) : [];
      const subcommands = Array.isArray(entry[9]) ? entry[9] : [];
      if (parent !== undefined) this.containers.add(parent);
      // Blocking reads (XREAD) pass only through an argument rule that rules BLOCK out.
      const blocking = flags.includes('blocking') && ARGUMENT_RULES[name] === undefined;
      const changes = flags.includes('write') || flags.includes('may_replicate');
      if (flags.includes('readonly') && !changes && !blocking && subcommands.length === 0) this.readable.add(name);
      for (const sub of subcommands) visit(sub, name);
    };
    for (const entry of table) visit(entry);
    this.loaded = true;
  }

  /** Why the command must not be sent, as the error to reject it with; undefined when it may. */
  refusal(command: Command, db: number): SwarmdeckError | undefined {
    const name = command.name.toLowerCase();
    const args = command.args.map(text);
    const container = this.containers.has(name) && args.length > 0;
    const key = container ? `${name}|${(args[0] as string).toLowerCase()}` : name;
    let why: string | undefined;
    if (!ALLOWED.has(key) && !this.readable.has(key)) {
      why = this.loaded ? undefined : "the server's command table is not read yet";
    } else {
      why = ARGUMENT_RULES[key]?.(args, db);
      if (why === undefined) return undefined;
    }
    const label = container ? `${name} ${args[0] as string}`.toUpperCase() : name.toUpperCase();
    return new SwarmdeckError('READ_ONLY', `Profile "${this.profileName}" is read-only: ${label} is refused${why ? ` (${why})` : ''}`, {
      command: label,
    });
  }
}

type Send = (command: Command, stream?: unknown, node?: unknown) => unknown;

/** The members of an ioredis client that the guard wraps. */
interface Guardable {
  sendCommand: Send;
  pipeline: (...args: unknown[]) => unknown;
  multi: (...args: unknown[]) => unknown;
  duplicate: (...args: unknown[]) => RedisClient;
}

/** The members of an ioredis Pipeline the guard reads or wraps; `_queue` holds it until exec. */
interface Batch {
  _queue: Command[];
  sendCommand: (command: Command) => unknown;
  multi: (...args: unknown[]) => unknown;
  exec: (...args: unknown[]) => Promise<unknown>;
}

const policies = new WeakMap<object, ReadOnlyPolicy>();
/** The unguarded duplicate() of each guarded client, for {@link duplicateSubscriber}. */
const rawDuplicates = new WeakMap<object, (...args: unknown[]) => RedisClient>();
/** Subscribing changes no data: a subscriber connection of a read-only profile may do it, and nothing more than a read. */
const SUBSCRIBE_COMMANDS: ReadonlySet<string> = new Set([
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'unsubscribe',
  'punsubscribe',
  'sunsubscribe',
]);
/** Commands of a batch that was checked as a whole before any of it was sent. */
const cleared = new WeakSet<Command>();
/** MULTI and EXEC that ioredis's own transaction API put into a batch; raw ones are refused. */
const framing = new WeakSet<Command>();

function isPipelineStream(stream: unknown): boolean {
  return typeof stream === 'object' && stream !== null && (stream as { isPipeline?: unknown }).isPipeline === true;
}

function refuse(error: SwarmdeckError, args: unknown[]): Promise<never> {
  const callback = args.at(-1);
  if (typeof callback === 'function') (callback as (e: Error) => void)(error);
  return Promise.reject(error);
}

/**
 * A pipeline or transaction is checked whole when it is executed, so it either runs or sends
 * nothing: a batch never half-runs, and no refused command leaves the connection inside MULTI.
 */
function guardBatch(batch: Batch, policy: ReadOnlyPolicy, db: number): void {
  let framingCall = false;
  const queue = batch.sendCommand.bind(batch);
  batch.sendCommand = (command) => {
    if (framingCall && ['multi', 'exec'].includes(command.name.toLowerCase())) {
      framing.add(command);
      // The EXEC that ioredis appends while executing a transaction is sent in the same call.
      cleared.add(command);
    }
    return queue(command);
  };
  const multi = batch.multi.bind(batch);
  batch.multi = (...args) => {
    framingCall = true;
    try {
      return multi(...args);
    } finally {
      framingCall = false;
    }
  };
  const exec = batch.exec.bind(batch);
  batch.exec = (...args) => {
    for (const command of batch._queue) {
      const name = command.name.toLowerCase();
      const error = (name === 'multi' || name === 'exec') && framing.has(command) ? undefined : policy.refusal(command, db);
      if (error) return refuse(new SwarmdeckError('READ_ONLY', `${error.message}; nothing in the batch was sent`, error.details), args);
    }
    for (const command of batch._queue) cleared.add(command);
    framingCall = true;
    try {
      return exec(...args);
    } finally {
      framingCall = false;
    }
  };
}

function apply(client: RedisClient, policy: ReadOnlyPolicy): void {
  if (policies.has(client)) return;
  policies.set(client, policy);
  const target = client as unknown as Guardable;
  const db = client instanceof Redis ? (client.options.db ?? 0) : 0;

  let quitting = false;
  const send = target.sendCommand.bind(client);
  target.sendCommand = (command, stream, node) => {
    if (isPipelineStream(stream) && cleared.has(command)) return send(command, stream, node);
    const error = quitting && command.name.toLowerCase() === 'quit' ? undefined : policy.refusal(command, db);
    if (!error) return send(command, stream, node);
    command.reject(error);
    if (isPipelineStream(stream)) {
      // A pipeline that did not come from the guarded pipeline() (`new Pipeline(client)`) writes
      // once every queued command has: a harmless PING takes the refused command's place so
      // the pipeline is written and every reply still meets its own command.
      const stand = new Command('ping');
      stand.promise.catch(() => undefined);
      send(stand, stream, node);
    }
    return command.promise;
  };

  for (const method of ['pipeline', 'multi'] as const) {
    const make = target[method].bind(client);
    target[method] = (...args) => {
      // multi({ pipeline: false }) sends MULTI at once and leaves the shared connection queueing.
      const options = args.find((a) => typeof a === 'object' && a !== null && !Array.isArray(a)) as { pipeline?: unknown } | undefined;
      if (method === 'multi' && options?.pipeline === false) {
        const error = new SwarmdeckError(
          'READ_ONLY',
          `Profile "${policy.profileName}" is read-only: MULTI outside a pipeline is refused (it would leave the shared connection inside a transaction)`,
          { command: 'MULTI' },
        );
        return refuse(error, args);
      }
      const batch = make(...args) as Batch;
      // multi() has already queued its MULTI through ioredis's own API.
      const first = batch._queue[0];
      if (method === 'multi' && first?.name.toLowerCase() === 'multi') framing.add(first);
      guardBatch(batch, policy, db);
      return batch;
    };
  }

  const duplicate = target.duplicate.bind(client);
  rawDuplicates.set(client, duplicate);
  target.duplicate = (...args) => {
    const override = args.find((a) => typeof a === 'object' && a !== null && !Array.isArray(a)) as { monitor?: unknown } | undefined;
    if (override?.monitor)
      throw new SwarmdeckError('READ_ONLY', `Profile "${policy.profileName}" is read-only: MONITOR is refused`, { command: 'MONITOR' });
    const copy = duplicate(...args);
    apply(copy, policy);
    return copy;
  };

  if (client instanceof Cluster) {
    // Every node client can be used on its own (nodes() hands them out), so each is guarded,
    // including nodes the cluster meets later; '+node' fires before a node is used.
    for (const node of client.nodes('all')) apply(node, policy);
    client.on('+node', (node: Redis) => apply(node, policy));
    return;
  }

  const redis = client as unknown as { monitor: (...args: unknown[]) => unknown; quit: (...args: unknown[]) => unknown };
  redis.monitor = (...args) =>
    refuse(
      new SwarmdeckError('READ_ONLY', `Profile "${policy.profileName}" is read-only: MONITOR is refused`, { command: 'MONITOR' }),
      args,
    );
  // quit() is ioredis's own way to close (Cluster.quit() calls it on every node); a raw QUIT is
  // refused, since it would end the connection every service of the profile shares.
  const quit = redis.quit.bind(client);
  redis.quit = (...args) => {
    quitting = true;
    try {
      return quit(...args);
    } finally {
      quitting = false;
    }
  };
}

/**
 * Makes a client of a read-only profile refuse everything but reads, from the moment it is
 * made: its duplicates and cluster node clients inherit the guard. Until
 * {@link readCommandTable} has read the server's table only the fixed allow-list passes.
 */
export function guardReadOnly(client: RedisClient, profileName: string): void {
  apply(client, new ReadOnlyPolicy(profileName));
}

/** Reads the server's COMMAND table into the guard of a connected read-only client. */
export async function readCommandTable(client: RedisClient): Promise<void> {
  const policy = policies.get(client);
  if (!policy) throw new SwarmdeckError('INTERNAL', 'readCommandTable was called on a client without a read-only guard');
  await policy.load(client);
}

/**
 * A connection of its own for pub/sub. On a read-only profile it may subscribe (which the
 * shared connection refuses) and read, but never publish or write: it is guarded by the
 * profile's policy with only the subscribe family added.
 */
export function duplicateSubscriber(client: RedisClient, ...args: unknown[]): RedisClient {
  const policy = policies.get(client);
  const raw = rawDuplicates.get(client);
  if (!policy || !raw) return (client.duplicate as (...a: unknown[]) => RedisClient)(...args);
  const copy = raw(...args);
  const subscriberPolicy = Object.create(policy) as ReadOnlyPolicy;
  subscriberPolicy.refusal = (command, db) =>
    SUBSCRIBE_COMMANDS.has(command.name.toLowerCase()) ? undefined : policy.refusal(command, db);
  apply(copy, subscriberPolicy);
  return copy;
}
