import { describe, expect, it } from 'vitest';
import { analyze, type AnalyticsInput, type NamedSeries } from '../../src/shared/analytics/analyze';
import { ANOMALY_FALSE_POSITIVE_RATE, detectAnomalies } from '../../src/shared/analytics/anomaly';
import { timeToReach } from '../../src/shared/analytics/forecast';
import { lttb } from '../../src/shared/analytics/lttb';
import type { Point } from '../../src/shared/analytics/stats';
import { trendOf } from '../../src/shared/analytics/trend';
import type { MetricBucket, SeriesInfo } from '../../src/shared/model/metrics';
import {
  chartModel,
  MAX_DRAWN_POINTS,
  ruleApplies,
  scopeForSubject,
  scopesOf,
  seriesInScope,
} from '../../src/renderer/src/features/analytics/chart-model';
import { recordedLatency, withHistory } from '../../src/renderer/src/features/analytics/latency-history';

/** Seeded so a failure is reproducible: mulberry32 and Box–Muller. */
function rng(seed: number): { uniform: () => number; normal: () => number } {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

const T0 = Date.UTC(2026, 10, 27, 0, 0, 0);
const MIN = 60_000;
const HOUR = 3_600_000;
const series = (n: number, stepMs: number, f: (i: number) => number): Point[] =>
  Array.from({ length: n }, (_, i) => ({ t: T0 + i * stepMs, v: f(i) }));
const named = (name: string, points: Point[]): NamedSeries => ({ name, points });

describe('trend', () => {
  it('recovers a known slope per hour and claims its direction', () => {
    const r = rng(1);
    // +120 per hour over two hours, noise σ = 5.
    const pts = series(120, MIN, (i) => 1000 + 2 * i + 5 * r.normal());
    const t = trendOf('mem', pts);
    expect(t.direction).toBe('rising');
    expect(Math.abs(t.perHour - 120)).toBeLessThan(t.perHourMargin);
    expect(t.perHourMargin).toBeLessThan(10);
    expect(t.r2).toBeGreaterThan(0.95);
    const down = trendOf(
      'depth',
      series(60, MIN, (i) => 500 - 3 * i + r.normal()),
    );
    expect(down.direction).toBe('falling');
  });

  it('claims no direction for noise without a slope, and steady for a flat, quiet level', () => {
    let claimed = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      const t = trendOf(
        'noise',
        series(60, MIN, () => 100 + 20 * r.normal()),
      );
      if (t.direction === 'rising' || t.direction === 'falling') claimed++;
    }
    // The rule (|t| ≥ 3 and R² ≥ 0.5) must almost never fire on pure noise.
    expect(claimed).toBe(0);
    const r = rng(7);
    expect(
      trendOf(
        'flat',
        series(60, MIN, () => 1000 + r.normal()),
      ).direction,
    ).toBe('steady');
    // Wide noise around a level: neither a slope nor a steady claim is supported.
    expect(
      trendOf(
        'wide',
        series(8, MIN, () => 100 + 80 * r.normal()),
      ).direction,
    ).toBe('unclear');
    expect(
      trendOf(
        'short',
        series(3, MIN, (i) => i),
      ).direction,
    ).toBe('unclear');
  });
});

