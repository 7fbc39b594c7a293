import type { Redis } from 'ioredis';
import { SwarmdeckError } from '../../shared/errors';
import type { RedisClient } from './client-options';

/** Admin commands that change a server without carrying the `write` flag. */
const DANGEROUS_ADMIN = new Set([
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
  const changing = new Set(DANGEROUS_ADMIN);
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

/**
 * Makes a client refuse every command that could change data or the server. It sits on
 * `sendCommand`, which every command, pipeline and transaction of ioredis goes through,
 * so no service in main can write on a read-only profile by accident.
 */
export async function guardReadOnly(client: RedisClient, profileName: string): Promise<void> {
  const changing = await loadChangingCommands(client);
  const target = client as unknown as { sendCommand: (command: SentCommand, ...rest: unknown[]) => unknown };
  const original = target.sendCommand.bind(client);
  target.sendCommand = (command: SentCommand, ...rest: unknown[]) => {
    const name = command.name.toLowerCase();
    const sub = typeof command.args[0] === 'string' || Buffer.isBuffer(command.args[0])
      ? `${name}|${String(command.args[0]).toLowerCase()}`
      : name;
    if (changing.has(name) || changing.has(sub)) {
      command.reject(
        new SwarmdeckError('READ_ONLY', `Profile "${profileName}" is read-only: ${name.toUpperCase()} is refused`),
      );
      return command.promise;
    }
    return original(command, ...rest);
  };
}

