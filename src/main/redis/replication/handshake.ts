/**
 * The replica's side of the handshake, as `redis-cli --rdb` and RedisShake do it: AUTH, say
 * we take a diskless transfer (`capa eof`) and want only the snapshot (`rdb-only`, 7.0+),
 * then `PSYNC ? -1`, which a master can only answer with a full resynchronisation.
 * A server that will not replicate to us says so in a typed error the caller can fall back on.
 */
import { SwarmdeckError } from '../../../shared/errors';
import type { ReplyReader } from './reply-reader';

export interface Handshake {
  replicationId: string | null;
  offset: number | null;
}

/** Both refusals carry this reason: the caller's cue to read the keys by SCAN + DUMP instead. */
export const REPLICATION_REFUSED = 'replication-refused';

export function isReplicationRefused(error: unknown): boolean {
  return error instanceof SwarmdeckError && error.details?.reason === REPLICATION_REFUSED;
}

function refused(where: string, command: string, reply: string): SwarmdeckError {
  if (/^-NOPERM/.test(reply)) {
    return new SwarmdeckError(
      'UNAUTHORIZED',
      `${where} refuses ${command} to this ACL user (${reply.slice(1)}): reading its snapshot needs +sync and +psync (and +replconf); Swarmdeck reads the keys one by one instead`,
      { reason: REPLICATION_REFUSED, refusal: 'acl', command, address: where },
    );
  }
  return new SwarmdeckError(
    'UNAVAILABLE',
    `${where} does not replicate to clients (${command}: ${reply.slice(1)}), as managed services often disable it; Swarmdeck reads the keys one by one instead`,
    { reason: REPLICATION_REFUSED, refusal: 'disabled', command, address: where },
  );
}

const resp = (args: string[]): Buffer =>
  Buffer.from(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`, 'utf8');

export interface Credentials {
  username?: string;
  password?: string;
}

export async function handshake(send: (b: Buffer) => void, reader: ReplyReader, where: string, auth: Credentials): Promise<Handshake> {
  const ask = async (args: string[]): Promise<string> => {
    send(resp(args));
    return reader.line();
  };
  if (auth.password) {
    const reply = await ask(auth.username ? ['AUTH', auth.username, auth.password] : ['AUTH', auth.password]);
    if (reply.startsWith('-'))
      throw new SwarmdeckError('AUTH_FAILED', `${where} rejected the username or password (${reply.slice(1)})`, { address: where });
  }
  // Servers before 7.0 answer rdb-only with an error: they send the command stream afterwards, which is never read.
  for (const option of [
    ['capa', 'eof'],
    ['rdb-only', '1'],
  ]) {
    const reply = await ask(['REPLCONF', ...option]);
    if (/^-NOPERM|^-ERR unknown command/i.test(reply)) throw refused(where, 'REPLCONF', reply);
  }
  const reply = await ask(['PSYNC', '?', '-1']);
  const full = /^\+FULLRESYNC ([0-9a-f]+) ([0-9]+)$/.exec(reply);
  if (full) return { replicationId: full[1] as string, offset: Number(full[2]) };
  // A master still loading or a replica without its master may answer later; any other error is a refusal to replicate.
  if (/^-(LOADING|NOMASTERLINK|MASTERDOWN|BUSY)/.test(reply)) {
    throw new SwarmdeckError('UNAVAILABLE', `${where} cannot hand out a snapshot now: ${reply.slice(1)}`, { address: where });
  }
  if (reply.startsWith('-')) throw refused(where, 'PSYNC', reply);
  throw new SwarmdeckError('NOT_REDIS', `${where} answered PSYNC with ${JSON.stringify(reply.slice(0, 80))}`, { address: where });
}