describe('anomalies', () => {
  it('finds injected spikes and dips, with the expected band around the normal level', () => {
    const r = rng(42);
    const pts = series(600, 1000, () => 10 + r.normal());
    const injected = [100, 250, 251, 400, 555];
    for (const i of injected) pts[i] = { t: T0 + i * 1000, v: i === 400 ? 0 : 25 };
    const { anomalies } = detectAnomalies(pts);
    const found = new Set(anomalies.map((a) => (a.t - T0) / 1000));
    for (const i of injected) expect(found.has(i), `point ${i}`).toBe(true);
    const spike = anomalies.find((a) => a.t === T0 + 100_000);
    expect(spike?.direction).toBe('high');
    expect(spike?.expected).toBeGreaterThan(9);
    expect(spike?.expected).toBeLessThan(11);
    expect(spike?.upper).toBeLessThan(25);
    expect(anomalies.find((a) => a.t === T0 + 400_000)?.direction).toBe('low');
    expect(anomalies.length - injected.length).toBeLessThanOrEqual(2);
  });

  it('keeps false positives on clean Gaussian noise below the stated rate', () => {
    const r = rng(2026);
    const pts = series(20_000, 1000, () => 50 + 4 * r.normal());
    const { anomalies, band } = detectAnomalies(pts);
    expect(band.length).toBeGreaterThan(19_000);
    expect(anomalies.length / band.length).toBeLessThan(ANOMALY_FALSE_POSITIVE_RATE);
  });

  it('does not flag the routine ticks of a mostly idle counter, and flags its jump', () => {
    // MAD is 0 here (most buckets are 0): the ones must not all become anomalies.
    const pts = series(100, 1000, (i) => (i === 80 ? 7 : i % 10 === 3 ? 1 : 0));
    const { anomalies } = detectAnomalies(pts);
    expect(anomalies.map((a) => (a.t - T0) / 1000)).toEqual([80]);
  });
});

describe('forecast', () => {
  it('puts a known saturation time inside its range, and the range is narrow enough to act on', () => {
    let covered = 0;
    const runs = 100;
    for (let seed = 1; seed <= runs; seed++) {
      const r = rng(seed);
      // 1 GB growing 2 MB/min with σ = 5 MB: 2 GB is reached 500 minutes after T0.
      const pts = series(120, MIN, (i) => 1e9 + 2e6 * i + 5e6 * r.normal());
      const c = timeToReach(pts, 2e9);
      expect(c).not.toBeNull();
      if (!c) continue;
      const truth = T0 + 500 * MIN;
      if (c.earliest <= truth && truth <= c.latest) covered++;
      expect(c.latest - c.earliest).toBeLessThan(0.25 * (c.at - T0));
      expect(Math.abs(c.at - truth)).toBeLessThan(60 * MIN);
    }
    // Two standard errors on slope and level: the range holds the truth nearly always.
    expect(covered / runs).toBeGreaterThanOrEqual(0.9);
  });

  it('forecasts nothing when the slope could be zero or points away', () => {
    const r = rng(3);
    expect(
      timeToReach(
        series(60, MIN, () => 1e9 + 1e7 * r.normal()),
        2e9,
      ),
    ).toBeNull();
    expect(
      timeToReach(
        series(60, MIN, (i) => 1e9 - 1e6 * i),
        2e9,
      ),
    ).toBeNull();
  });

  it('says when a draining backlog clears', () => {
    const c = timeToReach(
      series(30, MIN, (i) => 600 - 10 * i + (i % 2 === 0 ? 1 : -1)),
      0,
    );
    expect(c).not.toBeNull();
    expect(c?.earliest).toBeLessThanOrEqual(T0 + 60 * MIN);
    expect(c?.latest).toBeGreaterThanOrEqual(T0 + 60 * MIN);
  });
});

