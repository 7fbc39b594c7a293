/**
 * PING through the contract over the web host's WebSocket vs a direct ioredis PING, in the
 * same run against the same Redis, one Redis connection each. Rounds alternate between the
 * two so machine drift hits both alike. Prints one JSON line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { percentile } from '../src/main/features/health/latency-window';
import { bed } from '../test/support/bed';

const ROOT = resolve(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 1);

async function startHost(): Promise<{ url: string; token: string; stop: () => void }> {
  const child = spawn(process.execPath, [join(ROOT, 'out/main/serve.js'), '--home', mkdtempSync(join(tmpdir(), 'sd-bench-'))], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((ok, fail) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /Swarmdeck web host: (\S+)/.exec(d.toString());
      if (m) ok(m[1] as string);
    });
    child.once('exit', () => fail(new Error('web host exited; run "npm run build" first')));
  });
  // The login URL's redirect carries the session in its fragment; the socket presents it first.
  const parsed = new URL(url);
  const loginRes = await fetch(url, { redirect: 'manual' });
  const session = new URLSearchParams((loginRes.headers.get('location') ?? '').split('#')[1]).get('session') ?? '';
  return { url: `ws://${parsed.host}/ws`, token: session, stop: () => child.kill() };
}

class ApiClient {
  private next = 1;
  private readonly waiting = new Map<number, () => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { id?: number; envelope?: { ok: boolean; error?: unknown } };
      if (m.id === undefined) return;
      if (!m.envelope?.ok) throw new Error(`call failed: ${JSON.stringify(m.envelope?.error)}`);
      this.waiting.get(m.id)?.();
      this.waiting.delete(m.id);
    });
  }

  static open(url: string, token: string): Promise<ApiClient> {
    return new Promise((ok, fail) => {
      const ws = new WebSocket(url);
      ws.once('open', () => {
        ws.send(JSON.stringify({ auth: token }));
        ok(new ApiClient(ws));
      });
      ws.once('error', fail);
    });
  }

  call(op: string, input: unknown): Promise<void> {
    const id = this.next++;
    return new Promise((ok) => {
      this.waiting.set(id, ok);
      this.ws.send(JSON.stringify({ id, op, input }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

async function measure(times: number[], count: number, once: () => Promise<unknown>): Promise<void> {
  let left = count;
  const worker = async (): Promise<void> => {
    while (left > 0) {
      left -= 1;
      const started = performance.now();
      await once();
      times.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

const summary = (t: number[]) => {
  const sorted = [...t].sort((a, b) => a - b);
  const r = (v: number | undefined) => Math.round((v ?? 0) * 1000) / 1000;
  return { p50Ms: r(percentile(sorted, 50)), p99Ms: r(percentile(sorted, 99)), samples: t.length };
};

const host = await startHost();
const api = await ApiClient.open(host.url, host.token);
await api.call('profiles.save', {
  profile: {
    name: 'bench',
    environment: 'development',
    topology: { kind: 'standalone', host: '127.0.0.1', port: bed.standalone.port, db: 0 },
    tls: { enabled: false, verify: true },
    keyPrefix: 'sd',
    readOnly: false,
    connectTimeoutMs: 5000,
    commandTimeoutMs: 10000,
  },
});
await api.call('connections.connect', { profileId: 'bench' });
const direct = new Redis(bed.standalone.port, '127.0.0.1');

const viaApi: number[] = [];
const viaDirect: number[] = [];
// Warm both paths (JIT, socket buffers) before anything counts.
await measure([], 500, () => api.call('redis.ping', { profileId: 'bench' }));
await measure([], 500, () => direct.ping());
for (let round = 0; round < ROUNDS; round += 1) {
  await measure(viaDirect, PER_ROUND, () => direct.ping());
  await measure(viaApi, PER_ROUND, () => api.call('redis.ping', { profileId: 'bench' }));
}
api.close();
direct.disconnect();
host.stop();

const d = summary(viaDirect);
const a = summary(viaApi);
console.log(
  JSON.stringify({
    bench: 'api-roundtrip',
    concurrency: CONCURRENCY,
    redisConnections: { direct: 1, api: 1 },
    direct: d,
    api: a,
    overheadP50Ms: Math.round((a.p50Ms - d.p50Ms) * 1000) / 1000,
    overheadP99Ms: Math.round((a.p99Ms - d.p99Ms) * 1000) / 1000,
    ratioP50: Math.round((a.p50Ms / d.p50Ms) * 100) / 100,
  }),
);
