import type { ConsoleArg, ConsoleCatalogue, ConsoleCommand } from '../../../../shared/model/console';

/**
 * What the editor knows of Redis, kept out of Monaco so it can be read and tested alone: the
 * words of a line, which command they name, where the cursor is among its arguments, and the
 * signature to show. Everything comes from the catalogue main sends (the server's own
 * COMMAND DOCS), never from a list of our own.
 */

export interface Word {
  text: string;
  start: number;
  end: number;
}

/** A line's words as redis-cli splits them (quotes group, a backslash escapes inside quotes). */
export function splitWords(line: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i] as string)) i += 1;
    if (i >= line.length) break;
    const start = i;
    let text = '';
    while (i < line.length && !/\s/.test(line[i] as string)) {
      const c = line[i] as string;
      if (c === '"' || c === "'") {
        i += 1;
        while (i < line.length && line[i] !== c) {
          if (line[i] === '\\' && c === '"' && i + 1 < line.length) i += 1;
          text += line[i];
          i += 1;
        }
        i += 1;
      } else {
        text += c;
        i += 1;
      }
    }
    words.push({ text, start, end: Math.min(i, line.length) });
  }
  return words;
}

export class CommandIndex {
  readonly byName = new Map<string, ConsoleCommand>();
  /** Top-level names, for completing the first word. */
  readonly top: ConsoleCommand[];

  constructor(readonly catalogue: ConsoleCatalogue) {
    this.top = [...catalogue.commands].sort((a, b) => a.name.localeCompare(b.name));
    for (const c of catalogue.commands) {
      this.byName.set(c.name, c);
      for (const sub of c.subcommands ?? []) this.byName.set(sub.name, sub);
    }
  }

  /** The command the words name (with its subcommand when it has one) and how many words that took. */
  resolve(words: readonly string[]): { command: ConsoleCommand; consumed: number } | undefined {
    const first = words[0]?.toUpperCase();
    if (!first) return undefined;
    const container = this.byName.get(first);
    if (!container) return undefined;
    const second = words[1]?.toUpperCase();
    if (container.subcommands?.length && second) {
      const sub = this.byName.get(`${first} ${second}`);
      if (sub) return { command: sub, consumed: 2 };
    }
    return { command: container, consumed: 1 };
  }
}

/** The argument as Redis documents it: `[EX seconds | PX milliseconds]`, `key [key ...]`. */
export function argText(arg: ConsoleArg): string {
  let body: string;
  if (arg.type === 'oneof') body = (arg.args ?? []).map(argText).join(' | ');
  else if (arg.type === 'block') body = (arg.args ?? []).map(argText).join(' ');
  else if (arg.type === 'pure-token') body = arg.token ?? arg.name;
  else body = arg.display ?? arg.name;
  if (arg.token && arg.type !== 'pure-token') body = `${arg.token} ${body}`;
  if (arg.multiple)
    body = `${body} [${arg.multipleToken && arg.token ? `${arg.token} ` : ''}${arg.type === 'block' || arg.type === 'oneof' ? '…' : `${arg.display ?? arg.name} …`}]`;
  if (arg.type === 'oneof' && !arg.optional) body = `<${body}>`;
  return arg.optional ? `[${body}]` : body;
}

export function signature(command: ConsoleCommand): { label: string; parameters: string[] } {
  const parameters = command.args.map(argText);
  return { label: [command.name, ...parameters].join(' '), parameters };
}

/** Every literal word the command accepts somewhere (`EX`, `NX`, `MATCH`, `COUNT`…), with what it introduces. */
export function tokensOf(
  args: readonly ConsoleArg[],
  into: { token: string; arg: ConsoleArg }[] = [],
): { token: string; arg: ConsoleArg }[] {
  for (const arg of args) {
    if (arg.token) into.push({ token: arg.token.toUpperCase(), arg });
    if (arg.args) tokensOf(arg.args, into);
  }
  return into;
}

/**
 * Which top-level argument the next word fills. A token that belongs to an argument jumps to
 * it; otherwise required arguments are filled in order and the cursor stays on a repeating one.
 */
