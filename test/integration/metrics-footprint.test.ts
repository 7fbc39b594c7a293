import { randomBytes } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { inProcessClient } from '../../src/main/api/client';
import { dispatchFor } from '../../src/main/api/handlers';
import { Metrics, ringSlots } from '../../src/main/features/metrics/metrics';
import type { RedisClient } from '../../src/main/redis/client-options';
import { metricKeyKind, metricSeriesKeys, metricsPattern, metricsRegistryKey } from '../../src/main/redis/keyspace';
import { nodeHandles } from '../../src/main/redis/nodes';
import { createServices } from '../../src/main/services';
import { DEFAULT_RETENTION, RESOLUTIONS, type Resolution } from '../../src/shared/model/metrics';
import type { ProfileInput } from '../../src/shared/model/profile';
import { bed, cluster, standalone, tempHome } from '../support/bed';
import { ManualClock } from '../support/clock';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Beats of 10 s in the last hour, both ends in: [now - 1 h, now]. */
const BEATS_IN_HOUR = HOUR / 10_000 + 1;

const targets: [string, () => RedisClient, (o: Partial<ProfileInput>) => ProfileInput][] = [
  ['standalone', () => new Redis(bed.standalone.port, '127.0.0.1'), standalone],
  ['cluster', () => new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }]), cluster],
];

