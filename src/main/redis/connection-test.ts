import { lookup } from 'node:dns/promises';
import { isIP, Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type ConnectionOptions, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
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

  if (
    !(await run('dns', async () => {
      if (isIP(target.host)) return `${target.host} is an IP address`;
      const found = await lookup(target.host);
      return `${target.host} resolves to ${found.address}`;
    }))
  )
    return result;

  if (!(await run('tcp', () => openSocket(target, timeout)))) return result;

  if (profile.tls.enabled && !(await run('tls', () => handshake(spec, target, timeout)))) return result;

  const authOk = await run('auth', async () => {
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
  });
  if (!authOk) {
    // A server that is not Redis makes the client fail with a protocol error that says nothing useful.
    const failed = steps.at(-1);
    const spoken = await probeProtocol(target, timeout, profile.tls.enabled ? spec : undefined);
    if (failed && spoken.protocol !== 'redis' && spoken.protocol !== 'silent') {
      failed.code = 'NOT_REDIS';
      failed.message = `${where} answers, but not as Redis — it looks like ${spoken.protocol === 'http' ? 'HTTP' : 'another protocol'} (first bytes: ${JSON.stringify(spoken.firstBytes)})`;
    }
    return result;
  }

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

/**
 * A TLS handshake with the profile's options; resolves with the socket once it is secure (the
 * caller reads what it needs and destroys it), rejects on a socket error or after `timeout`.
 */
function secureSocket(options: ConnectionOptions, timeout: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(options);
    socket.setTimeout(timeout, () => {
      socket.destroy();
      reject(Object.assign(new Error('TLS handshake timeout'), { code: 'ETIMEDOUT' }));
    });
    socket.once('error', (error) => {
      socket.destroy();
      reject(error);
    });
    socket.once('secureConnect', () => resolve(socket));
  });
}

async function handshake(spec: ConnectionSpec, target: HostPort, timeout: number): Promise<string> {
  const options = tlsOptions(spec.profile) ?? {};
  const socket = await secureSocket(
    { ...options, host: target.host, port: target.port, servername: options.servername ?? (isIP(target.host) ? undefined : target.host) },
    timeout,
  );
  const peer = socket.getPeerCertificate();
  const verified = socket.authorized ? 'verified' : 'NOT verified (verification is off)';
  socket.destroy();
  return `TLS ${socket.getProtocol() ?? ''} with "${peer.subject?.CN ?? '?'}", certificate ${verified}`;
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

export interface ProtocolProbe {
  /** `silent`: the port accepted the connection and said nothing within the timeout. */
  protocol: 'redis' | 'http' | 'tls' | 'silent' | 'unknown';
  firstBytes: string;
}

/**
 * Sends one inline PING and classifies the first bytes of the answer. Redis answers `+PONG` or
 * an error line (`-NOAUTH…`); an HTTP server answers `HTTP/1.x 400`; a TLS server sends an alert.
 */
export function probeProtocol(target: HostPort, timeout: number, tlsSpec?: ConnectionSpec): Promise<ProtocolProbe> {
  return new Promise((resolve) => {
    const options = tlsSpec ? (tlsOptions(tlsSpec.profile) ?? {}) : undefined;
    const socket = options
      ? tlsConnect({
          ...options,
          host: target.host,
          port: target.port,
          rejectUnauthorized: false,
          servername: isIP(target.host) ? undefined : target.host,
        })
      : new Socket().connect(target.port, target.host);
    let seen = Buffer.alloc(0);
    const finish = (protocol: ProtocolProbe['protocol']): void => {
      socket.destroy();
      resolve({ protocol, firstBytes: seen.subarray(0, 40).toString('latin1') });
    };
    socket.setTimeout(timeout, () => finish(seen.length ? 'unknown' : 'silent'));
    socket.once('error', () => finish(seen.length ? 'unknown' : 'silent'));
    socket.once(options ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const text = seen.toString('latin1');
      if (/^HTTP\/\d/.test(text) || /^<(!doctype|html)/i.test(text)) finish('http');
      else if (/^[+-]/.test(text) && text.includes('\r\n')) finish('redis');
      else if (seen[0] === 0x15 || seen[0] === 0x16) finish('tls');
      else if (seen.length >= 16) finish('unknown');
    });
    socket.once('end', () => finish(seen.length ? 'unknown' : 'silent'));
  });
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  validTo: string;
  daysLeft: number;
}

export interface TlsInspection {
  authorized: boolean;
  /** Node's reason when verification failed (`CERT_HAS_EXPIRED`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`…). */
  authorizationError?: string;
  /** Does the leaf certificate name the host (or the configured servername)? */
  hostnameMatches: boolean;
  protocol?: string;
  /** Leaf first, then its issuers as the server sent them. */
  chain: CertificateInfo[];
}

/**
 * Reads the server's certificate chain without trusting it, so a failed verification can still
 * say which certificate, which issuer and which date. Nothing is sent over this socket.
 */
export async function inspectTls(spec: ConnectionSpec, target: HostPort, timeout: number): Promise<TlsInspection> {
  const options = tlsOptions(spec.profile) ?? {};
  const servername = options.servername ?? (isIP(target.host) ? undefined : target.host);
  const socket = await secureSocket({ ...options, host: target.host, port: target.port, servername, rejectUnauthorized: false }, timeout);
  const chain: CertificateInfo[] = [];
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (cert && cert.fingerprint256 && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    const validTo = new Date(cert.valid_to);
    chain.push({
      subject: String(cert.subject?.CN ?? JSON.stringify(cert.subject)),
      issuer: String(cert.issuer?.CN ?? JSON.stringify(cert.issuer)),
      validTo: validTo.toISOString(),
      daysLeft: Math.floor((validTo.getTime() - Date.now()) / 86_400_000),
    });
    cert = cert.issuerCertificate;
  }
  const leaf = socket.getPeerCertificate();
  const hostnameMatches = checkServerIdentity(servername ?? target.host, leaf) === undefined;
  const error = socket.authorizationError;
  const inspection: TlsInspection = { authorized: socket.authorized, hostnameMatches, chain };
  const protocol = socket.getProtocol();
  if (protocol) inspection.protocol = protocol;
  if (error)
    inspection.authorizationError = typeof error === 'string' ? error : ((error as Error & { code?: string }).code ?? error.message);
  socket.destroy();
  return inspection;
}
