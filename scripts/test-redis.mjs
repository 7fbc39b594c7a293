#!/usr/bin/env node
// Starts and stops the Redis servers the tests need, on loopback ports of our own:
// a standalone server, a 6-node cluster (3 masters, 3 replicas), a TLS server with a CA
// generated here, and an ACL-protected server. `start` is idempotent: it restarts only
// what is missing and waits until everything answers (cluster_state:ok on every node).
// It uses only servers it started itself (identities in bed.json, see test-bed.mjs) and
// refuses, changing nothing, when anything else holds one of its ports; `stop` signals
// only its own redis-servers.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import net from 'node:net';
import { bedBase, bedDir, bedLayout, bedServers, identify, readBedFile, readPid, strangerReason } from './test-bed.mjs';

const ROOT = resolve(import.meta.dirname, '..');
let BASE;
try {
  BASE = bedBase();
} catch (error) {
  process.stderr.write(`[test-redis] ${error.message}\n`);
  process.exit(2);
}
// Two checkouts test side by side when each takes its own base port and so its own folder.
const DIR = bedDir(ROOT);
const BED = bedLayout(BASE);
const SERVERS = bedServers(BED);

function log(msg) {
  process.stderr.write(`[test-redis] ${msg}\n`);
}

function need(bin) {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`]);
  if (r.status !== 0) {
    log(`${bin} not found on PATH; install it (Debian: apt-get install -y redis-server openssl)`);
    process.exit(1);
  }
}

/** Sends one inline command and returns the raw reply, or null when nothing listens. */
function probe(port, command, timeoutMs = 500) {
  return new Promise((done) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let data = '';
    const finish = (value) => {
      socket.destroy();
      done(value);
    };
    socket.setTimeout(timeoutMs, () => finish(null));
    socket.on('error', () => finish(null));
    socket.on('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      // A bulk reply is complete once its announced length has arrived.
      const bulk = /^\$(\d+)\r\n/.exec(data);
      if (!bulk || data.length >= bulk[0].length + Number(bulk[1]) + 2) finish(data);
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, check, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The last lines a server logged, so a failed start says why without a trip to its folder. */
function logTail(name, lines = 3) {
  const file = join(DIR, name, 'redis.log');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n') : '(no log)';
}

/**
 * Starts one server from a config file in its folder and waits until the server answering on
 * its port proves to be that very process (config file and pidfile ours); returns its identity.
 */
async function startServer(server, conf) {
  const dir = join(DIR, server.name);
  mkdirSync(dir, { recursive: true });
  // A pidfile left by a killed server would otherwise vouch for whoever answers next.
  rmSync(join(dir, 'redis.pid'), { force: true });
  const lines = [
    'bind 127.0.0.1',
    'protected-mode no',
    'daemonize yes',
    `dir ${dir}`,
    `pidfile ${join(dir, 'redis.pid')}`,
    `logfile ${join(dir, 'redis.log')}`,
    'save ""',
    'appendonly no',
    ...conf,
  ];
  const file = join(dir, 'redis.conf');
  writeFileSync(file, lines.join('\n') + '\n');
  execFileSync('redis-server', [file], { stdio: 'inherit' });
  let answer = { kind: 'free' };
  try {
    // A server accepts connections (kernel backlog) a while before it answers them.
    await waitFor(`${server.name} on :${server.port} to answer INFO`, async () => {
      // Someone may have taken the port between our look and our start; then ours fails to bind.
      if (/Failed listening|aborting/.test(logTail(server.name))) throw new Error(`${server.name} on :${server.port} did not start`);
      answer = await identify(server);
      return answer.kind === 'redis';
    });
  } catch (error) {
    throw new Error(`${error.message} (last answer: ${answer.kind === 'other' ? answer.what : answer.kind})\n${logTail(server.name)}`);
  }
  const reason = strangerReason(server, DIR, answer, undefined);
  if (reason) throw new Error(`port ${server.port} (${server.name}) answers, since a moment ago: ${reason}`);
  log(`${server.name} ready on 127.0.0.1:${server.port}`);
  return { name: server.name, pid: answer.pid, runId: answer.runId };
}

function generateCertificates() {
  const dir = join(DIR, 'tls');
  if (existsSync(join(dir, 'client.crt'))) return dir;
  mkdirSync(dir, { recursive: true });
  const ssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  for (const ca of ['ca', 'wrong-ca']) {
    ssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '30',
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.crt`,
      '-subj',
      `/CN=Swarmdeck test ${ca}`,
    );
  }
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  for (const leaf of ['server', 'client']) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${leaf}.key`, '-out', `${leaf}.csr`, '-subj', `/CN=localhost`);
    ssl(
      'x509',
      '-req',
      '-in',
      `${leaf}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '30',
      '-out',
      `${leaf}.crt`,
      '-extfile',
      'san.ext',
    );
  }
  return dir;
}

