import type { CommandClass, ConsoleArg, ConsoleCatalogue, ConsoleCommand, ConsoleKeySpec } from '../../../shared/model/console';

/**
 * The console's command knowledge, built from the server's own `COMMAND DOCS` and
 * `COMMAND INFO` replies (or the snapshot of them shipped in src/shared). Replies are RESP2:
 * a map is a flat [key, value, key, value…] array.
 */

type Raw = unknown;

const text = (v: Raw): string => (Buffer.isBuffer(v) ? v.toString() : String(v));

function pairs(v: Raw): Map<string, Raw> {
  const out = new Map<string, Raw>();
  if (!Array.isArray(v)) return out;
  for (let i = 0; i + 1 < v.length; i += 2) out.set(text(v[i]), v[i + 1]);
  return out;
}

const strings = (v: Raw): string[] => (Array.isArray(v) ? v.map(text) : []);
const num = (v: Raw, fallback = 0): number => (typeof v === 'number' ? v : Number.isFinite(Number(text(v))) ? Number(text(v)) : fallback);

/**
 * Dangerous although the server does not put them in `@dangerous` (or worth naming anyway):
 * they lose data or availability for everyone, not only the caller.
 */
const DANGEROUS = new Set([
  'FLUSHALL',
  'FLUSHDB',
  'KEYS',
  'DEBUG',
  'SHUTDOWN',
  'CONFIG SET',
  'CONFIG RESETSTAT',
  'CONFIG REWRITE',
  'CLUSTER RESET',
  'CLUSTER FAILOVER',
  'CLUSTER FORGET',
  'CLUSTER FLUSHSLOTS',
  'CLUSTER DELSLOTS',
  'CLUSTER DELSLOTSRANGE',
  'CLUSTER SETSLOT',
  'SCRIPT FLUSH',
  'SCRIPT KILL',
  'FUNCTION FLUSH',
  'FUNCTION DELETE',
  'FUNCTION RESTORE',
  'FUNCTION KILL',
  'SWAPDB',
  'MIGRATE',
  'REPLICAOF',
  'SLAVEOF',
  'FAILOVER',
  'MONITOR',
  'CLIENT KILL',
  'CLIENT PAUSE',
  'SAVE',
  'SLOWLOG RESET',
  'LATENCY RESET',
  // A script or function may call any of the above: the console cannot see inside it. FUNCTION
  // LOAD (REPLACE) installs such code under a name agents already FCALL in their ordinary work.
  'EVAL',
  'EVALSHA',
  'FCALL',
  'FUNCTION LOAD',
  // Flagged readonly by the server, yet a read-only script can loop for ever (BUSY for every
  // client until SCRIPT KILL) and call admin commands that are not writes (SLOWLOG RESET).
  'EVAL_RO',
  'EVALSHA_RO',
  'FCALL_RO',
]);

/**
 * In `@dangerous` but only read the server's state: the operator's everyday diagnostics, which
 * must not ask production for a typed confirmation each time.
 */
const INSPECTION = new Set([
  'INFO',
  'ROLE',
  'LASTSAVE',
  'CONFIG GET',
  'CLIENT LIST',
  'CLIENT INFO',
  'SLOWLOG GET',
  'SLOWLOG LEN',
  'LATENCY DOCTOR',
  'LATENCY LATEST',
  'LATENCY HISTORY',
  'LATENCY GRAPH',
  'LATENCY HISTOGRAM',
  'MEMORY STATS',
  'MEMORY DOCTOR',
  'MEMORY MALLOC-STATS',
  'MEMORY USAGE',
  'CLUSTER INFO',
  'CLUSTER NODES',
  'CLUSTER SLOTS',
  'CLUSTER SHARDS',
  'CLUSTER MYID',
  'CLUSTER KEYSLOT',
  'CLUSTER COUNTKEYSINSLOT',
  'CLUSTER GETKEYSINSLOT',
  'CLUSTER LINKS',
  'CLUSTER REPLICAS',
  'CLUSTER SLAVES',
  'CLUSTER COUNT-FAILURE-REPORTS',
  'ACL WHOAMI',
  'ACL LIST',
  'ACL USERS',
  'ACL GETUSER',
  'ACL CAT',
  'ACL LOG',
  'ACL DRYRUN',
  'MODULE LIST',
  'FUNCTION LIST',
  'FUNCTION STATS',
]);

/** Not run by the console: it would take the connection over; the reason is shown to the operator. */
const REFUSED: Readonly<Record<string, string>> = {
  SUBSCRIBE: 'subscribing takes the connection over: use the message viewer',
  PSUBSCRIBE: 'subscribing takes the connection over: use the message viewer',
  SSUBSCRIBE: 'subscribing takes the connection over: use the message viewer',
  UNSUBSCRIBE: 'there is no subscription in the console: use the message viewer',
  PUNSUBSCRIBE: 'there is no subscription in the console: use the message viewer',
  SUNSUBSCRIBE: 'there is no subscription in the console: use the message viewer',
  SYNC: 'replication streams the whole dataset to the caller',
  PSYNC: 'replication streams the whole dataset to the caller',
  'CLIENT REPLY': 'the console needs a reply to every command it sends',
  'SCRIPT DEBUG': 'the Lua debugger takes the connection over: use redis-cli --ldb',
};

