import { SwarmdeckError } from '../../../shared/errors';
import { enforceGuard } from '../../../shared/guards';
import type { ConsoleCatalogue, ConsoleCommand } from '../../../shared/model/console';
import type { Session } from '../../redis/connection-manager';
import { lineClass, lookup } from './catalogue';
import type { ParsedLine } from './parse';

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

/** What one console line is, decided before any line of its call is sent. */
export interface Plan {
  parsed: ParsedLine;
  argv: string[];
  name: string;
  command?: ConsoleCommand;
  /** `run` is sent to Redis; `keys` and `monitor` are offered as their safe form; the others are the console's own commands. */
  kind: 'run' | 'keys' | 'monitor' | 'connections' | 'fragmentation';
}

/** Decides what a line is and refuses it, before anything of the call is sent, when it may not run. */
export function planLine(session: Session, catalogue: ConsoleCatalogue, parsed: ParsedLine, confirm: string | undefined): Plan {
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
  if (command && !command.subcommands) checkArity(command, argv, where, parsed.lineNo);
  guardLine(session, lineClass(name, argv, command?.class ?? 'write'), name, command !== undefined, where, parsed.lineNo, confirm);
  return { parsed, argv, name, command, kind: 'run' };
}

function checkArity(command: ConsoleCommand, argv: string[], where: string, lineNo: number): void {
  const ok = command.arity >= 0 ? argv.length === command.arity : argv.length >= -command.arity;
  if (ok) return;
  const wanted = command.arity >= 0 ? `exactly ${command.arity - 1}` : `at least ${-command.arity - 1}`;
  throw new SwarmdeckError('VALIDATION', `${where}: ${command.name} takes ${wanted} argument(s), ${argv.length - 1} given`, {
    line: lineNo,
    command: command.name,
  });
}

/** A line that can change data: refused on a read-only profile, confirmed on production. */
function guardLine(
  session: Session,
  cls: ConsoleCommand['class'],
  name: string,
  known: boolean,
  where: string,
  lineNo: number,
  confirm: string | undefined,
): void {
  if (cls !== 'write' && cls !== 'dangerous') return;
  const profile = session.profile;
  if (profile.readOnly) {
    throw new SwarmdeckError(
      'READ_ONLY',
      `Profile "${profile.name}" is read-only: ${name} can change data, so the console did not send it${known ? '' : ' (the server does not list it)'}`,
      { command: name, line: lineNo },
    );
  }
  // A write on production is confirmed like any other guarded action (the page asks for it the same way).
  try {
    enforceGuard(profile, cls === 'write' ? 'console.write' : 'console.dangerous', { name: profile.name }, confirm);
  } catch (error) {
    if (error instanceof SwarmdeckError)
      throw new SwarmdeckError(error.code, `${where}: ${name}: ${error.message}`, { ...error.details, command: name, line: lineNo });
    throw error;
  }
}

/** A line that runs on a connection of its own: it blocks, or sets state on its connection (and the lines after it follow it there). */
export function wantsOwnConnection(plan: Plan): boolean {
  return (
    plan.kind === 'run' &&
    (CONNECTION_STATE.has(plan.name) || !!plan.command?.flags.includes('blocking') || !!plan.command?.acl.includes('blocking'))
  );
}

/** A line whose answer is per node, so it is asked of every node (or every master) of a cluster. */
export function fansOut(plan: Plan): boolean {
  const policy = plan.command?.requestPolicy;
  return policy === 'all_nodes' || policy === 'all_shards' || EVERY_NODE.has(plan.name);
}

/** Values that must not reach the audit stream or the history file. */
export function redact(argv: string[], name: string): string {
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
