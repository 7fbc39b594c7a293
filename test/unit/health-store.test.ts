import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { HealthSnapshot, NodeHealth, Thresholds } from '../../src/shared/model/health';
import type { MetricBucket, MetricsUsage } from '../../src/shared/model/metrics';
import { SwarmdeckError } from '../../src/shared/errors';
import { fakeTransport as main } from '../support/fake-transport';

vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
const { useHealth, liveSum } = await import('../../src/renderer/src/features/overview/health-store');

const node = (address: string, opsPerSec: number | undefined, stale = false): NodeHealth => ({
  address,
  role: 'master',
  slots: [],
  slotCount: 0,
  link: 'connected',
  latency: { samples: 0 },
  ...(opsPerSec === undefined ? {} : { opsPerSec }),
  ...(stale ? { stale } : {}),
});
const snapshot = (profileId: string, at: number, nodes: NodeHealth[] = [node('a', 10)]): HealthSnapshot => ({
  profileId,
  at: new Date(at).toISOString(),
  topology: 'standalone',
  nodes,
  latency: { p50Ms: 1, p99Ms: 5, lastMs: 2, samples: 3 },
  memory: { used: 1, max: 10 },
  alerts: [],
});
const thresholds: Thresholds = { latencyWarnMs: 500, memoryWarnRatio: 0.7, memoryCritRatio: 0.9 };
const initial = useHealth.getState();

beforeEach(() => {
  main.reset();
  useHealth.setState(initial, true);
});

describe('health store', () => {
  it('keeps the latest snapshot of each profile and a point of history per snapshot', () => {
    useHealth.getState().apply(snapshot('p1', 1000));
    useHealth.getState().apply(snapshot('p1', 2000, [node('a', 10), node('b', 5)]));
    useHealth.getState().apply(snapshot('p2', 3000));
    const { latest, history } = useHealth.getState();
    expect(latest.p1?.at).toBe(new Date(2000).toISOString());
    expect(history.p1).toEqual([
      { at: 1000, p50: 1, p99: 5, last: 2, opsPerSec: 10 },
      { at: 2000, p50: 1, p99: 5, last: 2, opsPerSec: 15 },
    ]);
    expect(history.p2).toHaveLength(1);
  });

  it('keeps ten minutes of history at the monitor’s beat, dropping the oldest', () => {
    for (let i = 0; i < 305; i++) useHealth.getState().apply(snapshot('p1', i * 2000));
    const history = useHealth.getState().history.p1 ?? [];
    expect(history).toHaveLength(300);
    expect(history[0]?.at).toBe(5 * 2000);
  });

  it('sums only the nodes read this time, and nothing when none was', () => {
    expect(liveSum(snapshot('p1', 0, [node('a', 10), node('b', 7, true), node('c', undefined)]), (n) => n.opsPerSec)).toBe(10);
    expect(liveSum(snapshot('p1', 0, [node('a', 3, true)]), (n) => n.opsPerSec)).toBeUndefined();
    expect(liveSum(undefined, (n) => n.opsPerSec)).toBeUndefined();
  });

  it('holds the thresholds main answers, and what it saved', async () => {
    main.answer('alerts.thresholds', () => thresholds);
    await useHealth.getState().loadThresholds();
    expect(useHealth.getState().thresholds).toEqual(thresholds);
    main.answer('alerts.setThresholds', (t) => t);
    await useHealth.getState().saveThresholds({ ...thresholds, latencyWarnMs: 900 });
    expect(main.inputs('alerts.setThresholds')).toEqual([{ ...thresholds, latencyWarnMs: 900 }]);
    expect(useHealth.getState().thresholds?.latencyWarnMs).toBe(900);
  });

  it('lets a refused save reach the caller and keeps the thresholds it had', async () => {
    main.answer('alerts.thresholds', () => thresholds);
    await useHealth.getState().loadThresholds();
    main.answer('alerts.setThresholds', () => {
      throw new SwarmdeckError('VALIDATION', 'the warning level must be below the critical level');
    });
    await expect(useHealth.getState().saveThresholds({ ...thresholds, memoryWarnRatio: 0.95 })).rejects.toThrow('below the critical');
    expect(useHealth.getState().thresholds).toEqual(thresholds);
  });
});

describe('health store: Swarmdeck’s own data on the target', () => {
  const usage = (keys: number): MetricsUsage => ({ keys }) as unknown as MetricsUsage;

  it('is loading while it reads, keeping the last answer in view, then holds the new one', async () => {
    let answer: (u: MetricsUsage) => void = () => undefined;
    main.answer('metrics.usage', () => usage(3));
    await useHealth.getState().loadUsage('p1');
    expect(useHealth.getState().usage.p1).toEqual({ usage: usage(3), loading: false });
    main.answer('metrics.usage', () => new Promise<MetricsUsage>((resolve) => (answer = resolve)));
    const reading = useHealth.getState().loadUsage('p1');
    expect(useHealth.getState().usage.p1).toEqual({ usage: usage(3), loading: true });
    answer(usage(5));
    await reading;
    expect(useHealth.getState().usage.p1).toEqual({ usage: usage(5), loading: false });
    expect(main.inputs('metrics.usage')).toEqual([{ profileId: 'p1' }, { profileId: 'p1' }]);
  });

  it('says in main’s words why it could not read, per profile', async () => {
    main.answer('metrics.usage', ({ profileId }) => {
      if (profileId === 'p2') throw new SwarmdeckError('DISCONNECTED', 'the connection is down');
      return usage(1);
    });
    await useHealth.getState().loadUsage('p1');
    await useHealth.getState().loadUsage('p2');
    expect(useHealth.getState().usage.p2).toEqual({ error: 'the connection is down', loading: false });
    expect(useHealth.getState().usage.p1?.usage).toEqual(usage(1));
  });
});

describe('health store: the stored latency the chart starts from', () => {
  const bucket = (start: number, p50: number, sum = 0): MetricBucket => ({
    start,
    count: 1,
    sum,
    min: p50,
    max: p50,
    avg: p50,
    p50,
    p95: p50,
    p99: p50,
  });

  it('reads the last ten minutes of PING and ops/s at 1 s and holds them as the chart’s points', async () => {
    main.answer('metrics.query', (q) => ({
      series: q.series,
      tags: {},
      resolution: '1s',
      from: q.from,
      to: q.to,
      buckets: q.series === 'redis.ping_ms' ? [bucket(1000, 2)] : [bucket(1000, 0, 40)],
      percentileRelativeError: 0.01,
    }));
    const before = Date.now();
    await useHealth.getState().loadRecorded('p1');
    const [ping, ops] = main.inputs('metrics.query');
    expect([ping?.series, ops?.series]).toEqual(['redis.ping_ms', 'redis.ops_per_sec']);
    expect(ping).toMatchObject({ profileId: 'p1', resolution: '1s' });
    expect((ping?.to ?? 0) - (ping?.from ?? 0)).toBe(10 * 60_000);
    expect(ping?.to).toBeGreaterThanOrEqual(before);
    expect(useHealth.getState().recorded.p1).toEqual([{ at: 1000, p50: 2, p99: 2, last: 2, opsPerSec: 40 }]);
  });

  it('holds no points where metrics are not recorded or cannot be read', async () => {
    main.answer('metrics.query', () => {
      throw new SwarmdeckError('DISCONNECTED', 'down');
    });
    await useHealth.getState().loadRecorded('p1');
    expect(useHealth.getState().recorded.p1).toEqual([]);
  });
});
