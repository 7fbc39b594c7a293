import type { ParseArgsConfig } from 'node:util';

/** A mistake in how the command was called: exit code 2 and a hint, never a stack. */
export class UsageError extends Error {}

export interface Output {
  json: unknown;
  /** Printed on stdout; nothing is printed when empty (a command that ran a child printed its own). */
  text: string;
  /** The process's exit code when not 0 (`lock exec` passes its command's on). */
  exitCode?: number;
}

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

/**
 * One entry of the CLI's command registry. A feature contributes its commands from its own
 * folder (`features/<feature>/cli.ts`); the host only reads the registry.
 */
export interface CliCommand<C> {
  /** The first word(s) that select this command, e.g. `['queue', 'queues']`. */
  words: string[];
  /** Usage lines, as shown by `swarmdeck --help`. */
  usage: string[];
  /** Flags of its own, beside the connection flags every command takes. */
  flags?: FlagSpec;
  run(positionals: string[], ctx: C): Promise<Output>;
}
