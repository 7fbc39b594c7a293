import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { recordAudit } from '../../src/main/features/audit/audit';
import { SwarmMessenger } from '../../src/main/features/swarms/messenger';
import { SwarmRegistry } from '../../src/main/features/swarms/swarm-registry';
import { swarmKeys } from '../../src/main/redis/keyspace';
import type { SwarmWatch } from '../../src/shared/contract/swarms';
import type { AppEvent } from '../../src/shared/events';
import type { StreamEntry } from '../../src/shared/model/task';
import { cluster, harness, ok, redisTargets, standalone } from '../support/bed';

const h = harness();
afterAll(() => h.services.dispose());

/** Everything the bus pushes during a test, as the renderer would receive it. */
const pushed: AppEvent[] = [];
const unsubscribe = h.services.bus.subscribe((e) => pushed.push(e));
afterAll(unsubscribe);
const of = <T extends AppEvent['type']>(type: T, swarmId: string) =>
  pushed.filter((e): e is Extract<AppEvent, { type: T }> => e.type === type && 'swarmId' in e && e.swarmId === swarmId);

describe.each(redisTargets().map(([kind, connect], i) => ({ kind, connect, profile: i === 0 ? standalone : cluster })))(
  'swarm watch on $kind',
  ({ kind, connect, profile }) => {
    const direct = connect();
    afterAll(() => direct.disconnect());
    let profileId = '';
    const connected = async (): Promise<string> => {
      profileId ||= (await h.services.profiles.save(profile({ name: `watch-${kind}` }))).id;
      await h.services.connections.connect(profileId);
      return profileId;
    };

    it('backfills, then pushes status changes, heartbeats and messages in stream order with no gap', async () => {
      const dev = await connected();
      const registry = new SwarmRegistry(direct);
      const id = `watch-${randomBytes(4).toString('hex')}`;
      await registry.create({ id, name: 'watched', topology: 'star', strategy: 'quorum', maxAgents: 10 });
      for (const agent of ['hub', 'w1', 'w2']) await registry.register(id, { id: agent, role: agent === 'hub' ? 'coordinator' : 'worker' });
      await registry.heartbeatMany(id, [{ agentId: 'hub' }, { agentId: 'w1' }, { agentId: 'w2' }]);

      // Writers keep appending while the watch is being set up: the backfill and the tail must meet exactly.
      let writing = true;
      let status: 'paused' | 'running' = 'running';
      const toggle = () => registry.setStatus(id, (status = status === 'running' ? 'paused' : 'running'), 'writer');
      const writer = (async () => {
        for (let i = 0; writing && i < 200; i++) await toggle();
      })();
      const watch = await ok<SwarmWatch>(h.dispatch('swarms.watch', { profileId: dev, swarmId: id, count: 3 }));
      writing = false;
      await writer;
      await toggle();
      expect(watch.events).toHaveLength(3);

      await registry.heartbeat(id, { agentId: 'w1', status: 'busy', task: 't-1', load: 0.75 });
      const messageId = await new SwarmMessenger(registry, id).send('hub', 'w1', 'task.assign', 'do it');

      const all = (await direct.xrange(swarmKeys('sd', id).events, '-', '+')).map(([eid]) => eid);
      await vi.waitFor(
        () => {
          expect(
            of('swarm.events', id)
              .flatMap((e) => e.entries)
              .at(-1)?.id,
          ).toBe(all.at(-1));
          expect(
            of('swarm.messages', id)
              .flatMap((e) => e.messages)
              .map((m) => m.id),
          ).toContain(messageId);
          expect(of('swarm.detail', id).some((e) => e.detail.agents.find((a) => a.id === 'w1')?.reported === 'busy')).toBe(true);
        },
        { timeout: 15_000, interval: 50 },
      );

      const tail = of('swarm.events', id).flatMap((e) => e.entries.map((entry: StreamEntry) => entry.id));
      const backfill = watch.events.map((e) => e.id).reverse();
      // Oldest first: the backfill's three, then every later entry of the stream once, in order.
      expect([...backfill, ...tail]).toEqual(all.slice(all.indexOf(backfill[0] as string)));
      expect(
        of('swarm.events', id)
          .flatMap((e) => e.entries)
          .some((e) => e.fields.type === 'agent.status' && e.fields.agent === 'w1'),
      ).toBe(true);
      expect(
        of('swarm.messages', id)
          .flatMap((e) => e.messages)
          .map((m) => m.id),
      ).toEqual([messageId]);

      expect(await ok(h.dispatch('swarms.unwatch', { profileId: dev, watchId: watch.watchId }))).toEqual({ stopped: true });
      expect(h.services.swarmMonitor.count(dev)).toBe(0);
    });

    it('stops watching when the connection closes', async () => {
      const dev = await connected();
      const registry = new SwarmRegistry(direct);
      const id = `watch-${randomBytes(4).toString('hex')}`;
      await registry.create({ id, name: 'closing', topology: 'mesh', strategy: 'quorum', maxAgents: 4 });
      await ok<SwarmWatch>(h.dispatch('swarms.watch', { profileId: dev, swarmId: id }));
      expect(h.services.swarmMonitor.count(dev)).toBe(1);
      await h.services.connections.disconnect(dev);
      expect(h.services.swarmMonitor.count(dev)).toBe(0);
    });

    it('filters audit.recent by target and action in main, past the newest hundreds of others', async () => {
      const dev = await connected();
      const session = h.services.connections.session(dev);
      const target = `audit-${randomBytes(4).toString('hex')}`;
      await recordAudit(session, 'swarm.pause', target, 'old one');
      await recordAudit(session, 'swarm.resume', target, 'old two');
      for (let i = 0; i < 700; i++) await recordAudit(session, 'queue.purge', `other-${i % 7}`, 'noise');

      const mine = await ok<StreamEntry[]>(h.dispatch('audit.recent', { profileId: dev, count: 10, target }));
      expect(mine.map((e) => e.fields.detail)).toEqual(['old two', 'old one']);
      const paused = await ok<StreamEntry[]>(h.dispatch('audit.recent', { profileId: dev, count: 10, target, action: 'swarm.pause' }));
      expect(paused.map((e) => e.fields.detail)).toEqual(['old one']);
      const family = await ok<StreamEntry[]>(h.dispatch('audit.recent', { profileId: dev, count: 5, action: 'queue.' }));
      expect(family).toHaveLength(5);
      expect(family.every((e) => e.fields.action === 'queue.purge')).toBe(true);
    });
  },
);