/** What a line's arguments make of a command class by name: ACL LOG reads the security log, ACL LOG RESET erases it. */
export function lineClass(name: string, argv: string[], byName: CommandClass): CommandClass {
  if (name === 'ACL LOG' && argv[2]?.toUpperCase() === 'RESET') return 'dangerous';
  return byName;
}

/**
 * Read / write / admin / dangerous, from the server's flags and ACL categories. Anything the
 * server does not flag `readonly` that is not connection or admin bookkeeping counts as a
 * write (PUBLISH), since the console cannot know it does not change data; scripts (EVAL, FCALL)
 * are dangerous, since they can do anything a dangerous command does.
 */
export function classify(name: string, flags: string[], acl: string[]): CommandClass {
  if (DANGEROUS.has(name)) return 'dangerous';
  const admin = flags.includes('admin') || acl.includes('admin');
  if (INSPECTION.has(name)) return admin ? 'admin' : 'read';
  if (acl.includes('dangerous')) return 'dangerous';
  if (flags.includes('write') || flags.includes('may_replicate')) return 'write';
  if (flags.includes('readonly')) return 'read';
  if (admin) return 'admin';
  if (acl.includes('connection')) return 'read';
  return 'write';
}

function toArg(raw: Raw): ConsoleArg {
  const m = pairs(raw);
  const flags = strings(m.get('flags'));
  const arg: ConsoleArg = { name: text(m.get('name')), type: text(m.get('type')) };
  if (m.has('token')) arg.token = text(m.get('token'));
  if (flags.includes('optional')) arg.optional = true;
  if (flags.includes('multiple')) arg.multiple = true;
  if (flags.includes('multiple_token')) arg.multipleToken = true;
  if (m.has('since')) arg.since = text(m.get('since'));
  if (m.has('display_text')) arg.display = text(m.get('display_text'));
  if (Array.isArray(m.get('arguments'))) arg.args = (m.get('arguments') as Raw[]).map(toArg);
  return arg;
}

function toKeySpec(raw: Raw): ConsoleKeySpec {
  const m = pairs(raw);
  const begin = pairs(m.get('begin_search'));
  const beginSpec = pairs(begin.get('spec'));
  const find = pairs(m.get('find_keys'));
  const findSpec = pairs(find.get('spec'));
  const spec: ConsoleKeySpec = {
    begin:
      text(begin.get('type')) === 'keyword'
        ? { keyword: text(beginSpec.get('keyword')), startFrom: num(beginSpec.get('startfrom'), 1) }
        : { index: num(beginSpec.get('index'), 1) },
    find: { unknown: true },
    flags: strings(m.get('flags')),
  };
  if (text(find.get('type')) === 'range')
    spec.find = {
      range: { lastKey: num(findSpec.get('lastkey')), step: num(findSpec.get('keystep'), 1), limit: num(findSpec.get('limit')) },
    };
  else if (text(find.get('type')) === 'keynum')
    spec.find = {
      keynum: {
        keynumIdx: num(findSpec.get('keynumidx')),
        firstKey: num(findSpec.get('firstkey'), 1),
        step: num(findSpec.get('keystep'), 1),
      },
    };
  // A `begin_search` of type "unknown" cannot be followed; ioredis's own table is the fallback.
  if (text(begin.get('type')) === 'unknown') spec.find = { unknown: true };
  return spec;
}