/** Every metric key of the prefix (series, rings, legacy buckets) and its registry, on every master, by SCAN. */
async function metricKeys(client: RedisClient, prefix: string): Promise<string[]> {
  const found = (await client.exists(metricsRegistryKey(prefix))) === 1 ? [metricsRegistryKey(prefix)] : [];
  for (const node of nodeHandles(client, 'master')) {
    let cursor = '0';
    do {
      const [next, batch] = await node.client.scan(cursor, 'MATCH', metricsPattern(prefix), 'COUNT', 1000);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
  }
  return found.sort();
}

for (const [kind, connect, profileOf] of targets)
  describe(`metrics footprint on ${kind}`, () => {
    const probe = connect();
    const disposers: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const dispose of disposers) await dispose();
      probe.disconnect();
    });

    /**
     * A collecting host whose clock starts `span` ago and runs to now, its built-in series fed
     * every `stepMs` from the health snapshot and queue summaries its monitors pushed.
     */
    async function host(span: number, stepMs: number, overrides: Partial<ProfileInput> = {}) {
      const prefix = `fp-${kind}-${randomBytes(3).toString('hex')}`;
      const clock = new ManualClock(Math.floor((Date.now() - span) / 60_000) * 60_000);
      const services = createServices({ home: tempHome(), env: {}, healthIntervalMs: HOUR, clock, collectMetrics: true });
      disposers.push(() => services.dispose());
      const api = inProcessClient(dispatchFor(services));
      const profile = await services.profiles.save({ ...profileOf({}), name: `fp-${prefix}`, keyPrefix: prefix, ...overrides });
      await services.connections.connect(profile.id);
      for (const queue of ['orders', 'mail']) await api.call('queues.enqueue', { profileId: profile.id, queue, task: { data: 1 } });
      const snapshot = await services.health.snapshot(profile.id);
      const queues = await api.call('queues.list', { profileId: profile.id });
      const steps = Math.floor(span / stepMs);
      for (let i = 0; i < steps; i++) {
        clock.advance(stepMs);
        services.bus.emit({ type: 'health', snapshot: { ...snapshot, at: new Date(clock.now()).toISOString() } });
        services.bus.emit({ type: 'queues', profileId: profile.id, queues });
        services.metrics.recorder(profile.id)?.record('fp.beat', i);
        // Let the recorder's flushes run between beats, as they would between real ones.
        if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await services.metrics.recorder(profile.id)?.flush();
      return { prefix, profileId: profile.id, services, api, clock, steps, snapshot };
    }

    /** What the rings promise: the registry, then per series its tag hash and one ring per tag set and resolution. */
    async function promised(prefix: string): Promise<{ series: number; tagSets: number; keys: number }> {
      const names = await probe.hkeys(metricsRegistryKey(prefix));
      let tagSets = 0;
      for (const name of names) tagSets += await probe.hlen(metricSeriesKeys(prefix, name).tags);
      return { series: names.length, tagSets, keys: 1 + names.length + RESOLUTIONS.length * tagSets };
    }

    async function expectBounded(prefix: string): Promise<number> {
      const keys = await metricKeys(probe, prefix);
      const bound = await promised(prefix);
      expect(bound.tagSets).toBeGreaterThan(bound.series);
      expect(keys.length).toBe(bound.keys);
      expect(keys.filter((k) => metricKeyKind(k).kind === 'legacy')).toEqual([]);
      // Each ring holds at most its slots and its two bookkeeping fields.
      for (const key of keys) {
        const found = metricKeyKind(key);
        if (found.kind === 'ring')
          expect(await probe.hlen(key), key).toBeLessThanOrEqual(ringSlots(found.resolution as Resolution, DEFAULT_RETENTION) + 2);
      }
      return keys.length;
    }

    it('after an hour and after a day of built-in series, keeps exactly 1 + series + 3 × tag sets keys', async () => {
      const hour = await host(HOUR, 2000);
      const afterHour = await expectBounded(hour.prefix);
      // A key per bucket held 3,600 + 60 + 2 buckets per tag set after this hour; the rings hold 3.
      expect(afterHour).toBeLessThan((await promised(hour.prefix)).tagSets * 4 + 2);
      const day = await host(DAY, 10_000);
      const afterDay = await expectBounded(day.prefix);

      // And the day reads back: every 10 s beat of the day in the hours, the last hour in seconds.
      const beat = { series: 'fp.beat', from: day.clock.now() - DAY, to: day.clock.now() + 1 } as const;
      const hours = await day.services.metrics.query(day.profileId, { ...beat, resolution: '1h' });
      expect(hours.buckets.reduce((n, b) => n + b.count, 0)).toBe(day.steps);
      expect(hours.buckets.reduce((n, b) => n + b.sum, 0)).toBe((day.steps * (day.steps - 1)) / 2);
      const seconds = await day.services.metrics.query(day.profileId, { ...beat, from: day.clock.now() - HOUR, resolution: '1s' });
      expect(seconds.buckets.map((b) => b.sum)).toEqual(Array.from({ length: BEATS_IN_HOUR }, (_, k) => day.steps - BEATS_IN_HOUR + k));
      const nodes = day.snapshot.nodes.length;
      const ping = await day.services.metrics.query(day.profileId, {
        ...beat,
        series: 'redis.ping_ms',
        from: day.clock.now() - HOUR,
        resolution: '1s',
      });
      expect(ping.buckets.map((b) => b.count)).toEqual(Array(BEATS_IN_HOUR).fill(nodes));
      const usage = await day.api.call('metrics.usage', { profileId: day.profileId });
      expect(usage).toMatchObject({ keys: afterDay - 1, legacyKeys: 0 });
      expect(usage.own.keys).toBeGreaterThanOrEqual(afterDay);
      expect(usage.own.parts.map((p) => p.name)).toEqual(expect.arrayContaining(['metric series', 'series registry', 'audit']));
    });

    it('wraps a ring: a bucket a whole ring older is overwritten, the ones kept read back exactly', async () => {
      const prefix = `fp-ring-${kind}-${randomBytes(3).toString('hex')}`;
      // Ahead of the server's clock, so no bucket is past its (one-minute) retention when written.
      const clock = new ManualClock(Math.ceil(Date.now() / 60_000) * 60_000);
      const retention = { '1s': 60_000 };
      const client = connect();
      disposers.push(async () => client.disconnect());
      const writer = new Metrics(client, { prefix, clock, retention });
      for (let i = 0; i < 600; i++) {
        writer.record('wrap.value', i);
        clock.advance(1000);
      }
      await writer.close();
      const ring = metricSeriesKeys(prefix, 'wrap.value').ring('1s', '_');
      expect(await probe.hlen(ring)).toBe(61 + 2);
      const services = createServices({ home: tempHome(), env: {}, healthIntervalMs: HOUR, clock });
      disposers.push(() => services.dispose());
      const profile = await services.profiles.save({ ...profileOf({}), name: `ring-${prefix}`, keyPrefix: prefix });
      await services.connections.connect(profile.id);
      const read = (from: number, to: number) =>
        services.metrics.query(profile.id, { series: 'wrap.value', resolution: '1s', from, to }).then((r) => r.buckets);
      const last = await read(clock.now() - 61_000, clock.now());
      expect(last.map((b) => b.sum)).toEqual(Array.from({ length: 61 }, (_, k) => 539 + k));
      // Five minutes back the slots hold newer buckets: nothing of the old ones is read.
      expect(await read(clock.now() - 300_000, clock.now() - 240_000)).toEqual([]);
      const minutes = await services.metrics.query(profile.id, {
        series: 'wrap.value',
        resolution: '1m',
        from: clock.now() - 600_000,
        to: clock.now(),
      });
      expect(minutes.buckets.map((b) => b.count)).toEqual(Array(10).fill(60));
    });

    it('reads the buckets written a key each before the rings, merged with the ring where both hold one', async () => {
      const prefix = `fp-legacy-${kind}-${randomBytes(3).toString('hex')}`;
      const minute = Math.floor(Date.now() / 60_000) * 60_000;
      const keys = metricSeriesKeys(prefix, 'old.value');
      // As the versions before the rings wrote them: a hash per bucket, expiring with its retention.
      for (const [start, c, s, mn, mx] of [
        [minute - 60_000, 2, 30, 10, 20],
        [minute, 1, 5, 5, 5],
      ] as const) {
        const key = keys.legacyBucket('1m', '_', start);
        await probe.hset(key, { c, s, mn, mx, h117: c });
        await probe.pexpireat(key, start + 60_000 + DEFAULT_RETENTION['1m']);
      }
      const client = connect();
      disposers.push(async () => client.disconnect());
      const writer = new Metrics(client, { prefix, clock: new ManualClock(minute + 1000) });
      writer.record('old.value', 7);
      await writer.close();
      const services = createServices({ home: tempHome(), env: {}, healthIntervalMs: HOUR });
      disposers.push(() => services.dispose());
      const profile = await services.profiles.save({ ...profileOf({}), name: `legacy-${prefix}`, keyPrefix: prefix });
      await services.connections.connect(profile.id);
      const { buckets } = await services.metrics.query(profile.id, {
        series: 'old.value',
        resolution: '1m',
        from: minute - 60_000,
        to: minute + 60_000,
      });
      expect(buckets.map(({ start, count, sum, min, max }) => ({ start, count, sum, min, max }))).toEqual([
        { start: minute - 60_000, count: 2, sum: 30, min: 10, max: 20 },
        { start: minute, count: 2, sum: 12, min: 5, max: 7 },
      ]);
      const usage = await services.metrics.usage(profile.id);
      expect(usage.legacyKeys).toBe(2);
    });

    it('writes no metric key for a profile whose recording is off, while one beside it records', async () => {
      const on = await host(60_000, 2000);
      const off = await host(60_000, 2000, { recordMetrics: false });
      expect(await promised(on.prefix)).toMatchObject({ series: expect.any(Number) });
      expect((await promised(on.prefix)).series).toBeGreaterThan(0);
      expect(off.services.metrics.recorder(off.profileId)).toBeUndefined();
      expect(await metricKeys(probe, off.prefix)).toEqual([]);
      const usage = await off.api.call('metrics.usage', { profileId: off.profileId });
      expect(usage).toMatchObject({ collecting: false, series: 0, keys: 0 });
      expect(usage.reason).toContain('switched off');
    });
  });