export function activeArgument(command: ConsoleCommand, argWords: readonly string[]): number {
  if (command.args.length === 0) return -1;
  let index = 0;
  for (const word of argWords) {
    const upper = word.toUpperCase();
    const owner = command.args.findIndex((a) => tokensOf([a]).some((t) => t.token === upper));
    if (owner >= 0) {
      const arg = command.args[owner] as ConsoleArg;
      // A pure token is complete in itself; one with a value keeps the cursor on it for the value.
      index =
        arg.type === 'pure-token' || (arg.type === 'oneof' && (arg.args ?? []).every((a) => a.type === 'pure-token')) ? owner + 1 : owner;
      continue;
    }
    const current = command.args[index];
    if (current && !current.multiple) index += 1;
  }
  return Math.min(index, command.args.length - 1);
}

export type Suggestion =
  | { kind: 'command'; command: ConsoleCommand; insert: string }
  | { kind: 'subcommand'; command: ConsoleCommand; insert: string }
  | { kind: 'token'; insert: string; detail: string }
  | { kind: 'value'; insert: string; detail: string };

/** What may come next at the end of `before` (the line up to the cursor). */
export function suggest(index: CommandIndex, before: string): { suggestions: Suggestion[]; prefix: string } {
  const words = splitWords(before);
  const typing = before.length > 0 && !/\s$/.test(before);
  const prefix = typing ? (words[words.length - 1]?.text ?? '') : '';
  const done = (typing ? words.slice(0, -1) : words).map((w) => w.text);
  const upperPrefix = prefix.toUpperCase();
  if (done.length === 0) {
    return {
      prefix,
      suggestions: index.top.filter((c) => c.name.startsWith(upperPrefix)).map((c) => ({ kind: 'command', command: c, insert: c.name })),
    };
  }
  const container = index.byName.get((done[0] as string).toUpperCase());
  if (done.length === 1 && container?.subcommands?.length) {
    const subs = container.subcommands
      .map((s) => ({ kind: 'subcommand' as const, command: s, insert: s.name.slice(container.name.length + 1) }))
      .filter((s) => s.insert.startsWith(upperPrefix))
      .sort((a, b) => a.insert.localeCompare(b.insert));
    return { prefix, suggestions: subs };
  }
  const resolved = index.resolve(done);
  if (!resolved) return { prefix, suggestions: [] };
  const argWords = done.slice(resolved.consumed);
  const used = new Set(argWords.map((w) => w.toUpperCase()));
  const suggestions: Suggestion[] = [];
  const active = resolved.command.args[activeArgument(resolved.command, argWords)];
  if (active && active.type !== 'pure-token' && active.type !== 'oneof' && active.type !== 'block') {
    suggestions.push({
      kind: 'value',
      insert: active.display ?? active.name,
      detail: `${active.type}${active.optional ? ', optional' : ''}`,
    });
  }
  for (const { token, arg } of tokensOf(resolved.command.args)) {
    if (!token.startsWith(upperPrefix)) continue;
    if (used.has(token) && !arg.multiple && !arg.multipleToken) continue;
    if (suggestions.some((s) => s.insert === token)) continue;
    suggestions.push({ kind: 'token', insert: token, detail: argText(arg) });
  }
  return { prefix, suggestions };
}

/** Markdown for a command's hover: its one-line summary, complexity and the version it came in. */
export function hoverText(command: ConsoleCommand): string[] {
  const lines = [`**${command.name}** — ${command.summary ?? 'no summary from the server'}`];
  const facts = [
    command.complexity ? `Complexity: ${command.complexity}` : undefined,
    command.since ? `Since ${command.since}` : undefined,
    command.group ? `Group: ${command.group}` : undefined,
    `Class: ${command.class}`,
  ].filter((x): x is string => x !== undefined);
  lines.push(facts.join(' · '));
  lines.push('```\n' + signature(command).label + '\n```');
  if (command.refused) lines.push(`Not run by the console: ${command.refused}`);
  return lines;
}

/** The lines to send: the selection when there is one, else the cursor's line; blank lines and `#` comments dropped. */
export function linesToRun(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
}
