import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { bed, harness, standalone } from '../support/bed';

describe('alerts from a live server', () => {
  const h = harness({ healthIntervalMs: 200 });
  const admin = new Redis(bed.standalone.port, '127.0.0.1');
  afterAll(async () => {
    await admin.config('SET', 'maxmemory', '0');
    admin.disconnect();
    await h.services.dispose();
  });

  it('raises a critical memory alert when used memory crosses the threshold, and clears it', async () => {
    const profile = await h.services.profiles.save({ ...standalone(), name: 'memory' });
    await h.services.connections.connect(profile.id);
    const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1]);
    // maxmemory just above what is used: the ratio lands near 100 %, over the critical level.
    await admin.config('SET', 'maxmemory', String(Math.ceil(used * 1.02)));
    await expect
      .poll(async () => (await h.services.health.snapshot(profile.id)).alerts.map((a) => a.id + a.severity), { timeout: 10_000 })
      .toContain(`memory:127.0.0.1:${bed.standalone.port}critical`);
    await admin.config('SET', 'maxmemory', '0');
    await expect.poll(async () => (await h.services.health.snapshot(profile.id)).alerts.length, { timeout: 10_000 }).toBe(0);
  });
});
