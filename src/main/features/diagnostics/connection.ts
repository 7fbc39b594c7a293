import { Socket } from 'node:net';
import { Redis } from 'ioredis';
import type { ConnectionStepReport } from '../../../shared/model/diagnostics';
import type { HostPort } from '../../../shared/model/profile';
import { nodeOptions, type ConnectionSpec } from '../../redis/client-options';
import { inspectTls, testConnection } from '../../redis/connection-test';
import { describeRedisError } from '../../redis/describe-error';
import { parseClusterNodes, parseInfo } from '../../redis/info';
import { diagnosticsProbeKey } from '../../redis/keyspace';
import { withTimeout } from '../../redis/with-timeout';
import { Findings, round } from './findings';

const CERT_EXPIRY_WARN_DAYS = 14;

const ADVICE: Record<string, string> = {
  DNS_FAILED: 'Check the host name, or use the IP address; a VPN or split-horizon DNS may be needed.',
  TCP_FAILED: 'Check that the server runs, the port is right and no firewall or security group blocks it.',
  TIMEOUT: 'Packets are dropped on the way: firewall, wrong network, or a server too busy to accept.',
  TLS_FAILED: 'Compare the CA file with the one that signed the server certificate, and the host name with the certificate names.',
  AUTH_FAILED: 'Check the username and password (ACL users need both); the server log names the failed user.',
  NOT_REDIS: 'Another service owns this port: check the port number (6379 is the default, 16379 is the cluster bus, not for clients).',
  CLUSTER_FAILED: 'Some slots have no reachable master: see the cluster findings below.',
};

/**
 * What Swarmdeck itself needs of the ACL user, each with a probe that the ACL check refuses
 * (NOPERM) when it is missing and that otherwise fails harmlessly in argument checking, so
 * even a user who may not run ACL DRYRUN learns what it lacks without anything being written.
 * Redis checks ACLs before arguments and before cluster redirection: any reply but NOPERM
 * (OK, an argument error, NOSCRIPT, MOVED) means the permission is there.
 */
function needs(key: string, readOnly: boolean): Array<{ why: string; command: string[]; writes?: boolean }> {
  const all: Array<{ why: string; command: string[]; writes?: boolean }> = [
    { why: 'read keys (every page)', command: ['GET', key] },
    { why: 'scan the keyspace (memory analysis, backups)', command: ['SCAN', '0', 'COUNT', '1'] },
    { why: 'server state (health, diagnostics)', command: ['INFO', 'server'] },
    { why: 'write keys (queues, state)', command: ['SET', key, 'x', 'PX', '0'], writes: true },
    { why: 'run the Lua transitions (queues, swarms, locks)', command: ['EVALSHA', '0'.repeat(40), '1', key], writes: true },
    { why: 'append events (streams)', command: ['XADD', key, 'MAXLEN', '-1', '*', 'f', 'v'], writes: true },
    { why: 'slow log (performance diagnosis)', command: ['SLOWLOG', 'LEN'] },
    { why: 'latency events (performance diagnosis)', command: ['LATENCY', 'LATEST'] },
    { why: 'client list (clients diagnosis)', command: ['CLIENT', 'LIST', 'TYPE', 'pubsub'] },
    { why: 'key memory (memory analysis)', command: ['MEMORY', 'USAGE', key] },
  ];
  // A read-only profile never writes, so lacking write permissions is what it should be.
  return readOnly ? all.filter((n) => !n.writes) : all;
}

export async function diagnoseConnection(spec: ConnectionSpec, findings: Findings): Promise<ConnectionStepReport[]> {
  const { profile } = spec;
  const target: HostPort =
    profile.topology.kind === 'standalone'
      ? { host: profile.topology.host, port: profile.topology.port }
      : (profile.topology.seeds[0] as HostPort);
  const where = `${target.host}:${target.port}`;
  const walk = await testConnection(spec);
  const steps: ConnectionStepReport[] = walk.steps.map((s) => {
    const step: ConnectionStepReport = { step: s.step, ok: s.ok, ms: s.ms, message: s.message };
    if (!s.ok && s.code) step.advice = ADVICE[s.code] ?? 'See the message.';
    return step;
  });
  const failed = walk.steps.find((s) => !s.ok);
  if (failed && failed.step !== 'cluster') {
    findings.add({
      id: failed.code === 'NOT_REDIS' ? 'not-redis' : `${failed.step}-failed`,
      severity: 'critical',
      title: `The ${failed.step.toUpperCase()} step fails`,
      detail: failed.message,
      recommendation: ADVICE[failed.code ?? ''] ?? 'See the message.',
      evidence: [
        {
          command: failed.step === 'auth' ? 'HELLO / AUTH' : failed.step,
          node: where,
          figures: { step: failed.step, code: failed.code ?? '', ms: failed.ms },
        },
      ],
      node: where,
    });
  }

  if (profile.tls.enabled && walk.steps.some((s) => s.step === 'tcp' && s.ok)) await checkCertificate(spec, target, steps, findings);

  if (walk.steps.some((s) => s.step === 'auth' && s.ok)) await afterAuth(spec, target, steps, findings);
  return steps;
}

