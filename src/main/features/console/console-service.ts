import { join } from 'node:path';
import { Cluster, Command, type Redis } from 'ioredis';
import { z } from 'zod';
import { SwarmdeckError } from '../../../shared/errors';
import { enforceGuard } from '../../../shared/guards';
import type {
  ConsoleCatalogue,
  ConsoleCommand,
  ConsoleCommandResult,
  ConsoleExecResult,
  ConsoleKeysResult,
  NodeReply,
  ReplyNode,
} from '../../../shared/model/console';
import snapshotJson from '../../../shared/redis-commands.snapshot.json' with { type: 'json' };
import { homeLock } from '../../home';
import { JsonFile } from '../../json-file';
import { Owners, type Caller, type Hold } from '../../owners';
import type { Session } from '../../redis/connection-manager';
import { toSwarmdeckError } from '../../redis/describe-error';
import { nodeHandles, type NodeHandle } from '../../redis/nodes';
import { recordAudit } from '../audit/audit';
import type { JobRegistry } from '../jobs/job-registry';
import { buildCatalogue, keyIndexes, lineClass, lookup } from './catalogue';
import { ConsoleHistory } from './history';
import { ConsoleMonitors } from './monitor';
import { parseLines, type ParsedLine } from './parse';
import { DEFAULT_BOUNDS, FULL_BYTES, convertReply, escapePreview, replySize, type Budget } from './reply';
import { keySlot } from './slot';

export interface ExecOptions {
  line: string;
  node?: string;
  confirm?: string;
  full?: boolean;
}

export interface KeysOptions {
  pattern: string;
  count?: number;
  budget?: number;
  limit?: number;
  node?: string;
}

/**
 * Commands that set state on the connection they run on (database, transaction, name, reply
 * mode…). They run on a connection made for the call, never on the one every service of the
 * profile shares, and the lines after them in the same call run there too so the state applies.
 */
const CONNECTION_STATE = new Set([
  // WAIT blocks until replicas acknowledge (for ever with 0) yet carries no `blocking` flag in 7.0.
  'WAIT',
  'WAITAOF',
  'SELECT',
  'QUIT',
  'RESET',
  'MULTI',
  'EXEC',
  'DISCARD',
  'WATCH',
  'UNWATCH',
  'AUTH',
  'READONLY',
  'READWRITE',
  'ASKING',
  'CLIENT SETNAME',
  'CLIENT TRACKING',
  'CLIENT CACHING',
  'CLIENT NO-EVICT',
]);

/** Not run at all, with the reason (the catalogue marks the ones it knows; these need the argv). */
const REFUSED_HERE: Readonly<Record<string, string>> = {
  HELLO: 'the console speaks RESP2 on its connections; HELLO would switch the protocol under it',
};

/** Diagnostics without a request policy in Redis 7.0 whose answer is per node: asked of every node. */
const EVERY_NODE = new Set(['CONFIG GET', 'CLIENT LIST', 'MEMORY STATS', 'MEMORY DOCTOR', 'INFO', 'LATENCY LATEST', 'LATENCY DOCTOR']);

/** How long a dedicated connection waits for a blocking command before giving up. */
const DEDICATED_TIMEOUT_MS = 60_000;
/** Bytes of reply one `console.exec` returns before cutting (the rest is marked truncated). */
const EXEC_BUDGET = 512 * 1024;

/** The cache file is ours, written from a built catalogue; its outline is checked, not every command. */
const CatalogueFileSchema = z.custom<ConsoleCatalogue>(
  (v) =>
    z
      .looseObject({ source: z.enum(['server', 'snapshot']), version: z.string(), commands: z.array(z.looseObject({ name: z.string() })) })
      .safeParse(v).success,
  'not a console command catalogue',
);