function configFor(server) {
  if (server.name === 'standalone') return [`port ${server.port}`, 'enable-debug-command local'];
  if (server.name === 'acl') {
    const { users } = BED.acl;
    return [
      `port ${server.port}`,
      'user default off',
      `user admin on >${users.admin} ~* &* +@all`,
      `user reader on >${users.reader} ~* &* -@all +@read +@connection +info +cluster`,
    ];
  }
  if (server.name === 'tls-server') {
    const certs = generateCertificates();
    return [
      'port 0',
      `tls-port ${server.port}`,
      `tls-cert-file ${join(certs, 'server.crt')}`,
      `tls-key-file ${join(certs, 'server.key')}`,
      `tls-ca-cert-file ${join(certs, 'ca.crt')}`,
      'tls-auth-clients optional',
    ];
  }
  return [
    `port ${server.port}`,
    'cluster-enabled yes',
    'cluster-config-file nodes.conf',
    `cluster-port ${server.bus}`,
    'cluster-node-timeout 2000',
    // Replicas must take over even after a long outage of their master in tests.
    'cluster-replica-validity-factor 0',
  ];
}

function portOpen(port) {
  return new Promise((done) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.on('connect', () => (s.destroy(), done(true)));
    s.on('error', () => done(false));
  });
}

async function clusterInfo(port) {
  const reply = await probe(port, 'CLUSTER INFO');
  if (!reply) return null;
  return Object.fromEntries(
    reply
      .split('\r\n')
      .filter((l) => l.includes(':'))
      .map((l) => l.split(':')),
  );
}

/** How many distinct nodes (by id) a node's CLUSTER SLOTS names. */
function servingNodes(port) {
  const reply = spawnSync('redis-cli', ['-p', String(port), 'CLUSTER', 'SLOTS'], { encoding: 'utf8', timeout: 2000 });
  return new Set(reply.stdout?.match(/^[0-9a-f]{40}$/gm) ?? []).size;
}

async function ensureCluster() {
  const { ports } = BED.cluster;
  const info = await clusterInfo(ports[0]);
  if (info && info.cluster_known_nodes === '1') {
    execFileSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'], {
      stdio: 'pipe',
    });
  }
  // Ready means settled: state ok everywhere, no node flagged failing, every replica in sync.
  await waitFor(
    'a settled cluster on every node',
    async () => {
      for (const port of ports) {
        const i = await clusterInfo(port);
        if (!i || i.cluster_state !== 'ok' || i.cluster_known_nodes !== '6') return false;
        const nodes = await probe(port, 'CLUSTER NODES');
        if (!nodes || /[ ,]fail\??[ ,]/.test(nodes)) return false;
        const replication = await probe(port, 'INFO replication');
        if (!replication || (/role:slave/.test(replication) && !/master_link_status:up/.test(replication))) return false;
        // CLUSTER SLOTS, which clients read, leaves out a rejoined replica until its first sync has been gossiped.
        if (servingNodes(port) !== ports.length) return false;
      }
      return true;
    },
    30000,
  );
  log(`cluster ready on 127.0.0.1:${ports[0]}-${ports.at(-1)}`);
}

/** Each port is this bed's running server, free for it to start one, or a conflict to report. */
async function look(server, recorded) {
  const answer = await identify(server);
  if (answer.kind === 'free') {
    if (server.bus && (await portOpen(server.bus)))
      return { server, conflict: `port ${server.bus}, the cluster bus of ${server.port}, is held by another process` };
    return { server, free: true };
  }
  const reason = strangerReason(server, DIR, answer, recorded[String(server.port)]);
  if (reason) return { server, conflict: `port ${server.port} (${server.name}) answers: ${reason}` };
  return { server, identity: { name: server.name, pid: answer.pid, runId: answer.runId } };
}