/** The server certificate as the handshake shows it: expired, untrusted, for another host, or soon to expire. */
async function checkCertificate(spec: ConnectionSpec, target: HostPort, steps: ConnectionStepReport[], findings: Findings): Promise<void> {
  const timeout = spec.profile.connectTimeoutMs;
  const where = `${target.host}:${target.port}`;
  const started = performance.now();
  try {
    const t = await inspectTls(spec, target, timeout);
    const leaf = t.chain[0];
    const message = `${t.protocol ?? 'TLS'}; chain: ${t.chain.map((c) => `${c.subject} (issued by ${c.issuer}, valid to ${c.validTo.slice(0, 10)}, ${c.daysLeft} days left)`).join(' → ')}; ${t.authorized ? 'verified' : `NOT verified: ${t.authorizationError ?? '?'}`}; host name ${t.hostnameMatches ? 'matches' : 'does NOT match'}`;
    steps.push({ step: 'tls-certificate', ok: t.authorized && t.hostnameMatches, ms: elapsed(started), message });
    const figures = {
      subject: leaf?.subject ?? '?',
      issuer: leaf?.issuer ?? '?',
      validTo: leaf?.validTo ?? '?',
      daysLeft: leaf?.daysLeft ?? 0,
      verification: t.authorizationError ?? 'ok',
      hostnameMatches: String(t.hostnameMatches),
    };
    if (leaf && leaf.daysLeft < 0) {
      findings.add({
        id: 'tls-expired',
        severity: 'critical',
        title: 'The server certificate has expired',
        detail: `"${leaf.subject}" expired on ${leaf.validTo.slice(0, 10)} (${-leaf.daysLeft} days ago).`,
        recommendation: 'Renew the server certificate and reload it (CONFIG SET tls-cert-file … re-reads it).',
        evidence: [{ command: 'TLS handshake', node: where, figures }],
        node: where,
      });
    } else if (t.authorizationError && /VERIFY|ISSUER|SELF_SIGNED|CHAIN/i.test(t.authorizationError)) {
      findings.add({
        id: 'tls-untrusted',
        severity: 'critical',
        title: 'The server certificate is not signed by the configured CA',
        detail: `"${leaf?.subject ?? '?'}" is issued by "${leaf?.issuer ?? '?'}", which the profile's CA file does not vouch for (${t.authorizationError}).`,
        recommendation: "Point the profile's CA file at the CA that issued the server certificate.",
        evidence: [{ command: 'TLS handshake', node: where, figures }],
        node: where,
      });
    } else if (!t.hostnameMatches) {
      findings.add({
        id: 'tls-hostname',
        severity: 'critical',
        title: 'The certificate does not name this host',
        detail: `The certificate "${leaf?.subject ?? '?'}" does not cover ${target.host}.`,
        recommendation: 'Connect by a name the certificate lists, or set the TLS server name in the profile.',
        evidence: [{ command: 'TLS handshake', node: where, figures }],
        node: where,
      });
    } else if (leaf && leaf.daysLeft < CERT_EXPIRY_WARN_DAYS) {
      findings.add({
        id: 'tls-expiring',
        severity: 'warning',
        title: `The server certificate expires in ${leaf.daysLeft} days`,
        detail: `"${leaf.subject}" is valid until ${leaf.validTo.slice(0, 10)}.`,
        recommendation: 'Renew it before then.',
        evidence: [{ command: 'TLS handshake', node: where, figures }],
        node: where,
      });
    }
  } catch (error) {
    steps.push({ step: 'tls-certificate', ok: false, ms: elapsed(started), message: describeRedisError(error, where).message });
  }
}

