import { randomBytes } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchFor } from '../../src/main/api/handlers';
import { inProcessClient } from '../../src/main/api/client';
import { Metrics } from '../../src/main/features/metrics/metrics';
import type { RedisClient } from '../../src/main/redis/client-options';
import { metricSeriesKeys } from '../../src/main/redis/keyspace';
import { createServices } from '../../src/main/services';
import { SwarmdeckError } from '../../src/shared/errors';
import type { ProfileInput } from '../../src/shared/model/profile';
import { PERCENTILE_RELATIVE_ERROR, type AlertView, type MetricBucket, type Resolution } from '../../src/shared/model/metrics';
import { bed, cluster, standalone, tempHome } from '../support/bed';
import { prng } from '../support/prng';
import { ManualClock } from '../support/clock';

const targets: [string, () => RedisClient, (o: Partial<ProfileInput>) => ProfileInput][] = [
  ['standalone', () => new Redis(bed.standalone.port, '127.0.0.1'), standalone],
  ['cluster', () => new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }]), cluster],
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Count, sum, min, max and nearest-rank percentiles by sorting every sample. */
function brute(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] as number;
  return {
    count: sorted.length,
    sum: sorted.reduce((a, b) => a + b, 0),
    min: sorted[0],
    max: sorted.at(-1),
    p50: rank(0.5),
    p95: rank(0.95),
    p99: rank(0.99),
  };
}

function expectMatches(bucket: MetricBucket, values: number[]): void {
  const truth = brute(values);
  expect({ count: bucket.count, sum: bucket.sum, min: bucket.min, max: bucket.max }).toEqual({
    count: truth.count,
    sum: truth.sum,
    min: truth.min,
    max: truth.max,
  });
  for (const q of ['p50', 'p95', 'p99'] as const) {
    const error = Math.abs(bucket[q] - truth[q]);
    expect(error, `${q}: ${bucket[q]} against ${truth[q]}`).toBeLessThanOrEqual(
      PERCENTILE_RELATIVE_ERROR * Math.abs(truth[q]) * (1 + 1e-9),
    );
  }
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof SwarmdeckError ? error.code : `not typed: ${String(error)}`;
  }
  return undefined;
}

async function rejection(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return error instanceof SwarmdeckError ? error.code : `not typed: ${String(error)}`;
  }
  return undefined;
}

