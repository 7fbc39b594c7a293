/**
 * The Redis console's domain types: the command catalogue the editor completes from, the typed
 * reply tree a command answers with, history and MONITOR lines. Shared by main and the renderer.
 */

/** How the console treats a command; decided from the server's own flags and ACL categories. */
export const COMMAND_CLASSES = ['read', 'write', 'admin', 'dangerous'] as const;
export type CommandClass = (typeof COMMAND_CLASSES)[number];

/** One argument of a command, as `COMMAND DOCS` describes it (nested for blocks and choices). */
export interface ConsoleArg {
  name: string;
  /** string, integer, double, key, pattern, unix-time, pure-token, oneof, block. */
  type: string;
  /** The literal word that introduces it (`EX`, `LIMIT`…). */
  token?: string;
  optional?: boolean;
  multiple?: boolean;
  /** The token repeats before every value (`GET pattern [GET pattern …]`). */
  multipleToken?: boolean;
  since?: string;
  display?: string;
  /** Members of a `oneof` or `block`. */
  args?: ConsoleArg[];
}

/**
 * Where a command's keys are, as the server's key specs say (`begin_search` then `find_keys`);
 * positions count argv[0] as the command itself.
 */
export interface ConsoleKeySpec {
  /** Keys start at this argv index, or after this keyword (searched from `startFrom`, < 0 from the end). */
  begin: { index: number } | { keyword: string; startFrom: number };
  /**
   * `range`: the last key relative to the first (< 0 counts from the end), every `step`th;
   * `keynum`: the number of keys is at begin + `keynumIdx`, the first key at begin + `firstKey`.
   */
  find:
    | { range: { lastKey: number; step: number; limit: number } }
    | { keynum: { keynumIdx: number; firstKey: number; step: number } }
    | { unknown: true };
  flags: string[];
}

export interface ConsoleCommand {
  /** Upper case; a subcommand is `CONTAINER SUB` (`CONFIG GET`). */
  name: string;
  summary?: string;
  since?: string;
  group?: string;
  complexity?: string;
  /** Redis arity: exact when positive, a minimum when negative (counts the command name). */
  arity: number;
  flags: string[];
  /** Without the `@` (`dangerous`, `keyspace`…). */
  acl: string[];
  class: CommandClass;
  args: ConsoleArg[];
  keySpecs: ConsoleKeySpec[];
  /** `all_shards`, `all_nodes`, `multi_shard`, `special` (from the server's tips). */
  requestPolicy?: string;
  responsePolicy?: string;
  subcommands?: ConsoleCommand[];
  /** Why the console will not run it, if it will not (SUBSCRIBE → "use the message viewer"). */
  refused?: string;
}

export interface ConsoleCatalogue {
  /** `server`: read from the connected server; `snapshot`: the one shipped with Swarmdeck. */
  source: 'server' | 'snapshot';
  /** The Redis version the catalogue describes. */
  version: string;
  commands: ConsoleCommand[];
}

/** A reply converted to JSON-safe, typed values. */
export type ReplyNode =
  | { type: 'string'; value: string; bytes: number; truncated?: boolean }
  /** Not valid UTF-8: the bytes in hex, and a redis-cli style escaped preview. */
  | { type: 'binary'; hex: string; preview: string; bytes: number; truncated?: boolean }
  | { type: 'integer'; value: number }
  | { type: 'array'; items: ReplyNode[]; length: number; truncated?: boolean }
  | { type: 'map'; entries: { key: ReplyNode; value: ReplyNode }[]; length: number; truncated?: boolean }
  | { type: 'error'; message: string }
  | { type: 'nil' };

export interface NodeReply {
  /** `host:port` of the node that answered (for a keyed command on a cluster: the slot's owner). */
  node?: string;
  role?: 'master' | 'replica';
  reply: ReplyNode;
}

export interface ConsoleCommandResult {
  /** The line as typed. */
  line: string;
  argv: string[];
  /** Upper case, with the subcommand (`CONFIG GET`). */
  command: string;
  class: CommandClass;
  /** One per node for fan-out commands; exactly one otherwise. */
  replies: NodeReply[];
  /** Sent on a connection made for this command and closed after (blocking, connection state). */
  dedicated: boolean;
  /** Some reply was cut at the bound; `console.exec` with `full: true` loads it all. */
  truncated: boolean;
  /** Offered instead of running: KEYS → `console.keys`, MONITOR → `console.monitor`. */
  offer?: { op: 'console.keys'; pattern: string } | { op: 'console.monitor' };
  /** Written to the audit stream (every command on production). */
  audited: boolean;
  durationMs: number;
}

export interface ConsoleExecResult {
  results: ConsoleCommandResult[];
}

export interface ConsoleKeysResult {
  keys: string[];
  /** Keys the SCAN looked at (across nodes). */
  scanned: number;
  /** False when the budget ran out before every cursor came back to 0. */
  complete: boolean;
}

export interface ConsoleHistoryEntry {
  at: number;
  line: string;
  ok: boolean;
  node?: string;
}

/** One command seen by a console MONITOR job. */
export interface MonitorLine {
  seq: number;
  /** Server time, in seconds with microseconds. */
  time: number;
  node: string;
  db: number;
  client: string;
  argv: string[];
}

export interface MonitorLines {
  lines: MonitorLine[];
  /** Pass as `after` to get only newer lines. */
  next: number;
  /** Lines that fell out of the kept window before they were read. */
  dropped: number;
}
