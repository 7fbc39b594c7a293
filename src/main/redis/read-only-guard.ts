import type { Redis } from 'ioredis';
import { SwarmdeckError } from '../../shared/errors';
import type { RedisClient } from './client-options';

/**
 * Commands that can change data or a server without carrying the `write` flag: scripts (a
 * read-only profile may use EVAL_RO, EVALSHA_RO and FCALL_RO) and admin commands.
 */
const ALWAYS_REFUSED = new Set([
  'eval', 'evalsha', 'fcall',
  'shutdown', 'debug', 'replicaof', 'slaveof', 'failover', 'monitor', 'bgrewriteaof', 'bgsave', 'save',
  'config|set', 'config|rewrite', 'config|resetstat', 'acl|setuser', 'acl|deluser', 'acl|save', 'acl|load',
  'script|flush', 'script|load', 'function|load', 'function|delete', 'function|flush', 'function|restore',
  'client|kill', 'client|pause', 'cluster|failover', 'cluster|reset', 'cluster|forget', 'cluster|meet',
  'cluster|addslots', 'cluster|addslotsrange', 'cluster|delslots', 'cluster|delslotsrange',
  'cluster|setslot', 'cluster|replicate', 'module|load', 'module|loadex', 'module|unload',
]);

type CommandInfo = [string, number, string[], ...unknown[]];

/** Reads the command table from the server itself, so the guard knows every command it has. */
async function loadChangingCommands(client: RedisClient): Promise<Set<string>> {
  const table = (await (client as Redis).call('COMMAND')) as CommandInfo[];
  const changing = new Set(ALWAYS_REFUSED);
  const visit = (entry: CommandInfo): void => {
    const [name, , flags] = entry;
    if (flags.includes('write') || flags.includes('may_replicate')) changing.add(name.toLowerCase());
    const subcommands = entry[9];
    if (Array.isArray(subcommands)) for (const sub of subcommands as CommandInfo[]) visit(sub);
  };
  table.forEach(visit);
  return changing;
}

interface SentCommand {
  name: string;
  args: unknown[];
  reject: (error: Error) => void;
  promise: Promise<unknown>;
}

interface Batch {
  exec: (...args: unknown[]) => Promise<unknown>;
  /** ioredis keeps the queued commands of a pipeline here until exec. */
  _queue?: SentCommand[];
}

type Guarded = {
  sendCommand: (command: SentCommand, ...rest: unknown[]) => unknown;
  pipeline: (...args: unknown[]) => Batch;
  multi: (...args: unknown[]) => Batch;
};

/**
 * Makes a client refuse every command that could change data or the server, so no service
 * in main can write on a read-only profile by accident. Single commands are stopped in
 * `sendCommand`; a pipeline or transaction holding any such command is refused whole
 * before anything is sent, so a batch never half-runs.
 */
export async function guardReadOnly(client: RedisClient, profileName: string): Promise<void> {
  const changing = await loadChangingCommands(client);
  const refusal = (command: SentCommand): SwarmdeckError | undefined => {
    const name = command.name.toLowerCase();
    const first = command.args[0];
    const sub = typeof first === 'string' || Buffer.isBuffer(first) ? `${name}|${String(first).toLowerCase()}` : name;
    if (!changing.has(name) && !changing.has(sub)) return undefined;
    return new SwarmdeckError('READ_ONLY', `Profile "${profileName}" is read-only: ${name.toUpperCase()} is refused`);
  };
  const target = client as unknown as Guarded;
  const send = target.sendCommand.bind(client);
  target.sendCommand = (command, ...rest) => {
    const error = refusal(command);
    if (!error) return send(command, ...rest);
    command.reject(error);
    return command.promise;
  };
  for (const method of ['pipeline', 'multi'] as const) {
    const make = target[method].bind(client);
    target[method] = (...args) => {
      const batch = make(...args);
      const exec = batch.exec.bind(batch);
      batch.exec = (...execArgs) => {
        const error = (batch._queue ?? []).map(refusal).find((e) => e !== undefined);
        return error ? Promise.reject(error) : exec(...execArgs);
      };
      return batch;
    };
  }
}
