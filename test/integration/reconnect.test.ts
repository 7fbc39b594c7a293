import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../src/shared/model/health';
import { findOnPath } from '../../src/main/redis/server-launcher';
import { harness } from '../support/bed';

function redisServer(port: number): Promise<ChildProcess> {
  const child = spawn(
    findOnPath('redis-server') as string,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  return new Promise((resolve) => setTimeout(() => resolve(child), 300));
}

describe('a standalone server that goes away and comes back', () => {
  const h = harness({ healthIntervalMs: 200 });
  let server: ChildProcess | undefined;
  afterAll(async () => {
    server?.kill('SIGKILL');
    await h.services.dispose();
  });

  it('shows reconnecting with the reason while it is down, then connected again', async () => {
    const sandbox = await h.services.sandbox.start();
    const port = sandbox.topology.kind === 'standalone' ? sandbox.topology.port : 0;
    const states: { state: ConnectionState; reason?: string }[] = [];
    h.services.bus.subscribe((e) => {
      if (e.type === 'connection.status') states.push({ state: e.status.state, reason: e.status.reason });
    });
    await h.services.connections.connect(sandbox.id);
    await h.services.sandbox.stop();

    await expect.poll(() => states.at(-1)?.state, { timeout: 10_000 }).toBe('reconnecting');
    expect(
      states.filter((s) => s.state === 'reconnecting').every((s) => /Nothing is listening|closed the connection/.test(s.reason ?? '')),
    ).toBe(true);
    expect(h.services.connections.list().find((s) => s.profileId === sandbox.id)?.state).toBe('reconnecting');

    server = await redisServer(port);
    await expect
      .poll(() => h.services.connections.list().find((s) => s.profileId === sandbox.id)?.state, { timeout: 15_000 })
      .toBe('connected');
    const ping = await h.dispatch('redis.ping', { profileId: sandbox.id });
    expect(ping.ok).toBe(true);
  });
});
