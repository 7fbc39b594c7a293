import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { SwarmdeckError } from '../../shared/errors';
import { describeTopology, type ProfileInput } from '../../shared/model/profile';
import { guardReadOnly } from './read-only-guard';
import { installSubscribeGate } from './subscribe-gate';

export type RedisClient = Redis | Cluster;

/** Everything needed to open a connection: a profile and its secret, resolved in main. */
export interface ConnectionSpec {
  profile: ProfileInput;
  password?: string;
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new SwarmdeckError('TLS_FAILED', `Cannot read the ${what} file ${path} (${code})`, {
      fields: [
        {
          path: `tls.${what === 'CA' ? 'caFile' : what === 'certificate' ? 'certFile' : 'keyFile'}`,
          message: `Cannot read this file (${code})`,
        },
      ],
    });
  }
}

export function tlsOptions(profile: ProfileInput): ConnectionOptions | undefined {
  const t = profile.tls;
  if (!t.enabled) return undefined;
  if ((t.certFile === undefined) !== (t.keyFile === undefined)) {
    throw new SwarmdeckError('VALIDATION', 'A client certificate needs both a certificate and a key file', {
      fields: [{ path: t.certFile === undefined ? 'tls.certFile' : 'tls.keyFile', message: 'Give both certificate and key' }],
    });
  }
  return {
    ca: t.caFile ? readPem(t.caFile, 'CA') : undefined,
    cert: t.certFile ? readPem(t.certFile, 'certificate') : undefined,
    key: t.keyFile ? readPem(t.keyFile, 'key') : undefined,
    servername: t.servername || undefined,
    rejectUnauthorized: t.verify,
  };
}

/** Options shared by a standalone client and every node connection of a cluster. */
export function nodeOptions(spec: ConnectionSpec): RedisOptions {
  const { profile } = spec;
  return {
    username: profile.username || undefined,
    password: spec.password,
    tls: tlsOptions(profile),
    connectTimeout: profile.connectTimeoutMs,
    commandTimeout: profile.commandTimeoutMs,
    connectionName: 'swarmdeck',
  };
}

export interface ClientBehaviour {
  /** Reconnect delay for attempt n, or null to give up. */
  retry: (attempt: number) => number | null;
  lazyConnect?: boolean;
}

/**
 * A client of a read-only profile is guarded from birth, before its first command, so no path
 * (a duplicate, a cluster node, a caller that forgot) ever holds an unguarded one.
 */
export function createClient(spec: ConnectionSpec, behaviour: ClientBehaviour): RedisClient {
  // Every subscriber connection of a session (and a cluster's own) is a child of this client.
  installSubscribeGate();
  const client = openClient(spec, behaviour);
  if (spec.profile.readOnly) guardReadOnly(client, spec.profile.name);
  return client;
}

function openClient(spec: ConnectionSpec, behaviour: ClientBehaviour): RedisClient {
  const topology = spec.profile.topology;
  const base = nodeOptions(spec);
  if (topology.kind === 'standalone') {
    return new Redis({
      ...base,
      host: topology.host,
      port: topology.port,
      db: topology.db,
      lazyConnect: behaviour.lazyConnect ?? true,
      maxRetriesPerRequest: 1,
      retryStrategy: behaviour.retry,
    });
  }
  const options: ClusterOptions = {
    lazyConnect: behaviour.lazyConnect ?? true,
    redisOptions: { ...base, maxRetriesPerRequest: 1 },
    clusterRetryStrategy: behaviour.retry,
    natMap: topology.natMap,
    slotsRefreshTimeout: Math.max(1000, spec.profile.connectTimeoutMs),
    // A failover takes a few seconds; commands wait for the new master rather than fail.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    maxRedirections: 16,
  };
  return new Cluster(
    topology.seeds.map((s) => ({ host: s.host, port: s.port })),
    options,
  );
}

export function describeSpec(spec: ConnectionSpec): string {
  return describeTopology(spec.profile.topology);
}
