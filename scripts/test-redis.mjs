#!/usr/bin/env node
// Starts and stops the Redis servers the tests need, on loopback ports of our own:
// a standalone server, a 6-node cluster (3 masters, 3 replicas), a TLS server with a CA
// generated here, and an ACL-protected server. `start` is idempotent: it restarts only
// what is missing and waits until everything answers (cluster_state:ok on every node).
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import net from 'node:net';

const ROOT = resolve(import.meta.dirname, '..');
const DIR = process.env.SWARMDECK_TEST_REDIS_DIR ?? join(ROOT, '.test-redis');
const BED = {
  standalone: { port: 7379 },
  cluster: { ports: [7380, 7381, 7382, 7383, 7384, 7385] },
  tls: { port: 7390 },
  acl: { port: 7391, users: { admin: 'admin-secret', reader: 'reader-secret' } },
};

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

function startServer(name, conf) {
  const dir = join(DIR, name);
  mkdirSync(dir, { recursive: true });
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
}

function generateCertificates() {
  const dir = join(DIR, 'tls');
  if (existsSync(join(dir, 'client.crt'))) return dir;
  mkdirSync(dir, { recursive: true });
  const ssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  for (const ca of ['ca', 'wrong-ca']) {
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-keyout', `${ca}.key`,
      '-out', `${ca}.crt`, '-subj', `/CN=Swarmdeck test ${ca}`);
  }
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  for (const leaf of ['server', 'client']) {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${leaf}.key`, '-out', `${leaf}.csr`,
      '-subj', `/CN=localhost`);
    ssl('x509', '-req', '-in', `${leaf}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-days', '30', '-out', `${leaf}.crt`, '-extfile', 'san.ext');
  }
  return dir;
}

async function ensureStandalone() {
  const { port } = BED.standalone;
  if ((await probe(port, 'PING')) === '+PONG\r\n') return;
  startServer('standalone', [`port ${port}`]);
  await waitFor(`standalone :${port}`, async () => (await probe(port, 'PING')) === '+PONG\r\n');
  log(`standalone ready on 127.0.0.1:${port}`);
}

async function ensureAcl() {
  const { port, users } = BED.acl;
  if ((await probe(port, 'PING')) !== null) return;
  startServer('acl', [
    `port ${port}`,
    'user default off',
    `user admin on >${users.admin} ~* &* +@all`,
    `user reader on >${users.reader} ~* &* -@all +@read +@connection +info +cluster`,
  ]);
  await waitFor(`acl :${port}`, async () => (await probe(port, 'PING')) !== null);
  log(`ACL server ready on 127.0.0.1:${port}`);
}

async function ensureTls() {
  const { port } = BED.tls;
  const certs = generateCertificates();
  if (existsSync(join(DIR, 'tls-server', 'redis.pid')) && (await portOpen(port))) return;
  startServer('tls-server', [
    'port 0',
    `tls-port ${port}`,
    `tls-cert-file ${join(certs, 'server.crt')}`,
    `tls-key-file ${join(certs, 'server.key')}`,
    `tls-ca-cert-file ${join(certs, 'ca.crt')}`,
    'tls-auth-clients optional',
  ]);
  await waitFor(`tls :${port}`, () => portOpen(port));
  log(`TLS server ready on 127.0.0.1:${port}`);
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
    reply.split('\r\n').filter((l) => l.includes(':')).map((l) => l.split(':')),
  );
}

async function ensureCluster() {
  const { ports } = BED.cluster;
  for (const port of ports) {
    if ((await probe(port, 'PING')) === '+PONG\r\n') continue;
    startServer(`cluster-${port}`, [
      `port ${port}`,
      'cluster-enabled yes',
      'cluster-config-file nodes.conf',
      'cluster-node-timeout 2000',
      // Replicas must take over even after a long outage of their master in tests.
      'cluster-replica-validity-factor 0',
    ]);
  }
  for (const port of ports) {
    await waitFor(`cluster node :${port}`, async () => (await probe(port, 'PING')) === '+PONG\r\n');
  }
  const info = await clusterInfo(ports[0]);
  if (info && info.cluster_known_nodes === '1') {
    execFileSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas', '1', '--cluster-yes'], { stdio: 'pipe' });
  }
  // Ready means settled: state ok everywhere, no node flagged failing, every replica in sync.
  await waitFor('a settled cluster on every node', async () => {
    for (const port of ports) {
      const i = await clusterInfo(port);
      if (!i || i.cluster_state !== 'ok' || i.cluster_known_nodes !== '6') return false;
      const nodes = await probe(port, 'CLUSTER NODES');
      if (!nodes || /[ ,]fail\??[ ,]/.test(nodes)) return false;
      const replication = await probe(port, 'INFO replication');
      if (!replication || (/role:slave/.test(replication) && !/master_link_status:up/.test(replication))) return false;
    }
    return true;
  }, 30000);
  log(`cluster ready on 127.0.0.1:${ports[0]}-${ports.at(-1)}`);
}

async function start() {
  need('redis-server');
  need('redis-cli');
  need('openssl');
  mkdirSync(DIR, { recursive: true });
  await Promise.all([ensureStandalone(), ensureAcl(), ensureTls(), ensureCluster()]);
  writeFileSync(join(DIR, 'bed.json'), JSON.stringify({ ...BED, tlsDir: join(DIR, 'tls') }, null, 2));
}

async function stop() {
  if (!existsSync(DIR)) return;
  const names = ['standalone', 'acl', 'tls-server', ...BED.cluster.ports.map((p) => `cluster-${p}`)];
  const pids = [];
  for (const name of names) {
    const pidfile = join(DIR, name, 'redis.pid');
    if (!existsSync(pidfile)) continue;
    const pid = Number(readFileSync(pidfile, 'utf8').trim());
    try {
      process.kill(pid, 'SIGTERM');
      pids.push(pid);
    } catch {
      // Already gone: nothing to stop.
    }
  }
  await waitFor('servers to exit', () => pids.every((pid) => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }), 10000);
  rmSync(DIR, { recursive: true, force: true });
  log('stopped');
}

const command = process.argv[2] ?? 'start';
if (command === 'start') await start();
else if (command === 'stop') await stop();
else {
  process.stderr.write('usage: test-redis start|stop\n');
  process.exit(2);
}