function toCommand(info: Raw[], docs: Map<string, Map<string, Raw>>, parent?: string): ConsoleCommand {
  const raw = text(info[0]);
  const name = (raw.includes('|') ? raw.split('|').join(' ') : raw).toUpperCase();
  const flags = strings(info[2]);
  const acl = strings(info[6]).map((c) => c.replace(/^@/, ''));
  const tips = strings(info[7]);
  const doc =
    parent === undefined
      ? docs.get(raw.toLowerCase())
      : pairs(docs.get(parent)?.get('subcommands')).has(raw)
        ? pairs(pairs(docs.get(parent)?.get('subcommands')).get(raw))
        : undefined;
  const command: ConsoleCommand = {
    name,
    arity: num(info[1]),
    flags,
    acl,
    class: classify(name, flags, acl),
    args: Array.isArray(doc?.get('arguments')) ? (doc?.get('arguments') as Raw[]).map(toArg) : [],
    keySpecs: Array.isArray(info[8]) ? info[8].map(toKeySpec) : [],
  };
  if (doc?.has('summary')) command.summary = text(doc.get('summary'));
  if (doc?.has('since')) command.since = text(doc.get('since'));
  if (doc?.has('group')) command.group = text(doc.get('group'));
  if (doc?.has('complexity')) command.complexity = text(doc.get('complexity'));
  const request = tips.find((t) => t.startsWith('request_policy:'));
  const response = tips.find((t) => t.startsWith('response_policy:'));
  if (request) command.requestPolicy = request.slice('request_policy:'.length);
  if (response) command.responsePolicy = response.slice('response_policy:'.length);
  const refused = REFUSED[name];
  if (refused) command.refused = refused;
  if (Array.isArray(info[9]) && info[9].length > 0) {
    command.subcommands = (info[9] as Raw[][])
      .map((sub) => toCommand(sub, docs, raw.toLowerCase()))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
  return command;
}

/** Console-only commands: they read what an operator asks for most, the way the console shows it. */
const SEEDS: ConsoleCommand[] = [
  {
    name: 'CONNECTIONS',
    summary: 'Every client connected to every node (CLIENT LIST, parsed)',
    group: 'swarmdeck',
    arity: 1,
    flags: [],
    acl: [],
    class: 'admin',
    args: [],
    keySpecs: [],
  },
  {
    name: 'MEMORY FRAGMENTATION',
    summary: 'Memory use and fragmentation ratio of every node (from INFO memory)',
    group: 'swarmdeck',
    arity: 2,
    flags: [],
    acl: [],
    class: 'read',
    args: [],
    keySpecs: [],
  },
];

/** Builds the catalogue from the raw replies of `COMMAND DOCS` and `COMMAND INFO`. */
export function buildCatalogue(source: ConsoleCatalogue['source'], version: string, docsReply: Raw, infoReply: Raw): ConsoleCatalogue {
  const docs = new Map<string, Map<string, Raw>>();
  for (const [name, doc] of pairs(docsReply)) docs.set(name.toLowerCase(), pairs(doc));
  const commands = (Array.isArray(infoReply) ? infoReply : [])
    .filter((e): e is Raw[] => Array.isArray(e))
    .map((e) => toCommand(e, docs))
    .sort((a, b) => a.name.localeCompare(b.name));
  const memory = commands.find((c) => c.name === 'MEMORY');
  if (memory) memory.subcommands = [...(memory.subcommands ?? []), SEEDS[1] as ConsoleCommand];
  commands.push(SEEDS[0] as ConsoleCommand);
  return { source, version, commands };
}

/** The entry for argv: a container's subcommand when there is one (`CONFIG GET`), else the command. */
export function lookup(catalogue: ConsoleCatalogue, argv: string[]): ConsoleCommand | undefined {
  const name = (argv[0] ?? '').toUpperCase();
  const command = catalogue.commands.find((c) => c.name === name);
  if (!command?.subcommands || argv.length < 2) return command;
  const full = `${name} ${(argv[1] as string).toUpperCase()}`;
  return command.subcommands.find((s) => s.name === full) ?? command;
}

/** Argv indexes of the command's keys, following its key specs. */
export function keyIndexes(command: ConsoleCommand, argc: number, argv: string[]): number[] | undefined {
  if (command.keySpecs.length === 0) return undefined;
  const out = new Set<number>();
  for (const spec of command.keySpecs) {
    let begin: number;
    if ('index' in spec.begin) begin = spec.begin.index;
    else {
      const keyword = spec.begin.keyword.toUpperCase();
      const from = spec.begin.startFrom;
      let found = -1;
      if (from >= 0) {
        for (let i = from; i < argc; i++)
          if (argv[i]?.toUpperCase() === keyword) {
            found = i;
            break;
          }
      } else {
        for (let i = argc + from; i > 0; i--)
          if (argv[i]?.toUpperCase() === keyword) {
            found = i;
            break;
          }
      }
      if (found < 0) continue;
      begin = found + 1;
    }
    if ('unknown' in spec.find) return undefined;
    if ('range' in spec.find) {
      const { lastKey, step, limit } = spec.find.range;
      let last = lastKey >= 0 ? begin + lastKey : argc + lastKey;
      // limit N: the keys are 1/N of what is left (XREAD's STREAMS k1 k2 id1 id2 has limit 2).
      if (lastKey < 0 && limit > 1) last = begin + Math.floor((argc - begin) / limit) - 1;
      for (let i = begin; i <= last && i < argc; i += Math.max(1, step)) out.add(i);
    } else {
      const { keynumIdx, firstKey, step } = spec.find.keynum;
      const count = Number(argv[begin + keynumIdx]);
      if (!Number.isInteger(count) || count < 0) continue;
      for (let i = 0, at = begin + firstKey; i < count && at < argc; i++, at += Math.max(1, step)) out.add(at);
    }
  }
  return [...out].sort((a, b) => a - b);
}
