import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../src/shared/events';
import type { ConnectionState, HealthSnapshot } from '../../src/shared/model/health';
import { bed, BED_DIR, cluster, harness, ROOT } from '../support/bed';
import { until } from '../support/harness';

const bedDir = BED_DIR;

/** The first health snapshot seen so far that `match` accepts, polled with the shared deadline. */
function seen<T>(what: string, events: AppEvent[], match: (snapshot: HealthSnapshot) => T | undefined): Promise<T> {
  return until(
    what,
    () => {
      for (const event of events) {
        const found = event.type === 'health' ? match(event.snapshot) : undefined;
        if (found !== undefined) return found;
      }
      return undefined;
    },
    25_000,
  );
}

describe('a cluster master dies during a health stream', () => {
  const h = harness({ healthIntervalMs: 250 });
  afterAll(async () => {
    await h.services.dispose();
    // Bring the killed node back; it rejoins as a replica of its successor.
    execFileSync(process.execPath, [join(ROOT, 'scripts/test-redis.mjs'), 'start'], { stdio: 'inherit' });
  });

  it('shows the failure, then the promoted replica, and never drops the connection', async () => {
    const events: AppEvent[] = [];
    h.services.bus.subscribe((e) => events.push(e));
    const profile = await h.services.profiles.save({ ...cluster(), name: 'failover' });
    await h.services.connections.connect(profile.id);
    const before = await seen('a healthy snapshot', events, (s) => (s.clusterState === 'ok' && s.nodes.length === 6 ? s : undefined));

    // Kill a master that is not the seed, so discovery from the seed stays possible.
    const victim = before.nodes.find((n) => n.role === 'master' && n.address !== `127.0.0.1:${bed.cluster.ports[0]}`);
    expect(victim).toBeDefined();
    const replica = before.nodes.find((n) => n.masterAddress === victim?.address);
    expect(replica).toBeDefined();
    const port = victim?.address.split(':')[1];
    const pid = Number(readFileSync(join(bedDir, `cluster-${port}`, 'redis.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    events.length = 0;

    const seenDown = await seen(
      'the dead master to show',
      events,
      (s) => s.nodes.find((n) => n.address === victim?.address && n.link !== 'connected')?.link,
    );
    expect(['fail', 'pfail', 'unreachable']).toContain(seenDown);

    const after = await seen('the replica promoted and the cluster ok', events, (s) =>
      s.clusterState === 'ok' && s.nodes.find((n) => n.address === replica?.address)?.role === 'master' ? s : undefined,
    );
    expect(after.nodes.filter((n) => n.role === 'master' && n.link === 'connected')).toHaveLength(3);
    expect(after.nodes.find((n) => n.address === victim?.address)?.link).not.toBe('connected');
    expect(after.alerts.some((a) => a.node === victim?.address && a.severity === 'critical')).toBe(true);

    const states = events.flatMap((e) => (e.type === 'connection.status' ? [e.status.state] : [])) as ConnectionState[];
    expect(states).not.toContain('failed');
    expect(h.services.connections.list().find((s) => s.profileId === profile.id)?.state).toBe('connected');

    // The cluster keeps serving every slot through the same client.
    const client = h.services.connections.session(profile.id).client;
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) await client.set(`sd:failover:${key}`, key);
    expect(await client.get('sd:failover:c')).toBe('c');
  }, 60_000);
});