describe('bottlenecks, forecasts and recommendations', () => {
  const r = rng(99);
  const input: AnalyticsInput = {
    from: T0,
    to: T0 + 2 * HOUR,
    latency: [
      {
        subject: 'node-a',
        p50: named(
          'redis.ping_ms.p50{node=a}',
          series(120, MIN, () => 0.5 + 0.05 * r.normal()),
        ),
        p99: named(
          'redis.ping_ms.p99{node=a}',
          series(120, MIN, () => 12 + r.normal()),
        ),
      },
      {
        subject: 'node-b',
        p50: named(
          'redis.ping_ms.p50{node=b}',
          series(120, MIN, () => 0.5 + 0.05 * r.normal()),
        ),
        p99: named(
          'redis.ping_ms.p99{node=b}',
          series(120, MIN, () => 0.9 + 0.05 * r.normal()),
        ),
      },
    ],
    queues: [
      {
        queue: 'ingest',
        depth: named(
          'queue.depth{queue=ingest}',
          series(120, MIN, (i) => 100 + 5 * i + 3 * r.normal()),
        ),
        throughput: named(
          'queue.throughput{queue=ingest}',
          series(120, MIN, () => 40 + r.normal()),
        ),
        consumers: [
          { consumer: 'w1', series: 'queue.completed{queue=ingest,consumer=w1}', rate: 10 },
          { consumer: 'w2', series: 'queue.completed{queue=ingest,consumer=w2}', rate: 11 },
          { consumer: 'w3', series: 'queue.completed{queue=ingest,consumer=w3}', rate: 1 },
        ],
      },
      {
        queue: 'healthy',
        depth: named(
          'queue.depth{queue=healthy}',
          series(120, MIN, () => 5 + r.normal()),
        ),
        throughput: named(
          'queue.throughput{queue=healthy}',
          series(120, MIN, () => 40 + r.normal()),
        ),
      },
    ],
    memory: [
      {
        node: 'node-a',
        used: named(
          'redis.memory_used{node=a}',
          series(120, MIN, (i) => 1.5e9 + 3e6 * i + 2e6 * r.normal()),
        ),
        maxmemory: 2e9,
        evictions: named(
          'redis.evictions{node=a}',
          series(120, MIN, (i) => (i > 100 ? 3 : 0)),
        ),
      },
      {
        node: 'node-b',
        used: named(
          'redis.memory_used{node=b}',
          series(120, MIN, () => 2e8 + 1e6 * r.normal()),
        ),
        maxmemory: 2e9,
      },
    ],
    other: [],
  };
  const result = analyze(input);
  const ids = result.findings
    .filter((f) => f.kind !== 'anomalies')
    .map((f) => f.id)
    .sort();

  it('names each bottleneck and the series that shows it, and nothing on healthy subjects', () => {
    expect(ids).toEqual([
      'evictions:node-a',
      'latency-variance:node-a',
      'memory-saturation:node-a',
      'queue-congestion:ingest',
      'slow-consumer:ingest:w3',
    ]);
    const byId = new Map(result.findings.map((f) => [f.id, f]));
    expect(byId.get('latency-variance:node-a')?.series).toEqual(['redis.ping_ms.p50{node=a}', 'redis.ping_ms.p99{node=a}']);
    expect(byId.get('queue-congestion:ingest')?.series).toContain('queue.depth{queue=ingest}');
    expect(byId.get('slow-consumer:ingest:w3')?.series).toEqual(['queue.completed{queue=ingest,consumer=w3}']);
    expect(byId.get('memory-saturation:node-a')?.severity).toBe('critical');
    expect(byId.get('evictions:node-a')?.evidence).toMatch(/57 keys evicted/);
  });

  it('forecasts when memory fills, and ranks recommendations each tied to its finding', () => {
    const mem = result.forecasts.find((f) => f.kind === 'memory-full' && f.subject === 'node-a');
    // 1.5 GB + 3 MB/min reaches 2 GB at minute 166.7.
    const truth = T0 + (5e8 / 3e6) * MIN;
    expect(mem && mem.earliest <= truth && truth <= mem.latest).toBe(true);
    expect(result.forecasts.some((f) => f.subject === 'node-b')).toBe(false);
    const findingIds = new Set(result.findings.map((f) => f.id));
    expect(result.recommendations.map((x) => x.rank)).toEqual(result.recommendations.map((_, i) => i + 1));
    for (const rec of result.recommendations) expect(findingIds.has(rec.findingId)).toBe(true);
    // Data being dropped outranks everything; a critical finding outranks any warning.
    expect(result.recommendations[0]?.findingId).toBe('evictions:node-a');
    const sev = result.recommendations.map((x) => x.severity);
    expect(sev.lastIndexOf('critical')).toBeLessThan(sev.indexOf('warning'));
  });
});

describe('LTTB', () => {
  it('keeps the ends and a lone spike while cutting to the threshold', () => {
    const pts = series(10_000, 1000, (i) => (i === 5_432 ? 1000 : Math.sin(i / 50)));
    const out = lttb(pts, 500);
    expect(out).toHaveLength(500);
    expect(out[0]).toBe(pts[0]);
    expect(out.at(-1)).toBe(pts.at(-1));
    expect(out.some((p) => p.v === 1000)).toBe(true);
    expect(lttb(pts.slice(0, 10), 500)).toHaveLength(10);
  });
});

