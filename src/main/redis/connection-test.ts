import { lookup } from 'node:dns/promises';
import { isIP, Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Cluster, Redis } from 'ioredis';
import type { ConnectionTestResult, ConnectionTestStep } from '../../shared/model/health';
import type { HostPort } from '../../shared/model/profile';
import { createClient, nodeOptions, tlsOptions, type ConnectionSpec } from './client-options';
import { describeRedisError } from './describe-error';
import { parseInfo } from './info';
import { withTimeout } from './with-timeout';

type StepName = ConnectionTestStep['step'];

/**
 * Walks the connection the way a packet does — name, socket, TLS, AUTH, cluster — and stops
 * at the first step that fails, so the operator learns exactly where it broke.
 */
export async function testConnection(spec: ConnectionSpec): Promise<ConnectionTestResult> {
  const { profile } = spec;
  const target: HostPort =
    profile.topology.kind === 'standalone'
      ? { host: profile.topology.host, port: profile.topology.port }
      : (profile.topology.seeds[0] as HostPort);
  const where = `${target.host}:${target.port}`;
  const timeout = profile.connectTimeoutMs;
  const steps: ConnectionTestStep[] = [];
  const result: ConnectionTestResult = { ok: false, steps };

  const run = async (step: StepName, body: () => Promise<string>): Promise<boolean> => {
    const started = performance.now();
    try {
      const message = await body();
      steps.push({ step, ok: true, ms: elapsed(started), message });
      return true;
    } catch (error) {
      const { code, message } = describeRedisError(error, where);
      steps.push({ step, ok: false, ms: elapsed(started), message, code });
      return false;
    }
  };

  if (!(await run('dns', async () => {
    if (isIP(target.host)) return `${target.host} is an IP address`;
    const found = await lookup(target.host);
    return `${target.host} resolves to ${found.address}`;
  }))) return result;

  if (!(await run('tcp', () => openSocket(target, timeout)))) return result;

  if (profile.tls.enabled && !(await run('tls', () => handshake(spec, target, timeout)))) return result;

  if (!(await run('auth', async () => {
    const client = new Redis({
      ...nodeOptions(spec),
      host: target.host,
      port: target.port,
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    // connect() rejects with a bare "Connection is closed"; the error event says why.
    let lastError: unknown;
    client.on('error', (error: unknown) => {
      lastError = error;
    });
    try {
      await withTimeout(client.connect(), timeout, `AUTH at ${where}`).catch((error: unknown) => {
        throw lastError ?? error;
      });
      const info = parseInfo(await client.info('server'));
      result.serverVersion = info.redis_version;
      const who = profile.username ? `user "${profile.username}"` : 'the default user';
      const modeNote =
        info.redis_mode === 'cluster' && profile.topology.kind === 'standalone'
          ? '; note: this server runs in cluster mode — choose the cluster topology'
          : '';
      return `Authenticated as ${who}, Redis ${info.redis_version ?? '?'}${modeNote}`;
    } finally {
      client.disconnect();
    }
  }))) return result;

  if (profile.topology.kind === 'cluster' && !(await run('cluster', () => discoverCluster(spec, timeout)))) {
    return result;
  }
  result.ok = true;
  if (profile.topology.kind === 'cluster') {
    const m = /(\d+) nodes/.exec(steps.at(-1)?.message ?? '');
    if (m) result.nodes = Number(m[1]);
  }
  return result;
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function openSocket(target: HostPort, timeout: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.setTimeout(timeout, () => {
      socket.destroy();
      reject(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' }));
    });
    socket.once('error', (error) => {
      socket.destroy();
      reject(error);
    });
    socket.connect(target.port, target.host, () => {
      socket.destroy();
      resolve(`TCP connection to ${target.host}:${target.port} opened`);
    });
  });
}

function handshake(spec: ConnectionSpec, target: HostPort, timeout: number): Promise<string> {
  const options = tlsOptions(spec.profile) ?? {};
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      ...options,
      host: target.host,
      port: target.port,
      servername: options.servername ?? (isIP(target.host) ? undefined : target.host),
    });
    socket.setTimeout(timeout, () => {
      socket.destroy();
      reject(Object.assign(new Error('TLS handshake timeout'), { code: 'ETIMEDOUT' }));
    });
    socket.once('error', (error) => {
      socket.destroy();
      reject(error);
    });
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate();
      const verified = socket.authorized ? 'verified' : 'NOT verified (verification is off)';
      socket.destroy();
      resolve(`TLS ${socket.getProtocol() ?? ''} with "${peer.subject?.CN ?? '?'}", certificate ${verified}`);
    });
  });
}

async function discoverCluster(spec: ConnectionSpec, timeout: number): Promise<string> {
  const cluster = createClient(spec, { retry: () => null, lazyConnect: true }) as Cluster;
  cluster.on('error', () => undefined);
  try {
    await withTimeout(cluster.connect(), timeout, 'cluster discovery');
    const info = parseInfo(await cluster.cluster('INFO'));
    if (info.cluster_state !== 'ok') {
      throw new Error(`cluster_state is ${info.cluster_state ?? 'unknown'} (not ok)`);
    }
    const masters = cluster.nodes('master').length;
    const replicas = cluster.nodes('slave').length;
    const seeds = spec.profile.topology.kind === 'cluster' ? spec.profile.topology.seeds.length : 1;
    return `cluster_state ok, ${masters + replicas} nodes (${masters} masters, ${replicas} replicas) discovered from ${seeds} seed${seeds === 1 ? '' : 's'}`;
  } finally {
    cluster.disconnect();
  }
}