// A scenario: the restart test reads the history the tests before it recorded, so the order is kept under --sequence.shuffle.
for (const [kind, connect, profileOf] of targets)
  describe(`metrics on ${kind}`, { shuffle: false }, () => {
    const prefix = `mt-${kind}-${randomBytes(3).toString('hex')}`;
    // A minute boundary half an hour ago: well inside every retention, and buckets line up.
    const clock = new ManualClock(Math.floor((Date.now() - 30 * 60_000) / 60_000) * 60_000);
    // A beat this slow runs once at connect: the tests drive collection and evaluation themselves.
    const services = createServices({ home: tempHome(), env: {}, healthIntervalMs: HOUR, clock, collectMetrics: true });
    const api = inProcessClient(dispatchFor(services));
    const clients: RedisClient[] = [];
    const client = (): RedisClient => {
      const c = connect();
      clients.push(c);
      return c;
    };
    let profileId = '';

    beforeAll(async () => {
      const profile = await services.profiles.save({ ...profileOf({}), name: `metrics-${kind}`, keyPrefix: prefix });
      profileId = profile.id;
      await services.connections.connect(profileId);
    });
    afterAll(async () => {
      await services.dispose();
      for (const c of clients) c.disconnect();
    });

    const query = (series: string, resolution: Resolution, from: number, to: number, tags?: Record<string, string>) =>
      api.call('metrics.query', { profileId, series, resolution, from, to, ...(tags ? { tags } : {}) });

    it('rolls up samples from 3 writers at once exactly: count, sum, min, max; percentiles within the stated error', async () => {
      const random = prng(7);
      const writers = [0, 1, 2].map(() => new Metrics(client(), { prefix, clock, maxPendingSamples: 700 }));
      const samples: { at: number; value: number; region: string }[] = [];
      const start = clock.now();
      for (let step = 0; step < 3000; step++) {
        clock.advance(50);
        for (const writer of writers) {
          const r = random();
          // Log-normal-ish integers (exact sums), with a few zeros and negatives to cover every histogram side.
          const value =
            r < 0.01
              ? 0
              : r < 0.02
                ? -Math.round(1 + random() * 500)
                : Math.round(Math.exp(4 + 2 * (random() + random() + random() - 1.5)) * 10);
          const region = random() < 0.5 ? 'eu' : 'us';
          writer.record('rpc.latency', value, { region });
          samples.push({ at: clock.now(), value, region });
        }
        // Let the background flushes of the three writers interleave with the recording.
        if (step % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.all(writers.map((w) => w.close()));
      const end = clock.now() + 1;

      const seconds = await query('rpc.latency', '1s', start, end);
      const bySecond = new Map<number, number[]>();
      for (const s of samples) {
        const at = Math.floor(s.at / 1000) * 1000;
        bySecond.set(at, [...(bySecond.get(at) ?? []), s.value]);
      }
      expect(seconds.buckets.map((b) => b.start)).toEqual([...bySecond.keys()].sort((a, b) => a - b));
      for (const bucket of seconds.buckets) expectMatches(bucket, bySecond.get(bucket.start) as number[]);

      // A coarser view: minutes of one tag set, and every sample at once in the hour.
      const minutes = await query('rpc.latency', '1m', start, end, { region: 'eu' });
      expect(minutes.buckets.length).toBeGreaterThanOrEqual(3);
      for (const bucket of minutes.buckets) {
        expectMatches(
          bucket,
          samples.filter((s) => s.region === 'eu' && Math.floor(s.at / 60_000) * 60_000 === bucket.start).map((s) => s.value),
        );
      }
      const hours = await query('rpc.latency', '1h', start, end);
      const total = hours.buckets.reduce((n, b) => n + b.count, 0);
      expect(total).toBe(samples.length);
      for (const bucket of hours.buckets)
        expectMatches(
          bucket,
          samples.filter((s) => Math.floor(s.at / HOUR) * HOUR === bucket.start).map((s) => s.value),
        );

      const series = await api.call('metrics.series', { profileId });
      expect(
        series
          .find((s) => s.series === 'rpc.latency')
          ?.tagSets.map((t) => t.region)
          .sort(),
      ).toEqual(['eu', 'us']);
    });

    it('keeps each resolution for its own retention: 1 s buckets go after 6 h, 1 min after 7 days, 1 h stays', async () => {
      for (const [age, expected] of [
        [7 * HOUR, { '1s': 0, '1m': 4, '1h': 4 }],
        [8 * DAY, { '1s': 0, '1m': 0, '1h': 4 }],
        [HOUR, { '1s': 4, '1m': 4, '1h': 4 }],
      ] as const) {
        const past = new ManualClock(Math.floor((Date.now() - age) / 60_000) * 60_000 + 10_000);
        const series = `retention.h${age / HOUR}`;
        const writer = new Metrics(client(), { prefix, clock: past });
        const from = past.now();
        for (let i = 0; i < 4; i++) {
          writer.record(series, i + 1);
          past.advance(1000);
        }
        await writer.close();
        const counts: Record<string, number> = {};
        for (const res of ['1s', '1m', '1h'] as const)
          counts[res] = (await query(series, res, from, from + 5000)).buckets.reduce((n, b) => n + b.count, 0);
        expect(counts, `samples ${age / HOUR} h old`).toEqual(expected);
        // The series' tag hash lives exactly as long as its longest-kept bucket: nothing is left forever.
        const probe = client();
        const tagsExpire = Number(await probe.call('PEXPIRETIME', metricSeriesKeys(prefix, series).tags));
        expect(tagsExpire).toBe(Math.floor(from / HOUR) * HOUR + HOUR + 90 * DAY);
      }
    });

    it('a new services instance reads the same history (a restart loses nothing)', async () => {
      const from = clock.now() - 10 * 60_000;
      const before = await query('rpc.latency', '1s', from, clock.now() + 1);
      const again = createServices({ home: tempHome(), env: {}, healthIntervalMs: HOUR, clock });
      try {
        const profile = await again.profiles.save({ ...profileOf({}), name: 'restarted', keyPrefix: prefix });
        await again.connections.connect(profile.id);
        const after = await again.metrics.query(profile.id, { series: 'rpc.latency', from, to: clock.now() + 1, resolution: '1s' });
        expect(after.buckets.length).toBeGreaterThan(0);
        expect(after.buckets).toEqual(before.buckets);
        // These services were not asked to collect: a one-shot host writes nothing of its own.
        expect(await again.metrics.usage(profile.id)).toMatchObject({
          collecting: false,
          reason: expect.stringContaining('does not collect'),
        });
      } finally {
        await again.dispose();
      }
    });

    it('fires a rule only after its duration, lets it be acknowledged, resolves it, and pushes each change', async () => {
      const events: AlertView[] = [];
      const unsubscribe = services.bus.subscribe((e) => {
        if (e.type === 'alerts' && e.profileId === profileId) events.push(e.alert);
      });
      const rule = await api.call('alerts.setRule', {
        profileId,
        rule: {
          name: 'Slow calls',
          series: 'alert.latency',
          stat: 'max',
          windowSec: 1,
          op: 'gt',
          threshold: 100,
          forSec: 5,
          hysteresis: 20,
          severity: 'critical',
          enabled: true,
        },
      });
      const writer = new Metrics(client(), { prefix, clock });
      // One sample per second, then judged once that second is complete.
      const step = async (value: number) => {
        writer.record('alert.latency', value);
        clock.advance(1000);
        await writer.flush();
        return services.metrics.evaluate(profileId);
      };
      const firedAt: number[] = [];
      for (let k = 0; k < 8; k++) {
        const changed = await step(150);
        if (changed.some((a) => a.ruleId === rule.id && a.state === 'firing')) firedAt.push(k);
      }
      // Breaching from step 0; 5 s of it are complete at step 5.
      expect(firedAt).toEqual([5]);
      const firing = (await api.call('alerts.list', { profileId, count: 50 })).filter((a) => a.ruleId === rule.id);
      expect(firing).toMatchObject([{ state: 'firing', severity: 'critical', value: 150 }]);
      const acked = await api.call('alerts.ack', { profileId, id: (firing[0] as AlertView).id });
      expect(acked.acknowledgedAt).toBeTypeOf('number');

      // 90 is under the threshold but not by the hysteresis: still firing.
      expect(await step(90)).toEqual([]);
      const resolved = await step(50);
      expect(resolved).toMatchObject([{ ruleId: rule.id, state: 'resolved', value: 50 }]);
      expect(resolved[0]?.acknowledgedAt).toBe(acked.acknowledgedAt);
      const listed = (await api.call('alerts.list', { profileId, count: 50 })).filter((a) => a.ruleId === rule.id);
      expect(listed).toMatchObject([{ state: 'resolved', acknowledgedAt: acked.acknowledgedAt }]);
      expect(events.filter((a) => a.ruleId === rule.id).map((a) => `${a.state}${a.acknowledgedAt ? '+ack' : ''}`)).toEqual([
        'firing',
        'firing+ack',
        'resolved+ack',
      ]);
      unsubscribe();
      await writer.close();
      await api.call('alerts.deleteRule', { profileId, id: rule.id });
    });

    it('does not storm when a series flaps around the threshold (hysteresis), where a rule without it would', async () => {
      const base = { stat: 'max', windowSec: 1, op: 'gt', threshold: 100, forSec: 0, severity: 'warning', enabled: true } as const;
      const steady = await api.call('alerts.setRule', {
        profileId,
        rule: { ...base, name: 'Flapping, with hysteresis', series: 'flap.value', hysteresis: 10 },
      });
      const jumpy = await api.call('alerts.setRule', {
        profileId,
        rule: { ...base, name: 'Flapping, without', series: 'flap.value', hysteresis: 0 },
      });
      const writer = new Metrics(client(), { prefix, clock });
      const fired = { [steady.id]: 0, [jumpy.id]: 0 };
      for (let k = 0; k < 20; k++) {
        writer.record('flap.value', k % 2 === 0 ? 105 : 95);
        clock.advance(1000);
        await writer.flush();
        for (const a of await services.metrics.evaluate(profileId))
          if (a.state === 'firing' && a.ruleId in fired) fired[a.ruleId] = (fired[a.ruleId] ?? 0) + 1;
      }
      expect(fired[steady.id]).toBe(1);
      expect(fired[jumpy.id]).toBe(10);
      await writer.close();
    });

    it('refuses bad input with typed errors and stores nothing of it', async () => {
      const writer = new Metrics(client(), { prefix, clock });
      expect(codeOf(() => writer.record('Bad Name', 1))).toBe('VALIDATION');
      expect(codeOf(() => writer.record('bad.{tag}', 1))).toBe('VALIDATION');
      expect(codeOf(() => writer.record('never.stored', Number.NaN))).toBe('VALIDATION');
      expect(codeOf(() => writer.record('never.stored', 1, { 'Bad-Key': 'x' }))).toBe('VALIDATION');
      expect(codeOf(() => writer.record('never.stored', 1, { host: 'has space' }))).toBe('VALIDATION');
      // The cardinality cap: 64 tag sets per series; the 65th is refused at once.
      for (let i = 0; i < 64; i++) writer.record('cap.series', i, { n: `v${i}` });
      expect(codeOf(() => writer.record('cap.series', 1, { n: 'v64' }))).toBe('VALIDATION');
      await writer.close();
      // Another writer does not know the series is full: Redis refuses the new tag set on flush.
      const other = new Metrics(client(), { prefix, clock });
      other.record('cap.series', 1, { n: 'late' });
      other.record('cap.series', 2, { n: 'v1' });
      expect(await rejection(other.flush())).toBe('VALIDATION');
      await other.close();
      const probe = client();
      expect(await probe.hlen(metricSeriesKeys(prefix, 'cap.series').tags)).toBe(64);
      expect(await rejection(query('cap.series', '1h', clock.now() - HOUR, clock.now() + 1, { n: 'late' }))).toBe('NOT_FOUND');
      const v1 = await query('cap.series', '1h', clock.now() - HOUR, clock.now() + 1, { n: 'v1' });
      expect(v1.buckets.reduce((n, b) => n + b.count, 0)).toBe(2);

      const names = (await api.call('metrics.series', { profileId })).map((s) => s.series);
      expect(names).not.toContain('never.stored');
      expect(names).not.toContain('Bad Name');
      expect(await rejection(query('rpc.latency', '1s', clock.now(), clock.now() - 1000))).toBe('VALIDATION');
      expect(await rejection(query('rpc.latency', '1s', clock.now(), clock.now()))).toBe('VALIDATION');
      expect(await rejection(query('never.stored', '1s', clock.now() - 1000, clock.now()))).toBe('NOT_FOUND');
      expect(await rejection(query('rpc.latency', '1s', 0, clock.now()))).toBe('VALIDATION');
      expect(
        await rejection(api.call('metrics.query', { profileId, series: 'rpc.latency', from: 0, to: 1, resolution: '5s' as '1s' })),
      ).toBe('VALIDATION');
      expect(
        await rejection(
          api.call('alerts.setRule', {
            profileId,
            rule: {
              name: 'x',
              series: 'a.b',
              stat: 'p42' as 'p99',
              windowSec: 1,
              op: 'gt',
              threshold: 1,
              forSec: 0,
              hysteresis: 0,
              severity: 'warning',
              enabled: true,
            },
          }),
        ),
      ).toBe('VALIDATION');
      expect(await rejection(api.call('alerts.ack', { profileId, id: 'no-such-alert' }))).toBe('NOT_FOUND');
    });

    it('collects the built-in series while connected, and nothing on a read-only profile (which usage says)', async () => {
      const readOnlyPrefix = `${prefix}-ro`;
      const ro = await services.profiles.save({ ...profileOf({}), name: `metrics-ro-${kind}`, keyPrefix: readOnlyPrefix, readOnly: true });
      await services.connections.connect(ro.id);
      // The health beat ran at connect; its figures are written on the recorder's next flush.
      await expect
        .poll(async () => (await api.call('metrics.series', { profileId })).map((s) => s.series), { timeout: 10_000 })
        .toContain('redis.ping_ms');
      const usage = await api.call('metrics.usage', { profileId });
      expect(usage).toMatchObject({ collecting: true, limits: { maxSeries: 1000, maxTagSetsPerSeries: 64 } });
      expect(usage.keys).toBeGreaterThan(0);
      expect(usage.bytesByResolution['1s']).toBeGreaterThan(0);
      const roUsage = await api.call('metrics.usage', { profileId: ro.id });
      expect(roUsage).toMatchObject({ collecting: false, series: 0, keys: 0 });
      expect(roUsage.reason).toContain('read-only');
      expect(await api.call('metrics.series', { profileId: ro.id })).toEqual([]);
    });
  });
