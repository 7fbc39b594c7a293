import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { HealthCollector } from '../../src/main/features/health/health-collector';
import { DEFAULT_THRESHOLDS } from '../../src/shared/model/health';
import { bed, harness, standalone } from '../support/bed';

const h = harness();
afterAll(() => h.services.dispose());

describe('a node the collector could not read', () => {
  it('keeps its last figures marked stale with their time, never zeros or a live-looking PING', async () => {
    const profile = await h.services.profiles.save({ ...standalone(), name: 'health-stale' });
    await h.services.connections.connect(profile.id);
    const session = h.services.connections.session(profile.id);
    const collector = new HealthCollector(session.profile, session.client);
    await collector.samplePing();
    const good = await collector.collect(DEFAULT_THRESHOLDS);
    const before = good.nodes[0];
    expect(before?.link).toBe('connected');
    expect(before?.usedMemory).toBeGreaterThan(0);
    expect(before?.stale).toBeUndefined();

    // A paused server answers nothing within the probe timeout: to the collector it is unreachable.
    const admin = new Redis(bed.standalone.port, '127.0.0.1');
    await admin.call('CLIENT', 'PAUSE', '4000', 'ALL');
    try {
      await collector.samplePing();
      const blind = await collector.collect(DEFAULT_THRESHOLDS);
      const node = blind.nodes[0];
      expect(node?.link).toBe('unreachable');
      expect(node).toMatchObject({
        stale: true,
        lastSeen: good.at,
        usedMemory: before?.usedMemory,
        connectedClients: before?.connectedClients,
      });
      expect(node?.latency).toEqual({ samples: 0 });
      expect(blind.latency.samples).toBe(0);
      expect(blind.memory).toMatchObject({ unreadNodes: 1 });
    } finally {
      await admin.call('CLIENT', 'UNPAUSE');
      admin.disconnect();
    }
  }, 30_000);
});
