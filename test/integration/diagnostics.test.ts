import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisKind, DiagnosisOptions, DiagnosisReport, ExportedReport, Finding } from '../../src/shared/model/diagnostics';
import type { JobView } from '../../src/shared/model/job';
import type { ProfileInput, ProfileView } from '../../src/shared/model/profile';
import { acl, bed, BED_DIR, cluster, harness, ok, ROOT, standalone, tls } from '../support/bed';
import { until } from '../support/harness';

const h = harness({ healthIntervalMs: 60_000 });
const redis = new Redis(bed.standalone.port, '127.0.0.1');
let n = 0;

async function save(profile: ProfileInput, password?: string): Promise<ProfileView> {
  n += 1;
  return ok<ProfileView>(h.dispatch('profiles.save', { profile: { ...profile, name: `${profile.name}-${n}` }, password }));
}

async function diagnose(profileId: string, kind: DiagnosisKind, options?: DiagnosisOptions): Promise<DiagnosisReport> {
  const job = await ok<JobView>(h.dispatch('diagnostics.run', { profileId, kind, options }));
  const done = await h.services.jobs.settled(job.id);
  if (done.state !== 'done') throw new Error(`diagnosis ${done.state}: ${done.error?.message ?? ''}`);
  return ok<DiagnosisReport>(h.dispatch('diagnostics.report', { jobId: job.id }));
}

const alarms = (r: DiagnosisReport): Finding[] => r.findings.filter((f) => f.severity !== 'info');

let standaloneId = '';
beforeAll(async () => {
  await redis.flushall();
  await redis.call('SLOWLOG', 'RESET');
  await redis.call('LATENCY', 'RESET');
  await redis.config('SET', 'latency-monitor-threshold', '0');
  const p = await save(standalone());
  standaloneId = p.id;
  await ok(h.dispatch('connections.connect', { profileId: p.id }));
});

afterAll(async () => {
  await redis.config('SET', 'latency-monitor-threshold', '0');
  redis.disconnect();
  await h.services.dispose();
});