/** Values that must not reach the audit stream or the history file. */
function redact(argv: string[], name: string): string {
  const secretFrom =
    name === 'AUTH'
      ? 1
      : name === 'ACL SETUSER'
        ? 3
        : name === 'MIGRATE'
          ? 1
          : name === 'CONFIG SET' && argv.some((a) => /pass|masterauth/i.test(a))
            ? 2
            : -1;
  const quoted = (secretFrom < 0 ? argv : argv.slice(0, secretFrom)).map((a) => (/[\s"']/.test(a) || a === '' ? JSON.stringify(a) : a));
  if (secretFrom >= 0) quoted.push(`‹${argv.length - secretFrom} argument(s) redacted›`);
  return quoted.join(' ').slice(0, 1024);
}

/** A key the operator can paste back: as text when it is UTF-8, else quoted with `\xHH`. */
function printableKey(key: Buffer): string {
  const text = key.toString('utf8');
  return Buffer.from(text, 'utf8').equals(key) ? text : `"${escapePreview(key)}"`;
}

function parseClientList(text: string): Record<string, string>[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) =>
      Object.fromEntries(
        l
          .trim()
          .split(' ')
          .map((pair) => {
            const at = pair.indexOf('=');
            return at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
          }),
      ),
    );
}

const FRAGMENTATION_FIELDS = [
  'used_memory_human',
  'used_memory_rss_human',
  'maxmemory_human',
  'mem_fragmentation_ratio',
  'mem_fragmentation_bytes',
  'allocator_frag_ratio',
  'mem_allocator',
];

interface Plan {
  parsed: ParsedLine;
  argv: string[];
  name: string;
  command?: ConsoleCommand;
  kind: 'run' | 'keys' | 'monitor' | 'connections' | 'fragmentation';
}

/** A connection of this call's own, to one node. */
interface Dedicated {
  client: Redis;
  address: string;
}

export class ConsoleService {
  private snapshotCatalogue?: ConsoleCatalogue;
  /** By server version: every profile on the same version shares one. */
  private readonly byVersion = new Map<string, Promise<ConsoleCatalogue>>();
  private readonly bySession = new WeakMap<Session, Promise<ConsoleCatalogue>>();
  readonly history: ConsoleHistory;
  readonly monitors: ConsoleMonitors;

  constructor(
    private readonly home: string,
    jobs: JobRegistry,
    private readonly owners = new Owners(),
  ) {
    this.history = new ConsoleHistory(home);
    this.monitors = new ConsoleMonitors(jobs, owners);
  }

  /** The catalogue shipped with Swarmdeck, generated from a Redis 7 server's own replies. */
  snapshot(): ConsoleCatalogue {
    this.snapshotCatalogue ??= buildCatalogue('snapshot', snapshotJson.version, snapshotJson.docs, snapshotJson.info);
    return this.snapshotCatalogue;
  }

  /** The connected server's own catalogue, read once per server version (memory, then a file in the home). */
  catalogue(session: Session): Promise<ConsoleCatalogue> {
    let pending = this.bySession.get(session);
    if (!pending) {
      pending = this.readCatalogue(session);
      // A failure (a server that went away) is not kept: the next call asks again.
      pending.catch(() => this.bySession.delete(session));
      this.bySession.set(session, pending);
    }
    return pending;
  }

  private async readCatalogue(session: Session): Promise<ConsoleCatalogue> {
    const node = (nodeHandles(session.client, 'master')[0] as NodeHandle).client;
    const info = String(await node.info('server'));
    const version = /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? 'unknown';
    let pending = this.byVersion.get(version);
    if (!pending) {
      pending = this.loadVersion(node, version);
      pending.catch(() => this.byVersion.delete(version));
      this.byVersion.set(version, pending);
    }
    return pending;
  }

  private async loadVersion(node: Redis, version: string): Promise<ConsoleCatalogue> {
    // The version names the file, so only a plain one may.
    const file = /^[0-9A-Za-z._-]{1,32}$/.test(version)
      ? new JsonFile(
          join(this.home, 'console-commands', `redis-${version}.json`),
          CatalogueFileSchema,
          () => ({ source: 'server' as const, version, commands: [] }),
          homeLock(this.home),
        )
      : undefined;
    const cached = await file?.read().catch(() => undefined);
    if (cached && cached.commands.length > 0 && cached.version === version) return cached;
    let docs: unknown;
    try {
      docs = await node.call('COMMAND', 'DOCS');
    } catch {
      // Before 7.0 there is no COMMAND DOCS: the snapshot describes what such a server has, near enough.
      return this.snapshot();
    }
    const catalogue = buildCatalogue('server', version, docs, await node.call('COMMAND', 'INFO'));
    await file?.write(catalogue).catch(() => undefined);
    return catalogue;
  }

  async exec(session: Session, options: ExecOptions, caller: Caller): Promise<ConsoleExecResult> {
    const lines = parseLines(options.line);
    if (lines.length === 0)
      throw new SwarmdeckError('VALIDATION', 'there is no command to run', { fields: [{ path: 'line', message: 'empty' }] });
    const catalogue = await this.catalogue(session);
    const plans = lines.map((parsed) => this.plan(session, catalogue, parsed, options.confirm));
    const explicit = options.node === undefined ? undefined : this.node(session, options.node);
    const budget: Budget = { left: options.full ? FULL_BYTES : EXEC_BUDGET };
    // A call that will need a connection of its own takes its place in its caller's name before
    // any line is sent: refused at the cap, it has done nothing; its caller gone, it stops.
    const hold: Hold | undefined = plans.some((p) => this.wantsOwn(p))
      ? this.owners.reserve(caller.owner, 'console.blocking', session.profile.id)
      : undefined;
    let abandoned = false;
    let dedicated: Dedicated | undefined;
    hold?.onRelease(() => {
      abandoned = true;
      dedicated?.client.disconnect();
    });
    const results: ConsoleCommandResult[] = [];
    try {
      for (const [index, plan] of plans.entries()) {
        if (abandoned)
          throw new SwarmdeckError(
            'UNAVAILABLE',
            `The ${caller.owner.label} that ran this closed: line ${plan.parsed.lineNo} and after were not sent`,
            { line: plan.parsed.lineNo },
          );
        const started = performance.now();
        const base = {
          line: plan.parsed.line,
          argv: plan.argv,
          command: plan.name,
          class: plan.command?.class ?? 'write',
          dedicated: false,
          truncated: false,
          audited: false,
        };
        if (plan.kind === 'keys') {
          results.push({ ...base, replies: [], offer: { op: 'console.keys', pattern: plan.argv[1] ?? '*' }, durationMs: 0 });
          continue;
        }
        if (plan.kind === 'monitor') {
          results.push({ ...base, replies: [], offer: { op: 'console.monitor' }, durationMs: 0 });
          continue;
        }
        if (!dedicated && this.wantsOwn(plan)) {
          dedicated = this.openDedicated(session, explicit, plans.slice(index));
          // From here the call waits on its own connection, not the profile's: the host's
          // admission lets another call have its place (the hold above bounds how many wait).
          caller.onOwnConnection?.();
        }
        let replies: NodeReply[];
        if (plan.kind === 'connections' || plan.kind === 'fragmentation')
          replies = await this.seed(session, plan.kind, explicit, budget, options.full);
        else if (dedicated) replies = [await this.send(dedicated.client, plan, budget, options.full, dedicated.address)];
        else if (explicit) replies = [await this.send(explicit.client, plan, budget, options.full, explicit.address)];
        else if (this.fansOut(plan)) {
          const masters = new Set(nodeHandles(session.client, 'master').map((n) => n.address));
          // all_nodes means replicas too (CONFIG SET, SCRIPT FLUSH); all_shards means one copy of
          // the data, so a write goes to the masters and a read asks every node for its own view.
          const changes = plan.command?.class === 'write' || plan.command?.class === 'dangerous';
          const role = plan.command?.requestPolicy === 'all_shards' && changes ? 'master' : 'all';
          const nodes = nodeHandles(session.client, role);
          replies = await Promise.all(
            nodes.map((n) => this.send(n.client, plan, budget, options.full, n.address, masters.has(n.address) ? 'master' : 'replica')),
          );
        } else replies = [await this.send(session.client, plan, budget, options.full, this.owner(session, plan))];
        const result: ConsoleCommandResult = {
          ...base,
          dedicated: dedicated !== undefined,
          replies,
          truncated: replies.some((r) => hasTruncation(r.reply)),
          durationMs: Math.round((performance.now() - started) * 1000) / 1000,
        };
        if (session.profile.environment === 'production') {
          // A read-only production profile cannot write the audit stream; the result says it was not audited.
          result.audited = await recordAudit(session, 'console.exec', plan.name, redact(plan.argv, plan.name), replies.length).then(
            () => true,
            () => false,
          );
        }
        results.push(result);
        this.history.add(session.profile.id, {
          at: Date.now(),
          line: redact(plan.argv, plan.name),
          ok: !replies.some((r) => r.reply.type === 'error'),
          ...(options.node ? { node: options.node } : {}),
        });
      }
    } finally {
      dedicated?.client.disconnect();
      hold?.end();
    }
    return { results };
  }

  /** A line that runs on a connection of its own: it blocks, or sets state on its connection (and the lines after it follow it there). */
  private wantsOwn(plan: Plan): boolean {
    return (
      plan.kind === 'run' &&
      (CONNECTION_STATE.has(plan.name) || !!plan.command?.flags.includes('blocking') || !!plan.command?.acl.includes('blocking'))
    );
  }

  /** Decides what a line is and refuses it, before anything of the call is sent, when it may not run. */
  private plan(session: Session, catalogue: ConsoleCatalogue, parsed: ParsedLine, confirm: string | undefined): Plan {
    const argv = parsed.argv.map((a) => a.toString());
    const command = lookup(catalogue, argv);
    const name = command ? command.name : (argv[0] ?? '').toUpperCase();
    const where = `line ${parsed.lineNo}`;
    const refused = command?.refused ?? REFUSED_HERE[name];
    if (refused)
      throw new SwarmdeckError('VALIDATION', `${where}: ${name} is not run by the console: ${refused}`, {
        line: parsed.lineNo,
        command: name,
      });
    if (name === 'CONNECTIONS') return { parsed, argv, name, command, kind: 'connections' };
    if (name === 'MEMORY FRAGMENTATION') return { parsed, argv, name, command, kind: 'fragmentation' };
    if (name === 'KEYS') return { parsed, argv, name, command, kind: 'keys' };
    if (name === 'MONITOR') return { parsed, argv, name, command, kind: 'monitor' };
    if (command && !command.subcommands) {
      const ok = command.arity >= 0 ? argv.length === command.arity : argv.length >= -command.arity;
      if (!ok) {
        const wanted = command.arity >= 0 ? `exactly ${command.arity - 1}` : `at least ${-command.arity - 1}`;
        throw new SwarmdeckError('VALIDATION', `${where}: ${name} takes ${wanted} argument(s), ${argv.length - 1} given`, {
          line: parsed.lineNo,
          command: name,
        });
      }
    }
    const cls = lineClass(name, argv, command?.class ?? 'write');
    const profile = session.profile;
    if ((cls === 'write' || cls === 'dangerous') && profile.readOnly) {
      throw new SwarmdeckError(
        'READ_ONLY',
        `Profile "${profile.name}" is read-only: ${name} can change data, so the console did not send it${command ? '' : ' (the server does not list it)'}`,
        { command: name, line: parsed.lineNo },
      );
    }
    // A write on production is confirmed like any other guarded action (the page asks for it the same way).
    if (cls === 'write' || cls === 'dangerous') {
      try {
        enforceGuard(profile, cls === 'write' ? 'console.write' : 'console.dangerous', { name: profile.name }, confirm);
      } catch (error) {
        if (error instanceof SwarmdeckError)
          throw new SwarmdeckError(error.code, `${where}: ${name}: ${error.message}`, {
            ...error.details,
            command: name,
            line: parsed.lineNo,
          });
        throw error;
      }
    }
    return { parsed, argv, name, command, kind: 'run' };
  }

  private fansOut(plan: Plan): boolean {
    const policy = plan.command?.requestPolicy;
    return policy === 'all_nodes' || policy === 'all_shards' || EVERY_NODE.has(plan.name);
  }

  private node(session: Session, address: string): NodeHandle {
    const found = nodeHandles(session.client, 'all').find((n) => n.address === address);
    if (!found) {
      const known = nodeHandles(session.client, 'all')
        .map((n) => n.address)
        .join(', ');
      throw new SwarmdeckError('NOT_FOUND', `${address} is not a node of profile "${session.profile.name}" (its nodes: ${known})`, {
        node: address,
      });
    }
    return found;
  }

  /** On a cluster, the master owning the slot of the command's first key (from its key specs). */
  private owner(session: Session, plan: Plan): string | undefined {
    const client = session.client;
    if (!(client instanceof Cluster)) return nodeHandles(client)[0]?.address;
    const first = plan.command ? keyIndexes(plan.command, plan.argv.length, plan.argv)?.[0] : undefined;
    const key = first === undefined ? undefined : plan.parsed.argv[first];
    return key ? client.slots[keySlot(key)]?.[0] : undefined;
  }

  private openDedicated(session: Session, explicit: NodeHandle | undefined, rest: Plan[]): Dedicated {
    let target = explicit;
    if (!target) {
      const address = rest.map((p) => this.owner(session, p)).find((a) => a !== undefined);
      const nodes = nodeHandles(session.client, 'master');
      target = nodes.find((n) => n.address === address) ?? (nodes[0] as NodeHandle);
    }
    // duplicate() keeps the profile's options and, on a read-only profile, its guard.
    const client = target.client.duplicate({
      retryStrategy: () => null,
      commandTimeout: DEDICATED_TIMEOUT_MS,
      lazyConnect: true,
      connectionName: 'swarmdeck-console',
    });
    client.on('error', () => undefined);
    return { client, address: target.address };
  }

  private async send(
    client: Redis | Cluster,
    plan: Plan,
    budget: Budget,
    full: boolean | undefined,
    node: string | undefined,
    role?: 'master' | 'replica',
  ): Promise<NodeReply> {
    // ioredis keys its reply transformers (HGETALL → map) and connection bookkeeping (SELECT,
    // QUIT) by the lower-case name: `HGETALL` and `hgetall` must answer alike.
    const command = new Command((plan.argv[0] as string).toLowerCase(), plan.parsed.argv.slice(1), { replyEncoding: null });
    let raw: unknown;
    try {
      void client.sendCommand(command);
      raw = await command.promise;
    } catch (error) {
      const message = isReplyError(error) ? error.message : toSwarmdeckError(error, node ?? 'the server').message;
      return withNode({ type: 'error', message }, node, role);
    }
    return withNode(this.toNode(raw, budget, full), node, role);
  }

  private toNode(raw: unknown, budget: Budget, full: boolean | undefined): ReplyNode {
    if (full) {
      const size = replySize(raw);
      if (size > budget.left) {
        return {
          type: 'error',
          message: `the reply is ${size} bytes, more than the console loads whole (${budget.left} bytes left of ${FULL_BYTES}); narrow the command (GETRANGE, LRANGE, HSCAN…)`,
        };
      }
    }
    return convertReply(raw, full ? { bytes: FULL_BYTES, items: Number.MAX_SAFE_INTEGER } : DEFAULT_BOUNDS, budget);
  }

  private async seed(
    session: Session,
    kind: 'connections' | 'fragmentation',
    explicit: NodeHandle | undefined,
    budget: Budget,
    full: boolean | undefined,
  ): Promise<NodeReply[]> {
    const masters = new Set(nodeHandles(session.client, 'master').map((n) => n.address));
    const nodes = explicit ? [explicit] : nodeHandles(session.client, 'all');
    return Promise.all(
      nodes.map(async (n): Promise<NodeReply> => {
        const role = masters.has(n.address) ? 'master' : 'replica';
        try {
          if (kind === 'connections')
            return withNode(this.toNode(parseClientList(String(await n.client.call('CLIENT', 'LIST'))), budget, full), n.address, role);
          const info = String(await n.client.info('memory'));
          const fields = Object.fromEntries(
            info
              .split(/\r?\n/)
              .map((l) => l.split(':'))
              .filter(([k]) => FRAGMENTATION_FIELDS.includes(k as string)),
          );
          return withNode(this.toNode(fields, budget, full), n.address, role);
        } catch (error) {
          return withNode({ type: 'error', message: toSwarmdeckError(error, n.address).message }, n.address, role);
        }
      }),
    );
  }

  /** What KEYS would list, by SCAN on every master (or one node), within a budget of keys looked at. */
  async keys(session: Session, options: KeysOptions): Promise<ConsoleKeysResult> {
    const count = options.count ?? 1000;
    const budget = options.budget ?? 100_000;
    const limit = options.limit ?? 1000;
    const nodes = options.node ? [this.node(session, options.node)] : nodeHandles(session.client, 'master');
    const keys: string[] = [];
    let scanned = 0;
    let complete = true;
    for (const node of nodes) {
      let cursor = '0';
      do {
        if (scanned >= budget || keys.length >= limit) {
          complete = false;
          break;
        }
        const [next, found] = await node.client.scanBuffer(cursor, 'MATCH', options.pattern, 'COUNT', count);
        // SCAN looks at about COUNT slots of the table per call; it does not say how many keys exactly.
        scanned += count;
        cursor = String(next);
        for (const key of found) if (keys.length < limit) keys.push(printableKey(key));
      } while (cursor !== '0');
      if (!complete) break;
    }
    return { keys, scanned, complete };
  }
}

function withNode(reply: ReplyNode, node: string | undefined, role: 'master' | 'replica' | undefined): NodeReply {
  const out: NodeReply = { reply };
  if (node !== undefined) out.node = node;
  if (role !== undefined) out.role = role;
  return out;
}

function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ReplyError';
}

function hasTruncation(node: ReplyNode): boolean {
  if ('truncated' in node && node.truncated) return true;
  if (node.type === 'array') return node.items.some(hasTruncation);
  if (node.type === 'map') return node.entries.some((e) => hasTruncation(e.key) || hasTruncation(e.value));
  return false;
}
