import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, describe, expect, it } from 'vitest';
import { inProcessClient } from '../../src/main/api/client';
import { dispatchFor } from '../../src/main/api/handlers';
import { Metrics } from '../../src/main/features/metrics/metrics';
import type { RedisClient } from '../../src/main/redis/client-options';
import { createServices } from '../../src/main/services';
import type { MetricsQueryResult } from '../../src/shared/model/metrics';
import type { ProfileInput } from '../../src/shared/model/profile';
import { bed, cluster, ROOT, standalone, tempHome } from '../support/bed';
import { prng } from '../support/prng';
import { ManualClock } from '../support/clock';

const MIN = 60_000;
const CLI = join(ROOT, 'bin/swarmdeck.js');

const targets: [string, () => RedisClient, (o: Partial<ProfileInput>) => ProfileInput, string[]][] = [
  ['standalone', () => new Redis(bed.standalone.port, '127.0.0.1'), standalone, ['--url', `redis://127.0.0.1:${bed.standalone.port}`]],
  [
    'cluster',
    () => new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }]),
    cluster,
    ['--cluster', `127.0.0.1:${bed.cluster.ports[0] as number}`],
  ],
];

function swarmdeck(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const disposers: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const d of disposers.reverse()) await d();
});

describe.each(targets)('analytics on %s', (kind, connect, profileOf, adHoc) => {
  const prefix = `an-${kind}-${randomBytes(3).toString('hex')}`;
  // Two hours of history ending on the last minute boundary.
  const end = Math.floor(Date.now() / MIN) * MIN;
  const start = end - 120 * MIN;
  const MAX = 2e9;
  // 1.6 GB growing 2 MB a minute: full 200 minutes after start, 80 minutes after `end`.
  const saturation = start + 200 * MIN;
  const spikeAt = start + 90 * MIN;

  async function seed(client: RedisClient): Promise<void> {
    const clock = new ManualClock(start);
    const m = new Metrics(client, { prefix, clock });
    const r = prng(kind.length);
    for (let i = 0; i < 120; i++) {
      clock.advance(i === 0 ? 0 : MIN);
      const used = 1.6e9 + 2e6 * i + 3e6 * (r() - 0.5);
      m.record('redis.memory_bytes', used, { node: 'seed-node' });
      m.record('redis.memory_ratio', used / MAX, { node: 'seed-node' });
      m.record('queue.depth', 50 + 4 * i + 6 * (r() - 0.5), { queue: 'ingest' });
      m.record('queue.completed_per_sec', 30 + 2 * (r() - 0.5), { queue: 'ingest' });
      m.record('agent.tokens', clock.now() === spikeAt ? 900 : 100 + 10 * (r() - 0.5), { agent: 'a1' });
      // A latency tail: most PINGs near 0.4 ms, one in twenty near 15 ms.
      for (let k = 0; k < 40; k++) m.record('redis.ping_ms', k % 20 === 0 ? 15 + r() : 0.4 + 0.1 * r(), { node: 'seed-node' });
      await m.flush();
    }
    m.stop();
  }

  it('finds the saturation, the congestion, the latency tail and the spike in stored history, and reports them offline', async () => {
    const client = connect();
    disposers.push(() => void client.disconnect());
    await seed(client);
    const services = createServices({ home: tempHome(), env: {}, healthIntervalMs: 3_600_000 });
    disposers.push(() => services.dispose());
    const api = inProcessClient(dispatchFor(services));
    const profile = await api.call('profiles.save', { profile: profileOf({ name: `analytics ${kind}`, keyPrefix: prefix }) });
    await api.call('connections.connect', { profileId: profile.id });

    const view = await api.call('analytics.analyze', { profileId: profile.id, from: start, to: end + MIN });
    const a = view.result;
    const ids = a.findings.map((f) => f.id);
    expect(ids).toContain('memory-saturation:seed-node');
    expect(ids).toContain('queue-congestion:ingest');
    expect(ids).toContain('latency-variance:seed-node');
    expect(a.findings.find((f) => f.id === 'queue-congestion:ingest')?.series).toEqual([
      'queue.depth{queue=ingest}',
      'queue.completed_per_sec{queue=ingest}',
    ]);
    const full = a.forecasts.find((f) => f.kind === 'memory-full' && f.subject === 'seed-node');
    expect(full, 'a memory forecast').toBeDefined();
    expect(
      full && full.earliest <= saturation && saturation <= full.latest,
      `${new Date(saturation).toISOString()} in ${JSON.stringify(full)}`,
    ).toBe(true);
    const spikes = a.anomalies.find((x) => x.series === 'agent.tokens{agent=a1}')?.anomalies ?? [];
    expect(spikes.map((x) => x.t)).toContain(spikeAt);
    expect(a.recommendations.map((r) => r.rank)).toEqual(a.recommendations.map((_, i) => i + 1));
    for (const r of a.recommendations) expect(ids).toContain(r.findingId);

    const job = await api.call('analytics.report', { profileId: profile.id, from: start, to: end + MIN });
    expect(job.state).toBe('running');
    const settled = await services.jobs.settled(job.id);
    expect(settled.progress).toMatchObject({ unit: 'series', done: view.seriesRead, total: view.seriesRead });
    const { report, html } = await api.call('analytics.reportResult', { jobId: job.id });
    expect(report.charts.find((c) => c.series === 'redis.memory_bytes{node=seed-node}')?.threshold).toBeCloseTo(MAX, -3);
    expect(report.charts.find((c) => c.series === 'agent.tokens{agent=a1}')?.anomalies).toContainEqual({ t: spikeAt, v: 900 });
    // Self-contained: nothing the browser would fetch, no script.
    expect(html).not.toMatch(/https?:\/\/|src=|<script|<link|url\(/i);
    expect(html).toContain('<svg');
    expect(html).toContain('class="anomaly"');
    expect(html).toContain('queue.depth{queue=ingest}');
  });

  it('a read-only profile refuses a recorded sample, and nothing is stored', async () => {
    const services = createServices({ home: tempHome(), env: {}, healthIntervalMs: 3_600_000 });
    disposers.push(() => services.dispose());
    const api = inProcessClient(dispatchFor(services));
    const ro = `${prefix}-ro`;
    const profile = await api.call('profiles.save', {
      profile: profileOf({ name: `analytics ro ${kind}`, keyPrefix: ro, readOnly: true }),
    });
    await api.call('connections.connect', { profileId: profile.id });
    const refused = await api.call('metrics.record', { profileId: profile.id, series: 'agent.tokens', value: 1 }).then(
      () => 'recorded',
      (e: unknown) => (e as { code?: string }).code,
    );
    expect(refused).toBe('READ_ONLY');
    expect(await api.call('metrics.series', { profileId: profile.id })).toEqual([]);
  });

  it('the CLI records and queries a series, writes the report, and the exporter serves the same figures', async () => {
    const base = [...adHoc, '--prefix', prefix, '--home', tempHome()];
    for (const v of ['3', '7', '11.5']) {
      const r = swarmdeck(['metrics', 'record', 'agent.latency_ms', v, '--tag', 'agent=cli-1', '--tag', 'role=worker', ...base, '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const bad = swarmdeck(['metrics', 'record', 'Bad Name', '1', ...base, '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stderr)).toMatchObject({ error: { code: 'VALIDATION' } });

    const q = swarmdeck([
      'metrics',
      'query',
      'agent.latency_ms',
      '--tag',
      'agent=cli-1',
      '--tag',
      'role=worker',
      '--since',
      '5m',
      '--resolution',
      '1m',
      ...base,
      '--json',
    ]);
    expect(q.code, q.stderr).toBe(0);
    const queried = JSON.parse(q.stdout) as MetricsQueryResult;
    const last = queried.buckets.at(-1);
    expect(queried.buckets.reduce((n, b) => n + b.count, 0)).toBe(3);
    expect(last).toBeDefined();
    if (!last) return;

    const out = join(tempHome(), 'report.html');
    const rep = swarmdeck(['report', '--since', '3h', '--out', out, ...base]);
    expect(rep.code, rep.stderr).toBe(0);
    expect(rep.stdout).toMatch(/report written to .*report\.html: \d+ series, \d+ findings/);
    expect(readFileSync(out, 'utf8')).toContain('agent.latency_ms{agent=cli-1,role=worker}');

    const alerts = swarmdeck(['alerts', 'list', ...base, '--json']);
    expect(alerts.code, alerts.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(alerts.stdout))).toBe(true);
    expect(swarmdeck(['alerts', 'ack', ...base]).code).toBe(2);
    const unknown = swarmdeck(['alerts', 'ack', 'no-such-alert-1', ...base, '--json']);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr)).toMatchObject({ error: { code: 'NOT_FOUND' } });

    const exporter = spawn(process.execPath, [CLI, 'exporter', '--listen', '127.0.0.1:0', ...base], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => exporter.once('exit', (code) => resolve(code)));
    disposers.push(() => void (exporter.exitCode === null && exporter.kill('SIGKILL')));
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      exporter.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        const m = /serving (http:\/\/\S+)/.exec(err);
        if (m?.[1]) resolve(m[1]);
      });
      exporter.once('exit', () => reject(new Error(`exporter exited: ${err}`)));
    });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const families = parsePrometheusTextFormat(text);
    const family = families.find((f) => f.name === 'swarmdeck_series_agent_latency_ms');
    expect(family?.type).toBe('GAUGE');
    expect(text).toMatch(/^# HELP swarmdeck_series_agent_latency_ms /m);
    const value = (stat: string): number =>
      Number(family?.metrics.find((m) => m.labels?.stat === stat && m.labels.agent === 'cli-1' && m.labels.role === 'worker')?.value);
    for (const stat of ['count', 'sum', 'min', 'max', 'avg', 'p50', 'p95', 'p99'] as const) expect(value(stat), stat).toBe(last[stat]);
    // Nodes and the built-in series are there too: every node of the target answers.
    const up = families.find((f) => f.name === 'swarmdeck_node_up');
    expect(up?.metrics.length).toBe(kind === 'cluster' ? 6 : 1);
    expect(up?.metrics.every((m) => m.value === '1')).toBe(true);
    expect((await fetch(url.replace('/metrics', '/other'))).status).toBe(404);
    exporter.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