// 'A healthy server' must come first: the suites after it leave a slow command, a big key and
// blocked clients on the server on purpose. The order is kept under --sequence.shuffle.
describe('diagnostics', { shuffle: false }, () => {
  describe('a healthy server', () => {
    it('raises no warning or critical finding in any diagnosis', async () => {
      // A normal small dataset: a queue-like namespace without TTLs, a cache namespace with them.
      const pipe = redis.pipeline();
      for (let i = 0; i < 300; i++) pipe.hset(`app:task:${i}`, 'state', 'waiting', 'data', 'x'.repeat(50));
      for (let i = 0; i < 100; i++) pipe.set(`app:cache:${i}`, 'v', 'EX', 3600);
      await pipe.exec();
      // The server is shared: a file run just before may have flooded a client's output buffer on
      // purpose, and Redis reports that peak for some seconds after. Healthy means it has passed.
      await until(
        "the server's recent output-buffer peak to pass",
        async () => {
          const peak = Number(/client_recent_max_output_buffer:(\d+)/.exec(String(await redis.info('clients')))?.[1] ?? 0);
          return peak < 1024 * 1024 ? true : undefined;
        },
        30_000,
      );
      for (const kind of ['connection', 'performance', 'memory', 'clients'] as const) {
        const report = await diagnose(standaloneId, kind);
        expect(alarms(report), `${kind}: ${JSON.stringify(alarms(report))}`).toEqual([]);
      }
      const admin = await save(acl('admin'), bed.acl.users.admin);
      expect(alarms(await diagnose(admin.id, 'connection'))).toEqual([]);
      const c = await save(cluster());
      expect(alarms(await diagnose(c.id, 'connection'))).toEqual([]);
      const t = await save(tls());
      expect(alarms(await diagnose(t.id, 'connection'))).toEqual([]);
    });
  });

  describe('performance', () => {
    it('finds a slow command in SLOWLOG and in LATENCY', async () => {
      await redis.config('SET', 'latency-monitor-threshold', '50');
      await redis.call('DEBUG', 'SLEEP', '0.2');
      const report = await diagnose(standaloneId, 'performance', { pingSamples: 10 });
      const slow = report.findings.find((f) => f.id === 'slowlog');
      expect(slow?.severity).toBe('warning');
      expect(JSON.stringify(slow?.evidence)).toMatch(/DEBUG SLEEP/i);
      const latency = report.findings.find((f) => f.id === 'latency-events');
      expect(latency?.evidence.some((e) => e.figures.event === 'command' && Number(e.figures.maxMs) >= 200)).toBe(true);
      expect(report.performance?.nodes[0]?.latencyDoctor).toMatch(/command/i);
      await redis.call('SLOWLOG', 'RESET');
      await redis.call('LATENCY', 'RESET');
    });
  });

  describe('memory analysis', () => {
    it('finds a big hash, a big string and keys without TTL, and agrees with redis-cli --bigkeys and --memkeys', async () => {
      await redis.flushall();
      const fields: string[] = [];
      for (let i = 0; i < 20_000; i++) fields.push(`f${i}`, `v${i}`);
      await redis.hset('big:hash', ...fields);
      await redis.set('big:string', 'x'.repeat(2 * 1024 * 1024));
      const pipe = redis.pipeline();
      for (let i = 0; i < 90; i++) pipe.set(`sess:${i}`, 'v', 'EX', 600);
      for (let i = 0; i < 10; i++) pipe.set(`sess:leak${i}`, 'v');
      for (let i = 0; i < 50; i++) pipe.rpush(`list:${i}`, ...Array.from({ length: i + 1 }, (_, j) => String(j)));
      await pipe.exec();

      const report = await diagnose(standaloneId, 'memory', { opsPerSecond: 200_000 });
      const big = report.findings.filter((f) => f.id === 'big-key').map((f) => f.evidence[0]?.figures.key);
      expect(big.sort()).toEqual(['big:hash', 'big:string']);
      const leak = report.findings.find((f) => f.id === 'keys-without-ttl');
      expect(leak?.evidence[0]?.figures).toMatchObject({ namespace: 'sess:*', keys: 100, withoutTtl: 10 });
      expect(report.memory?.keysScanned).toBe(152);

      const cli = (mode: string): Record<string, string> => {
        const text = execFileSync('redis-cli', ['-p', String(bed.standalone.port), mode], { encoding: 'utf8' });
        const out: Record<string, string> = {};
        for (const m of text.matchAll(/Biggest\s+(\w+) found '"?(.*?)"?' has/g)) out[m[1] as string] = m[2] as string;
        return out;
      };
      const bySize = Object.fromEntries(Object.entries(report.memory?.biggestBySize ?? {}).map(([t, k]) => [t, k.key]));
      const byMemory = Object.fromEntries(Object.entries(report.memory?.biggestByMemory ?? {}).map(([t, k]) => [t, k.key]));
      expect(bySize).toEqual(cli('--bigkeys'));
      expect(byMemory).toEqual(cli('--memkeys'));
    });

    it('stops when cancelled and says the result is partial', async () => {
      const job = await ok<JobView>(
        h.dispatch('diagnostics.run', { profileId: standaloneId, kind: 'memory', options: { opsPerSecond: 100 } }),
      );
      await ok(h.dispatch('jobs.cancel', { jobId: job.id }));
      const done = await h.services.jobs.settled(job.id);
      expect(done.state).toBe('cancelled');
      expect((done.result as DiagnosisReport).memory?.partial).toBe(true);
    });

    it('exports the report as JSON and as self-contained HTML', async () => {
      const job = await ok<JobView>(
        h.dispatch('diagnostics.run', { profileId: standaloneId, kind: 'memory', options: { opsPerSecond: 200_000 } }),
      );
      await h.services.jobs.settled(job.id);
      const json = await ok<ExportedReport>(h.dispatch('diagnostics.export', { jobId: job.id, format: 'json' }));
      expect((JSON.parse(json.content) as DiagnosisReport).memory?.keysScanned).toBe(152);
      const html = await ok<ExportedReport>(h.dispatch('diagnostics.export', { jobId: job.id, format: 'html' }));
      expect(html.content).toContain('big:hash');
      expect(html.content).toContain('<svg');
      expect(html.content).not.toMatch(/<script|<link|\ssrc=|\shref=|url\(|@import/i);
    });
  });

  describe('connection', () => {
    it('names a wrong password', async () => {
      const p = await save(acl('admin'), 'wrong');
      const report = await diagnose(p.id, 'connection');
      expect(report.findings.find((f) => f.id === 'auth-failed')?.severity).toBe('critical');
    });

    it('names the permissions an ACL user lacks', async () => {
      const p = await save(acl('reader'), bed.acl.users.reader);
      const report = await diagnose(p.id, 'connection');
      const missing = report.findings.find((f) => f.id === 'acl-missing');
      expect(missing?.severity).toBe('warning');
      const commands = missing?.evidence.map((e) => e.command) ?? [];
      expect(commands).toEqual(expect.arrayContaining(['SET', 'EVALSHA', 'XADD', 'SLOWLOG LEN', 'LATENCY LATEST']));
      expect(commands).not.toContain('GET');
      expect(commands).not.toContain('SCAN');
    });

    it('names a wrong CA and an expired certificate', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'swarmdeck-diag-'));
      const ssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
      ssl(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'other.key',
        '-out',
        'other.crt',
        '-days',
        '30',
        '-subj',
        '/CN=not the bed CA',
      );
      const wrongCa = await save(tls(join(dir, 'other.crt')));
      const untrusted = await diagnose(wrongCa.id, 'connection');
      expect(untrusted.findings.find((f) => f.id === 'tls-untrusted')?.severity).toBe('critical');

      // An expired leaf from a CA we trust, so expiry is the only fault.
      writeFileSync(
        join(dir, 'ca.cnf'),
        '[ca]\ndefault_ca=x\n[x]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\npolicy=p\ndefault_md=sha256\n[p]\ncommonName=supplied\n',
      );
      writeFileSync(join(dir, 'index.txt'), '');
      writeFileSync(join(dir, 'serial'), '01\n');
      writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
      ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', '/CN=diag CA');
      ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost');
      ssl(
        'ca',
        '-batch',
        '-config',
        'ca.cnf',
        '-cert',
        'ca.crt',
        '-keyfile',
        'ca.key',
        '-in',
        'leaf.csr',
        '-out',
        'leaf.crt',
        '-startdate',
        '20200101000000Z',
        '-enddate',
        '20200201000000Z',
        '-extfile',
        'san.ext',
      );
      const server: TlsServer = createTlsServer(
        { key: readFileSync(join(dir, 'leaf.key')), cert: readFileSync(join(dir, 'leaf.crt')) },
        (s) => s.end(),
      );
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const port = (server.address() as AddressInfo).port;
        const expired = await save(tls(join(dir, 'ca.crt'), { topology: { kind: 'standalone', host: '127.0.0.1', port, db: 0 } }));
        const report = await diagnose(expired.id, 'connection');
        const finding = report.findings.find((f) => f.id === 'tls-expired');
        expect(finding?.severity).toBe('critical');
        expect(finding?.evidence[0]?.figures.validTo).toMatch(/^2020-02-01/);
      } finally {
        server.close();
      }
    });

    it('says a port answers, but not as Redis, when an HTTP server holds it', async () => {
      const server: HttpServer = createHttpServer((_req, res) => res.end('hello'));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const port = (server.address() as AddressInfo).port;
        const p = await save(standalone({ topology: { kind: 'standalone', host: '127.0.0.1', port, db: 0 }, connectTimeoutMs: 2000 }));
        const report = await diagnose(p.id, 'connection');
        const finding = report.findings.find((f) => f.id === 'not-redis');
        expect(finding?.severity).toBe('critical');
        expect(finding?.detail).toMatch(/not as Redis — it looks like HTTP/);
      } finally {
        server.close();
      }
    });

    it('names a NAT mismatch: a healthy node announced at an address this machine cannot reach', async () => {
      const announced = `127.0.0.1:${bed.cluster.ports[2]}`;
      const p = await save(
        cluster({
          topology: {
            kind: 'cluster',
            seeds: [{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }],
            natMap: { [announced]: { host: '127.0.0.1', port: 1 } },
          },
          connectTimeoutMs: 1000,
        }),
      );
      const report = await diagnose(p.id, 'connection');
      const nat = report.findings.filter((f) => f.id === 'nat-mismatch');
      expect(nat.map((f) => f.node)).toEqual([announced]);
    });
  });

  describe('clients', () => {
    it('finds a client that does not read its replies', async () => {
      await redis.set('big:reply', 'y'.repeat(1024 * 1024));
      const socket: Socket = netConnect(bed.standalone.port, '127.0.0.1');
      await new Promise((r) => socket.once('connect', r));
      socket.pause();
      socket.write('CLIENT SETNAME stuck-reader\r\n' + 'GET big:reply\r\n'.repeat(64));
      try {
        const report = await until('a large output buffer', async () => {
          const r = await diagnose(standaloneId, 'clients');
          return r.findings.some((f) => f.id === 'client-output-buffer') ? r : undefined;
        });
        const finding = report.findings.find((f) => f.id === 'client-output-buffer');
        expect(finding?.evidence[0]?.figures.omem).toBeGreaterThanOrEqual(4 * 1024 * 1024);
        expect(report.clients?.byName.find((g) => g.group === 'stuck-reader')?.outputBufferBytes).toBeGreaterThanOrEqual(4 * 1024 * 1024);
      } finally {
        socket.destroy();
      }
    });
  });

  describe('a killed cluster node', () => {
    afterAll(() => {
      execFileSync(process.execPath, [join(ROOT, 'scripts/test-redis.mjs'), 'start'], { stdio: 'inherit' });
    });

    it('is named as down', async () => {
      const seed = new Redis(bed.cluster.ports[0] as number, '127.0.0.1');
      const nodes = String(await seed.call('CLUSTER', 'NODES'))
        .trim()
        .split('\n');
      seed.disconnect();
      const line = nodes.find((l) => l.includes('slave') && !l.includes('myself')) as string;
      const address = (line.split(' ')[1] as string).replace(/@\d+$/, '');
      const port = address.split(':')[1] as string;
      const p = await save(cluster({ connectTimeoutMs: 1000 }));
      process.kill(Number(readFileSync(join(BED_DIR, `cluster-${port}`, 'redis.pid'), 'utf8')), 'SIGKILL');
      const finding = await until('the dead node', async () =>
        (await diagnose(p.id, 'connection')).findings.find((f) => f.id === 'cluster-node-down'),
      );
      expect(finding.node).toBe(address);
      expect(finding.severity).toBe('critical');
    });
  });
});
