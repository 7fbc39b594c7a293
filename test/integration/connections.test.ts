import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ConnectionTestResult } from '../../src/shared/model/health';
import type { ProfileInput, ProfileView } from '../../src/shared/model/profile';
import { acl, bed, cluster, harness, ok, standalone, tls } from '../support/bed';

const h = harness();
afterAll(() => h.services.dispose());

async function save(profile: ProfileInput, password?: string): Promise<ProfileView> {
  return ok(h.dispatch('profiles.save', { profile, ...(password !== undefined ? { password } : {}) }));
}

let counter = 0;
const unique = (p: ProfileInput): ProfileInput => ({ ...p, name: `${p.name}-${(counter += 1)}` });

describe('connecting', () => {
  afterEach(() => h.services.connections.closeAll());

  it('connects to a standalone server and answers PING through the contract', async () => {
    const profile = await save(unique(standalone()));
    const status = await ok<{ state: string }>(h.dispatch('connections.connect', { profileId: profile.id }));
    expect(status.state).toBe('connected');
    const ping = await ok<{ ms: number }>(h.dispatch('redis.ping', { profileId: profile.id }));
    expect(ping.ms).toBeGreaterThan(0);
  });

  it('discovers all six cluster nodes from one seed', async () => {
    const test = await ok<ConnectionTestResult>(h.dispatch('profiles.test', { profile: cluster() }));
    expect(test.ok).toBe(true);
    expect(test.steps.map((s) => s.step)).toEqual(['dns', 'tcp', 'auth', 'cluster']);
    expect(test.nodes).toBe(6);

    const profile = await save(unique(cluster()));
    await ok(h.dispatch('connections.connect', { profileId: profile.id }));
    const snapshot = await h.services.health.snapshot(profile.id);
    expect(snapshot.clusterState).toBe('ok');
    expect(snapshot.nodes).toHaveLength(6);
    expect(snapshot.nodes.filter((n) => n.role === 'master')).toHaveLength(3);
    expect(snapshot.nodes.filter((n) => n.role === 'replica')).toHaveLength(3);
    const slots = snapshot.nodes.reduce((sum, n) => sum + n.slotCount, 0);
    expect(slots).toBe(16384);
  });

  it('connects over TLS when the CA is right, and explains a wrong CA', async () => {
    const good = await ok<ConnectionTestResult>(h.dispatch('profiles.test', { profile: tls() }));
    expect(good.ok).toBe(true);
    expect(good.steps.find((s) => s.step === 'tls')?.message).toMatch(/verified/);

    const bad = await ok<ConnectionTestResult>(h.dispatch('profiles.test', { profile: tls(join(bed.tlsDir, 'wrong-ca.crt')) }));
    expect(bad.ok).toBe(false);
    const failed = bad.steps.at(-1);
    expect(failed?.step).toBe('tls');
    expect(failed?.code).toBe('TLS_FAILED');
    expect(failed?.message).toMatch(/not signed by the configured CA|not trusted/);

    const profile = await save(unique(tls(join(bed.tlsDir, 'wrong-ca.crt'))));
    const connect = await h.dispatch('connections.connect', { profileId: profile.id });
    expect(connect.ok).toBe(false);
    if (!connect.ok) expect(connect.error.code).toBe('TLS_FAILED');
  });

  it('presents a client certificate when one is configured', async () => {
    const profile = tls(undefined, {
      tls: {
        enabled: true,
        verify: true,
        caFile: join(bed.tlsDir, 'ca.crt'),
        certFile: join(bed.tlsDir, 'client.crt'),
        keyFile: join(bed.tlsDir, 'client.key'),
      },
    });
    const result = await ok<ConnectionTestResult>(h.dispatch('profiles.test', { profile }));
    expect(result.ok).toBe(true);
  });

  it('rejects a wrong ACL password with a clear error and accepts the right one', async () => {
    const wrong = await ok<ConnectionTestResult>(h.dispatch('profiles.test', { profile: acl('admin'), password: 'nope' }));
    expect(wrong.ok).toBe(false);
    expect(wrong.steps.at(-1)).toMatchObject({ step: 'auth', code: 'AUTH_FAILED' });
    expect(wrong.steps.at(-1)?.message).toMatch(/rejected the username or password/);

    const profile = await save(unique(acl('admin')), 'nope');
    const connect = await h.dispatch('connections.connect', { profileId: profile.id });
    expect(connect.ok).toBe(false);
    if (!connect.ok) {
      expect(connect.error.code).toBe('AUTH_FAILED');
      expect(connect.error.message).not.toMatch(/\n\s+at /);
    }

    const right = await save(unique(acl('admin')), bed.acl.users.admin);
    expect(right.hasPassword).toBe(true);
    expect(JSON.stringify(right)).not.toContain(bed.acl.users.admin);
    const status = await ok<{ state: string }>(h.dispatch('connections.connect', { profileId: right.id }));
    expect(status.state).toBe('connected');
  });

  it('fails fast with a clear error when nothing listens on the port', async () => {
    const profile = await save(
      unique(standalone({ topology: { kind: 'standalone', host: '127.0.0.1', port: 1, db: 0 }, connectTimeoutMs: 1000 })),
    );
    const connect = await h.dispatch('connections.connect', { profileId: profile.id });
    expect(connect.ok).toBe(false);
    if (!connect.ok) {
      expect(connect.error.code).toBe('TCP_FAILED');
      expect(connect.error.message).toMatch(/Nothing is listening at 127\.0\.0\.1:1/);
    }
    expect(h.services.connections.list().find((s) => s.profileId === profile.id)?.state).toBe('failed');
  });

  it('gives up on a server that accepts but never answers, within the connect timeout', async () => {
    // It never reads, so it never sees the client hang up: its sockets are closed by hand.
    const accepted: Socket[] = [];
    const silent: Server = createServer((socket) => accepted.push(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const test = await ok<ConnectionTestResult>(
        h.dispatch('profiles.test', {
          profile: standalone({
            topology: { kind: 'standalone', host: '127.0.0.1', port, db: 0 },
            connectTimeoutMs: 500,
            commandTimeoutMs: 500,
          }),
        }),
      );
      expect(test.ok).toBe(false);
      expect(test.steps.at(-1)?.step).toBe('auth');
      expect(test.steps.at(-1)?.code).toBe('TIMEOUT');
    } finally {
      for (const socket of accepted) socket.destroy();
      silent.close();
    }
  });

  it('refuses writes on a read-only profile in main, and leaves data as it was', async () => {
    const direct = new Redis(bed.standalone.port, '127.0.0.1');
    await direct.set('sd:test:ro', 'before');
    const profile = await save(unique(standalone({ readOnly: true })));
    await ok(h.dispatch('connections.connect', { profileId: profile.id }));

    // The guard sits on the client every service uses, so refusals do not depend on a caller.
    const client = h.services.connections.session(profile.id).client;
    await expect(client.call('SET', 'sd:test:ro', 'after')).rejects.toMatchObject({ code: 'READ_ONLY' });
    await expect(client.call('FLUSHALL')).rejects.toMatchObject({ code: 'READ_ONLY' });
    await expect(client.call('CONFIG', 'SET', 'maxmemory', '1')).rejects.toMatchObject({ code: 'READ_ONLY' });
    // Scripts carry no write flag, yet can write: only the _RO variants pass.
    await expect(client.call('EVAL', "return redis.call('SET', KEYS[1], 'lua')", '1', 'sd:test:ro')).rejects.toMatchObject({
      code: 'READ_ONLY',
    });
    expect(await client.call('EVAL_RO', "return redis.call('GET', KEYS[1])", '1', 'sd:test:ro')).toBe('before');

    // Pipelines and transactions too.
    await expect(client.del('sd:test:ro')).rejects.toMatchObject({ code: 'READ_ONLY' });
    await expect(client.pipeline().get('sd:test:ro').set('sd:test:ro', 'piped').exec()).rejects.toMatchObject({ code: 'READ_ONLY' });
    await expect(client.multi().set('sd:test:ro', 'multi').exec()).rejects.toMatchObject({ code: 'READ_ONLY' });
    const reads = await client.pipeline().get('sd:test:ro').exists('sd:test:ro').exec();
    expect(reads?.map(([, value]) => value)).toEqual(['before', 1]);

    expect(await client.get('sd:test:ro')).toBe('before');
    expect(await direct.get('sd:test:ro')).toBe('before');
    direct.disconnect();
  });

  it('keeps several profiles connected at once', async () => {
    const a = await save(unique(standalone()));
    const b = await save(unique(cluster()));
    await ok(h.dispatch('connections.connect', { profileId: a.id }));
    await ok(h.dispatch('connections.connect', { profileId: b.id }));
    const list = await ok<{ profileId: string; state: string }[]>(h.dispatch('connections.list', {}));
    expect(list.filter((s) => s.state === 'connected').map((s) => s.profileId)).toEqual(expect.arrayContaining([a.id, b.id]));
    await ok(h.dispatch('connections.disconnect', { profileId: a.id }));
    expect(h.services.connections.list().find((s) => s.profileId === a.id)?.state).toBe('disconnected');
    const ping = await h.dispatch('redis.ping', { profileId: a.id });
    expect(ping.ok ? 'ok' : ping.error.code).toBe('NOT_CONNECTED');
  });
});
