// What the Redis test bed is, where it lives, and how to tell its servers from anyone else's.
// One module so that `scripts/test-redis.mjs` (start/stop), `test/support/bed.ts` (checked
// before every test file) and `scripts/run-bench.mjs` agree on ports, folder and identity:
// several beds, and servers started by hand, share a machine, and tests FLUSH what they use.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import net from 'node:net';
import tls from 'node:tls';

export const DEFAULT_BASE = 7379;
/** Ports above the base that the bed takes, the cluster bus (cluster port + 20) included. */
const SPAN = 26;
// Not Redis's default of port + 10000: that lands in Linux's ephemeral range (32768-60999), where
// any client's outgoing connection can hold it and make a cluster node fail to start.
const BUS_OFFSET = 20;

export function bedBase(env = process.env) {
  const raw = env.SWARMDECK_TEST_PORT_BASE ?? String(DEFAULT_BASE);
  const base = Number(raw);
  if (!Number.isInteger(base) || base < 1024 || base + SPAN > 65535) {
    throw new Error(
      `SWARMDECK_TEST_PORT_BASE must be an integer from 1024 to ${65535 - SPAN} (the bed takes base … base+${SPAN}), not ${JSON.stringify(raw)}`,
    );
  }
  return base;
}

/** The bed's folder: one per base port, so two beds never share pidfiles. */
export function bedDir(root, env = process.env) {
  const base = bedBase(env);
  return resolve(env.SWARMDECK_TEST_REDIS_DIR ?? join(root, base === DEFAULT_BASE ? '.test-redis' : `.test-redis-${base}`));
}

export function bedLayout(base) {
  return {
    standalone: { port: base },
    cluster: { ports: [1, 2, 3, 4, 5, 6].map((i) => base + i) },
    tls: { port: base + 11 },
    acl: { port: base + 12, users: { admin: 'admin-secret', reader: 'reader-secret' } },
  };
}

/** Every server of a layout: its folder name, its port, and what it takes to ask it INFO. */
export function bedServers(layout) {
  return [
    { name: 'standalone', port: layout.standalone.port },
    { name: 'acl', port: layout.acl.port, auth: ['admin', layout.acl.users.admin] },
    { name: 'tls-server', port: layout.tls.port, tls: true },
    ...layout.cluster.ports.map((port) => ({ name: `cluster-${port}`, port, bus: port + BUS_OFFSET })),
  ];
}

export function readBedFile(dir) {
  const file = join(dir, 'bed.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

export function readPid(dir, name) {
  const file = join(dir, name, 'redis.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Splits complete RESP replies (simple, error, bulk) off the front of `data`. */
function replies(data) {
  const out = [];
  let at = 0;
  while (at < data.length) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) break;
    const head = data.slice(at, eol);
    if (head[0] === '$') {
      const length = Number(head.slice(1));
      if (length < 0) {
        out.push(null);
        at = eol + 2;
        continue;
      }
      if (data.length < eol + 2 + length + 2) break;
      out.push(data.slice(eol + 2, eol + 2 + length));
      at = eol + 2 + length + 2;
    } else {
      out.push(head);
      at = eol + 2;
    }
  }
  return out;
}

/**
 * Who answers on a server's port, using only AUTH and INFO (which change nothing):
 * `free` (connection refused), `redis` with its pid, run_id and config file, or `other`
 * with a description of what answered instead.
 */
// Generous, since two cores serve many beds here: a slow answer would count as a stranger.
export function identify(server, timeoutMs = 2000) {
  const commands = [...(server.auth ? [`AUTH ${server.auth.join(' ')}`] : []), 'INFO server'];
  return new Promise((done) => {
    // Identity is read from INFO, not from the certificate, so a TLS peer need not be trusted here.
    const socket = server.tls
      ? tls.connect({ host: '127.0.0.1', port: server.port, rejectUnauthorized: false })
      : net.connect({ host: '127.0.0.1', port: server.port });
    let data = '';
    let settled = false;
    const finish = (answer) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      done(answer);
    };
    socket.setTimeout(timeoutMs, () =>
      finish({
        kind: 'other',
        what: `a process that accepted a connection but gave no Redis reply within ${timeoutMs} ms${data ? ` (said ${JSON.stringify(data.slice(0, 60))})` : ''}`,
      }),
    );
    socket.on('error', (error) =>
      finish(
        error.code === 'ECONNREFUSED'
          ? { kind: 'free' }
          : {
              kind: 'other',
              what: `a process that fails ${server.tls ? 'a TLS handshake' : 'a connection'} (${error.code ?? error.message})`,
            },
      ),
    );
    socket.on(server.tls ? 'secureConnect' : 'connect', () => socket.write(commands.map((c) => `${c}\r\n`).join('')));
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      const got = replies(data);
      if (got.length < commands.length) return;
      const info = got.at(-1);
      const field = (name) => (typeof info === 'string' ? new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim() : undefined);
      const pid = Number(field('process_id'));
      const runId = field('run_id');
      if (!runId || !Number.isInteger(pid)) {
        finish({ kind: 'other', what: `a server that did not tell its identity (replied ${JSON.stringify(String(info).slice(0, 60))})` });
        return;
      }
      finish({ kind: 'redis', pid, runId, configFile: field('config_file') ?? '' });
    });
  });
}

/**
 * Why the server that answers is not this bed's, or null when it is. Ours means: started from
 * the config file in our folder, its pid is the one in our pidfile, and, when the bed recorded
 * it, the same run_id and pid (a restart by anyone else gives a new run_id).
 */
export function strangerReason(server, dir, answer, recorded) {
  if (answer.kind !== 'redis') return answer.what;
  const who = `redis-server pid ${answer.pid} (run_id ${answer.runId.slice(0, 12)}…, config ${answer.configFile || 'none'})`;
  if (answer.configFile !== join(dir, server.name, 'redis.conf')) return `${who}, not started from this bed's folder ${dir}`;
  if (answer.pid !== readPid(dir, server.name)) return `${who}, whose pid is not the one in ${join(dir, server.name, 'redis.pid')}`;
  if (recorded && (recorded.runId !== answer.runId || recorded.pid !== answer.pid)) {
    return `${who}, not the server this bed recorded (pid ${recorded.pid}, run_id ${recorded.runId.slice(0, 12)}…)`;
  }
  return null;
}

/**
 * Problems that make the bed unsafe to use: a port where nothing or a stranger answers.
 * Empty when every server is the one `bed.json` recorded. Costs one INFO per server.
 */
export async function verifyBed(dir) {
  const file = readBedFile(dir);
  if (!file?.servers) return [`${join(dir, 'bed.json')} records no servers: start the bed with scripts/test-redis.mjs start`];
  const problems = [];
  await Promise.all(
    bedServers(file).map(async (server) => {
      const answer = await identify(server);
      const recorded = file.servers[String(server.port)];
      if (answer.kind === 'free') problems.push(`port ${server.port} (${server.name}): nothing answers`);
      else if (!recorded) problems.push(`port ${server.port} (${server.name}): bed.json records no server there`);
      else {
        const reason = strangerReason(server, dir, answer, recorded);
        if (reason) problems.push(`port ${server.port} (${server.name}): ${reason}`);
      }
    }),
  );
  return problems.sort();
}