async function afterAuth(spec: ConnectionSpec, target: HostPort, steps: ConnectionStepReport[], findings: Findings): Promise<void> {
  const { profile } = spec;
  const where = `${target.host}:${target.port}`;
  const client = new Redis({
    ...nodeOptions(spec),
    host: target.host,
    port: target.port,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  client.on('error', () => undefined);
  const step = async (name: string, body: () => Promise<string>): Promise<void> => {
    const started = performance.now();
    try {
      steps.push({ step: name, ok: true, ms: elapsed(started), message: await body() });
    } catch (error) {
      steps.push({ step: name, ok: false, ms: elapsed(started), message: describeRedisError(error, where).message });
    }
    (steps.at(-1) as ConnectionStepReport).ms = elapsed(started);
  };
  try {
    await withTimeout(client.connect(), profile.connectTimeoutMs, `connecting to ${where}`);
    if (profile.topology.kind === 'standalone') {
      const db = profile.topology.db;
      await step('select', async () => `SELECT ${db}: ${String(await client.select(db))}`);
    }
    await step('ping', async () => `PING: ${await client.ping()}`);
    await step('role', async () => {
      const role = (await client.call('ROLE')) as unknown[];
      return `ROLE: ${String(role[0])}${role[0] === 'slave' ? ` of ${String(role[1])}:${String(role[2])} (${String(role[3])})` : ''}`;
    });
    await step('acl', () => checkPermissions(client, spec, where, findings));
    if (profile.topology.kind === 'cluster') await step('cluster-health', () => checkCluster(client, spec, where, findings));
  } catch (error) {
    steps.push({ step: 'connect', ok: false, ms: 0, message: describeRedisError(error, where).message });
  } finally {
    client.disconnect();
  }
}

async function checkPermissions(client: Redis, spec: ConnectionSpec, where: string, findings: Findings): Promise<string> {
  const user = spec.profile.username || 'default';
  const key = diagnosticsProbeKey(spec.profile.keyPrefix);
  const missing: Array<{ why: string; command: string; reply: string }> = [];
  let method = 'ACL DRYRUN';
  for (const need of needs(key, spec.profile.readOnly)) {
    let reply: string;
    if (method === 'ACL DRYRUN') {
      try {
        reply = String(await client.call('ACL', 'DRYRUN', user, ...need.command));
      } catch (error) {
        // This user may not run ACL itself: fall back to the harmless probes.
        if (!/NOPERM|unknown subcommand/i.test(String(error))) throw error;
        method = 'probe';
      }
    }
    if (method === 'probe') {
      try {
        await client.call(need.command[0] as string, ...need.command.slice(1));
        reply = 'OK';
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        reply = /NOPERM/i.test(text) ? text : 'OK';
      }
    }
    reply ??= 'OK';
    if (reply !== 'OK')
      missing.push({
        why: need.why,
        command:
          need.command[0] === 'CLIENT' || need.command[0] === 'SLOWLOG' || need.command[0] === 'LATENCY' || need.command[0] === 'MEMORY'
            ? need.command.slice(0, 2).join(' ')
            : (need.command[0] as string),
        reply,
      });
  }
  if (missing.length > 0) {
    findings.add({
      id: 'acl-missing',
      severity: 'warning',
      title: `User "${user}" lacks ${missing.length} permission${missing.length === 1 ? '' : 's'} Swarmdeck needs`,
      detail: `Missing: ${missing.map((m) => `${m.command} (${m.why})`).join('; ')}.`,
      recommendation: `Grant them, e.g. ACL SETUSER ${user} ${[...new Set(missing.map((m) => `+${m.command.toLowerCase().replace(' ', '|')}`))].join(' ')} — or accept that those features are unavailable for this profile.`,
      evidence: missing.map((m) => ({
        command: method === 'probe' ? m.command : `ACL DRYRUN ${user} ${m.command}`,
        node: where,
        figures: { why: m.why, reply: m.reply.slice(0, 160) },
      })),
      node: where,
    });
    return `user "${user}" lacks ${missing.map((m) => m.command).join(', ')} (checked by ${method})`;
  }
  return `user "${user}" has every permission Swarmdeck uses (checked by ${method})`;
}

async function checkCluster(client: Redis, spec: ConnectionSpec, where: string, findings: Findings): Promise<string> {
  const info = parseInfo(String(await client.call('CLUSTER', 'INFO')));
  const nodes = parseClusterNodes(String(await client.call('CLUSTER', 'NODES')));
  const assigned = Number(info.cluster_slots_assigned ?? 0);
  const failing = Number(info.cluster_slots_fail ?? 0) + Number(info.cluster_slots_pfail ?? 0);
  const figures = {
    cluster_state: info.cluster_state ?? '?',
    cluster_slots_assigned: assigned,
    cluster_slots_ok: Number(info.cluster_slots_ok ?? 0),
    cluster_slots_pfail: Number(info.cluster_slots_pfail ?? 0),
    cluster_slots_fail: Number(info.cluster_slots_fail ?? 0),
    cluster_known_nodes: Number(info.cluster_known_nodes ?? 0),
  };
  if (info.cluster_state !== 'ok' || assigned < 16384) {
    findings.add({
      id: 'cluster-state',
      severity: 'critical',
      title: `Cluster state ${info.cluster_state ?? '?'}: ${16384 - assigned} slots unassigned, ${failing} failing`,
      detail: `Seen from ${where}: ${assigned} of 16384 slots assigned, ${figures.cluster_slots_ok} ok.`,
      recommendation:
        'Keys in uncovered slots cannot be read or written: bring the masters back, or reassign their slots (redis-cli --cluster fix).',
      evidence: [{ command: 'CLUSTER INFO', node: where, figures }],
      node: where,
    });
  }
  const natMap = spec.profile.topology.kind === 'cluster' ? (spec.profile.topology.natMap ?? {}) : {};
  const unreachable: string[] = [];
  for (const node of nodes) {
    const announced = node.address.replace(/@\d+$/, '');
    const down = node.flags.find((f) => f === 'fail' || f === 'fail?');
    const mapped = natMap[announced];
    const [host, port] = mapped
      ? [mapped.host, mapped.port]
      : [announced.slice(0, announced.lastIndexOf(':')), Number(announced.slice(announced.lastIndexOf(':') + 1))];
    const reach = await reachable(host, port, spec.profile.connectTimeoutMs);
    const role = node.flags.includes('master') ? 'master' : 'replica';
    if (down) {
      findings.add({
        id: 'cluster-node-down',
        severity: 'critical',
        title: `Cluster ${role} ${announced} is down`,
        detail: `The cluster flags ${announced} as ${down === 'fail' ? 'failed' : 'possibly failing'}${reach === true ? '' : `, and this machine cannot reach it (${reach})`}.`,
        recommendation:
          role === 'master'
            ? 'A replica takes over its slots if one is healthy; restart the node so it rejoins as a replica.'
            : 'Its master has no failover candidate until it is back: restart it.',
        evidence: [
          {
            command: 'CLUSTER NODES',
            node: where,
            figures: { node: announced, flags: node.flags.join(','), link: node.linkState, reachable: String(reach) },
          },
        ],
        node: announced,
      });
    } else if (reach !== true) {
      unreachable.push(announced);
      findings.add({
        id: 'nat-mismatch',
        severity: 'critical',
        title: `Node ${announced} is healthy but unreachable from here`,
        detail: `The cluster announces ${announced}${mapped ? ` (mapped to ${host}:${port})` : ''} and its peers see it connected, but this machine cannot open it (${reach}): the announced address is not the one clients can use.`,
        recommendation:
          'Set cluster-announce-ip/port on the nodes, or add a NAT map to the profile (announced address → reachable address).',
        evidence: [
          { command: 'CLUSTER NODES + TCP connect', node: where, figures: { announced, tried: `${host}:${port}`, result: reach } },
        ],
        node: announced,
      });
    }
  }
  return `cluster_state ${info.cluster_state ?? '?'}, ${assigned}/16384 slots assigned, ${nodes.length} nodes${unreachable.length ? `, ${unreachable.length} unreachable` : ''}`;
}

function reachable(host: string, port: number, timeout: number): Promise<true | string> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(timeout, () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(e.code ?? e.message);
    });
    socket.connect(port, host, () => {
      socket.destroy();
      resolve(true);
    });
  });
}

function elapsed(started: number): number {
  return round(performance.now() - started, 1);
}
