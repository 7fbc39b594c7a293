/**
 * A master's point-in-time snapshot, read the way a replica gets it and parsed as it arrives
 * (redis/rdb). One connection per master, outside ioredis: once PSYNC is answered the socket
 * carries the RDB, not replies.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { SwarmdeckError } from '../../../shared/errors';
import type { RedisClient } from '../client-options';
import { toSwarmdeckError } from '../describe-error';
import { nodeHandles } from '../nodes';
import { parseRdb, type RdbRecord } from '../rdb';
import { handshake, type Credentials } from './handshake';
import { framingOf, payloadOf } from './payload-frame';
import { ReplyReader } from './reply-reader';

export interface SnapshotEndpoint extends Credentials {
  host: string;
  port: number;
  tls?: ConnectionOptions;
}

export interface SnapshotOptions {
  /** Longest silence allowed, handshake and transfer alike (default 60 s, the master's own repl-timeout). */
  timeoutMs?: number;
  maxRecordBytes?: number;
  signal?: AbortSignal;
}

export interface Snapshot {
  address: string;
  /** The master's replication ID and offset: the instant the snapshot holds. */
  replicationId: string | null;
  offset: number | null;
  framing: 'length' | 'eof';
  /** The snapshot's records in batches; the connection closes when this ends, fails or is left. */
  records: AsyncGenerator<RdbRecord[]>;
  close(): void;
}

function open(endpoint: SnapshotEndpoint, address: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = endpoint.tls
      ? tlsConnect({ ...endpoint.tls, host: endpoint.host, port: endpoint.port }, () => resolve(socket))
      : tcpConnect({ host: endpoint.host, port: endpoint.port }, () => resolve(socket));
    socket.once('error', (error) => reject(toSwarmdeckError(error, address)));
  });
}

async function* closing(records: AsyncGenerator<RdbRecord[]>, socket: Socket, address: string): AsyncGenerator<RdbRecord[]> {
  try {
    yield* records;
  } catch (error) {
    throw toSwarmdeckError(error, address);
  } finally {
    socket.destroy();
  }
}

export async function openSnapshot(endpoint: SnapshotEndpoint, opts: SnapshotOptions = {}): Promise<Snapshot> {
  const address = `${endpoint.host}:${endpoint.port}`;
  const socket = await open(endpoint, address);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  socket.setTimeout(timeoutMs, () =>
    socket.destroy(new SwarmdeckError('TIMEOUT', `${address} sent nothing of its snapshot for ${timeoutMs} ms`, { address })),
  );
  const cancel = () =>
    socket.destroy(new SwarmdeckError('CONFLICT', `Reading the snapshot of ${address} was cancelled`, { reason: 'cancelled' }));
  if (opts.signal?.aborted) cancel();
  opts.signal?.addEventListener('abort', cancel, { once: true });
  socket.once('close', () => opts.signal?.removeEventListener('abort', cancel));
  try {
    const reader = new ReplyReader(socket[Symbol.asyncIterator]() as AsyncIterator<Buffer>, address);
    const { replicationId, offset } = await handshake((b) => socket.write(b), reader, address, endpoint);
    const framing = framingOf(await reader.line(), address);
    const payload = payloadOf(reader.rest(), framing, address);
    const records = closing(parseRdb(payload, { source: address, maxRecordBytes: opts.maxRecordBytes }), socket, address);
    return { address, replicationId, offset, framing: framing.kind, records, close: () => socket.destroy() };
  } catch (error) {
    socket.destroy();
    throw toSwarmdeckError(error, address);
  }
}

/** Every master behind a client (the server itself when standalone), with the client's credentials and TLS. */
export function masterEndpoints(client: RedisClient): SnapshotEndpoint[] {
  return nodeHandles(client, 'master').map(({ client: node }) => {
    const o = node.options;
    return {
      host: o.host ?? '127.0.0.1',
      port: o.port ?? 6379,
      username: o.username,
      password: o.password,
      tls: o.tls,
    };
  });
}

/**
 * Reads every master's snapshot at once, each through `consume`; the first failure cancels
 * the others (a backup of some shards only is no backup).
 */
export async function readSnapshots<T>(
  endpoints: SnapshotEndpoint[],
  consume: (snapshot: Snapshot) => Promise<T>,
  opts: SnapshotOptions = {},
): Promise<T[]> {
  const all = new AbortController();
  const stop = () => all.abort();
  opts.signal?.addEventListener('abort', stop, { once: true });
  try {
    return await Promise.all(
      endpoints.map(async (endpoint) => {
        const snapshot = await openSnapshot(endpoint, { ...opts, signal: all.signal });
        try {
          return await consume(snapshot);
        } finally {
          snapshot.close();
        }
      }),
    );
  } catch (error) {
    all.abort();
    throw error;
  } finally {
    opts.signal?.removeEventListener('abort', stop);
  }
}