function writeBed(servers) {
  const file = join(DIR, 'bed.json');
  // Readers (test files, benches) never see half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify({ ...BED, tlsDir: join(DIR, 'tls'), servers }, null, 2));
  renameSync(`${file}.tmp`, file);
}

async function start() {
  need('redis-server');
  need('redis-cli');
  need('openssl');
  // Look at every port before touching anything: tests FLUSH what the bed hands them, so a
  // server someone else started must never be adopted, configured or stopped.
  const recorded = readBedFile(DIR)?.servers ?? {};
  const looks = await Promise.all(SERVERS.map((server) => look(server, recorded)));
  const conflicts = looks.filter((l) => l.conflict);
  if (conflicts.length > 0) {
    for (const { conflict } of conflicts) log(conflict);
    const other = BASE + 100 + 26 <= 65535 ? BASE + 100 : BASE - 100;
    log(
      `This bed (SWARMDECK_TEST_PORT_BASE=${BASE}: ports ${BASE}-${BASE + 12}, cluster bus ${BASE + 21}-${BASE + 26}) ` +
        'uses only servers it started itself, so it changed nothing. Stop what holds those ports if it is yours, ' +
        `or give this bed other ports, e.g. SWARMDECK_TEST_PORT_BASE=${other} node scripts/test-redis.mjs start ` +
        '(and the same variable on every test command).',
    );
    process.exit(1);
  }
  mkdirSync(DIR, { recursive: true });
  const identities = Object.fromEntries(looks.filter((l) => l.identity).map((l) => [String(l.server.port), l.identity]));
  const started = await Promise.all(
    looks.filter((l) => l.free).map(async ({ server }) => [String(server.port), await startServer(server, configFor(server))]),
  );
  writeBed({ ...identities, ...Object.fromEntries(started) });
  await ensureCluster();
}

/** /proc's view of a process: its name and title, null when gone, undefined without /proc. */
function processSeen(pid) {
  if (!existsSync('/proc/self/comm')) return undefined;
  try {
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return { comm, title };
  } catch {
    return null;
  }
}

/**
 * Why `pid`, read from our pidfile, must not be signalled, or null when it is this bed's server:
 * a redis-server whose title names our port and, when the port answers, the server that
 * answers there from our config file with that very pid. A stale pidfile names a stranger.
 */
async function notOurs(server, pid) {
  const seen = processSeen(pid);
  if (seen === null) return 'no such process';
  if (seen && !(seen.comm === 'redis-server' && new RegExp(`:${server.port}(\\s|$)`).test(seen.title))) {
    return `it is ${JSON.stringify(seen.title || seen.comm)}, not a redis-server on port ${server.port}`;
  }
  const answer = await identify(server);
  if (answer.kind === 'redis') return strangerReason(server, DIR, answer, undefined);
  return seen ? null : `cannot confirm it: nothing identifiable answers on port ${server.port}`;
}

async function stop() {
  if (!existsSync(DIR)) return;
  const pids = [];
  for (const server of SERVERS) {
    const pid = readPid(DIR, server.name);
    if (pid === undefined) continue;
    const reason = await notOurs(server, pid);
    if (reason) {
      if (reason !== 'no such process') log(`left pid ${pid} of ${join(DIR, server.name, 'redis.pid')} alone: ${reason}`);
      continue;
    }
    try {
      process.kill(pid, 'SIGTERM');
      pids.push(pid);
    } catch {
      // Already gone: nothing to stop.
    }
  }
  await waitFor(
    'servers to exit',
    () =>
      pids.every((pid) => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      }),
    10000,
  );
  rmSync(DIR, { recursive: true, force: true });
  log('stopped');
}

const command = process.argv[2] ?? 'start';
try {
  if (command === 'start') await start();
  else if (command === 'stop') await stop();
  else {
    process.stderr.write('usage: test-redis start|stop\n');
    process.exit(2);
  }
} catch (error) {
  log(error.message);
  process.exit(1);
}
