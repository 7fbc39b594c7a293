import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, type HealthSnapshot, type NodeHealth } from '../../src/shared/model/health';
import { AlertLedger, evaluateAlerts } from '../../src/main/features/health/alerts';
import { LatencyWindow, percentile } from '../../src/main/features/health/latency-window';
import { countSlots, parseClusterNodes, parseInfo } from '../../src/main/redis/info';

const node = (over: Partial<NodeHealth>): NodeHealth => ({
  address: '10.0.0.1:6379',
  role: 'master',
  slots: [],
  slotCount: 0,
  link: 'connected',
  latency: { samples: 0 },
  ...over,
});
const snapshot = (nodes: NodeHealth[], clusterState?: string): Omit<HealthSnapshot, 'alerts'> => ({
  profileId: 'p',
  at: new Date(0).toISOString(),
  topology: clusterState ? 'cluster' : 'standalone',
  ...(clusterState ? { clusterState } : {}),
  nodes,
  latency: { samples: 0 },
  memory: { used: 0, max: 0 },
});

describe('percentiles over a sliding window', () => {
  it('uses nearest rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });

  it('forgets samples older than the window', () => {
    const w = new LatencyWindow(60_000);
    w.record('a', 500, 0);
    for (let i = 1; i <= 10; i += 1) w.record('a', 1, 61_000 + i);
    expect(w.summary('a', 61_010)).toMatchObject({ p99Ms: 1, samples: 10 });
  });
});

describe('alert thresholds', () => {
  it('warns on latency and grades memory', () => {
    const t = DEFAULT_THRESHOLDS;
    const findings = evaluateAlerts(
      snapshot([
        node({ address: 'a:1', latency: { p99Ms: 1500, samples: 5 } }),
        node({ address: 'b:1', usedMemory: 85, maxMemory: 100 }),
        node({ address: 'c:1', usedMemory: 95, maxMemory: 100 }),
        node({ address: 'd:1', usedMemory: 95, maxMemory: 0 }),
      ]),
      t,
    );
    expect(findings.map((f) => `${f.id}/${f.severity}`)).toEqual(['latency:a:1/warning', 'memory:b:1/warning', 'memory:c:1/critical']);
  });

  it('makes a failed node and a failed cluster critical', () => {
    const findings = evaluateAlerts(snapshot([node({ address: 'a:1', link: 'fail' })], 'fail'), DEFAULT_THRESHOLDS);
    expect(findings.map((f) => f.severity)).toEqual(['critical', 'critical']);
  });

  it('keeps the time an alert started while it keeps firing', () => {
    const ledger = new AlertLedger();
    const f = { id: 'x', severity: 'warning' as const, message: 'm' };
    expect(ledger.stamp([f], 't1')[0]?.since).toBe('t1');
    expect(ledger.stamp([f], 't2')[0]?.since).toBe('t1');
    ledger.stamp([], 't3');
    expect(ledger.stamp([f], 't4')[0]?.since).toBe('t4');
  });
});

describe('Redis reply parsing', () => {
  it('reads INFO lines', () => {
    expect(parseInfo('# Server\r\nredis_version:7.0.15\r\nrole:master\r\n')).toEqual({ redis_version: '7.0.15', role: 'master' });
  });

  it('reads CLUSTER NODES, skipping migration markers', () => {
    const text = [
      'aaa 127.0.0.1:7380@17380,host myself,master - 0 0 1 connected 0-5460 [5461->-bbb]',
      'bbb 127.0.0.1:7383@17383 slave,fail aaa 0 0 1 disconnected',
    ].join('\n');
    const [master, replica] = parseClusterNodes(text);
    expect(master).toMatchObject({ address: '127.0.0.1:7380', slots: ['0-5460'], flags: ['myself', 'master'] });
    expect(replica).toMatchObject({ masterId: 'aaa', linkState: 'disconnected', flags: ['slave', 'fail'] });
    expect(countSlots(['0-5460', '7000'])).toBe(5462);
  });
});

describe('fragmentation, judged against the dataset (the diagnostics rule)', () => {
  const MiB = 1024 * 1024;
  it('does not flag a high ratio on a tiny instance: allocator overhead, not waste', () => {
    const tiny = node({ usedMemory: 1 * MiB, datasetMemory: 0.2 * MiB, rssMemory: 12.3 * MiB, fragmentation: 12.3 });
    expect(evaluateAlerts(snapshot([tiny]), DEFAULT_THRESHOLDS).filter((a) => a.id.startsWith('fragmentation'))).toEqual([]);
  });
  it('flags fragmentation that wastes memory on a real dataset, with the figures', () => {
    const big = node({ usedMemory: 300 * MiB, datasetMemory: 200 * MiB, rssMemory: 600 * MiB, fragmentation: 2 });
    const alerts = evaluateAlerts(snapshot([big]), DEFAULT_THRESHOLDS);
    expect(alerts).toContainEqual(expect.objectContaining({ id: 'fragmentation:10.0.0.1:6379', severity: 'warning' }));
    expect(alerts.find((a) => a.id.startsWith('fragmentation'))?.message).toContain('300.0 MiB of RSS beyond 300.0 MiB of data');
  });
  it('says nothing while a figure is unknown', () => {
    expect(evaluateAlerts(snapshot([node({ fragmentation: 9 })]), DEFAULT_THRESHOLDS)).toEqual([]);
  });
});