describe('the Analytics page model', () => {
  const bucket = (start: number, avg: number): MetricBucket => ({
    start,
    count: 1,
    sum: avg,
    min: avg,
    max: avg,
    avg,
    p50: avg,
    p95: avg,
    p99: avg,
  });
  const info: SeriesInfo[] = [
    { series: 'redis.ping_ms', tagSets: [{ node: '10.0.0.1:6379' }, { node: '10.0.0.2:6379' }] },
    { series: 'queue.depth', tagSets: [{ queue: 'ingest' }] },
    { series: 'agent.tokens', tagSets: [{ swarm: 's1', agent: 'a1' }, {}] },
  ];

  it('offers one drill-down per node, queue and swarm, and shows each scope its own tag sets', () => {
    const scopes = scopesOf(info);
    expect(scopes.map((s) => s.key)).toEqual(['all', 'node=10.0.0.1:6379', 'node=10.0.0.2:6379', 'queue=ingest', 'swarm=s1']);
    const node = scopes.find((s) => s.key === 'node=10.0.0.2:6379');
    expect(node && seriesInScope(info, node)).toEqual([
      { series: 'redis.ping_ms', tags: { node: '10.0.0.2:6379' }, label: 'redis.ping_ms' },
    ]);
    const swarm = scopes.find((s) => s.key === 'swarm=s1');
    expect(swarm && seriesInScope(info, swarm).map((s) => s.label)).toEqual(['agent.tokens {agent=a1}']);
    expect(scopeForSubject(scopes, 'ingest/w3')?.key).toBe('queue=ingest');
    expect(
      ruleApplies(
        { series: 'redis.ping_ms', tags: { node: '10.0.0.1:6379' } },
        { series: 'redis.ping_ms', tags: { node: '10.0.0.2:6379' }, label: '' },
      ),
    ).toBe(false);
    expect(ruleApplies({ series: 'redis.ping_ms' }, { series: 'redis.ping_ms', tags: { node: '10.0.0.2:6379' }, label: '' })).toBe(true);
  });

  it('marks an anomaly judged on every bucket even when LTTB thins the drawn line', () => {
    const r = rng(5);
    const buckets = Array.from({ length: 7200 }, (_, i) => bucket(T0 + i * 1000, i === 5000 ? 60 : 1 + 0.1 * r.normal()));
    const m = chartModel(buckets, true);
    expect(m.line.length).toBeLessThanOrEqual(MAX_DRAWN_POINTS);
    expect(m.anomalies.map((a) => a.t)).toContain(T0 + 5_000_000);
    expect(m.bandLower).toHaveLength(m.bandWidth.length);
    expect(m.trendLine).toBeDefined();
  });

  it('fills the Overview chart with stored history before the first live point, without overlap', () => {
    const ping = [bucket(T0, 0.5), bucket(T0 + 2000, 0.6), bucket(T0 + 4000, 0.7)];
    const history = recordedLatency(ping, [{ ...bucket(T0, 100), sum: 300 }]);
    expect(history[0]).toMatchObject({ at: T0, p50: 0.5, opsPerSec: 300 });
    expect(history[1]?.opsPerSec).toBeUndefined();
    const merged = withHistory(history, [{ at: T0 + 4200, p50: 0.9, opsPerSec: 5 }]);
    expect(merged.map((p) => p.at)).toEqual([T0, T0 + 2000, T0 + 4200]);
    expect(withHistory(history, [])).toHaveLength(3);
  });
});

describe('evidence thresholds', () => {
  it('does not call a latency tail from a couple of buckets (the first beats after a connect are slow)', () => {
    const few: AnalyticsInput = {
      from: T0,
      to: T0 + 2 * MIN,
      latency: [
        {
          subject: 'n',
          p50: named(
            'p50',
            series(2, MIN, () => 2.7),
          ),
          p99: named(
            'p99',
            series(2, MIN, () => 17),
          ),
        },
      ],
      queues: [],
      memory: [],
      other: [],
    };
    expect(analyze(few).findings).toEqual([]);
  });
});
