import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src/main/features/config/config-store';
import type { RedisClient } from '../../src/main/redis/client-options';
import { configChannel, configKeys } from '../../src/main/redis/keyspace';
import { SwarmdeckError, type FieldError } from '../../src/shared/errors';
import { CONFIG_SCOPES, configDefaults, configJsonSchema } from '../../src/shared/model/config';
import { ROOT, cluster, harness, redisTargets, standalone, tempHome } from '../support/bed';
import { ready } from '../support/harness';

const h = harness();
const clients: RedisClient[] = [];
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await h.services.dispose();
});

async function failure(p: Promise<unknown>): Promise<{ code: string; fields: FieldError[] }> {
  try {
    await p;
  } catch (error) {
    if (error instanceof SwarmdeckError) return { code: error.code, fields: error.details?.fields ?? [] };
    return { code: `untyped: ${String(error)}`, fields: [] };
  }
  return { code: 'no error', fields: [] };
}

describe('configuration schemas', () => {
  it('has the seed design defaults and a JSON Schema for every scope', () => {
    expect(configDefaults('swarm')).toMatchObject({ maxAgents: 20 });
    expect(configDefaults('agents')).toMatchObject({ heartbeatIntervalSec: 30 });
    expect(configDefaults('tasks')).toMatchObject({ timeoutSec: 300 });
    expect(configDefaults('monitoring')).toEqual({
      metricsIntervalSec: 60,
      alerts: { responseTimeMs: 5000, errorRatePercent: 5, memoryPercent: 80 },
    });
    for (const scope of CONFIG_SCOPES) expect(configJsonSchema(scope)).toMatchObject({ type: 'object', additionalProperties: false });
  });
});

// The tests share one prefix and the first watches its stream from the start: their order is kept under --sequence.shuffle.
for (const [kind, connect] of redisTargets())
  describe(`configuration on ${kind}`, { shuffle: false }, () => {
    const prefix = `cfg-${kind}-${randomBytes(3).toString('hex')}`;
    async function profile(environment: 'development' | 'production' = 'development'): Promise<string> {
      const make = kind === 'standalone' ? standalone : cluster;
      const p = await h.api.call('profiles.save', {
        profile: make({ name: `config ${kind} ${randomBytes(2).toString('hex')}`, keyPrefix: prefix, environment }),
      });
      await h.api.call('connections.connect', { profileId: p.id });
      return p.id;
    }

    it('versions every change, keeps the history, and announces it on the stream and by pub/sub', async () => {
      const client = connect();
      const subscriber = connect();
      clients.push(client, subscriber);
      const store = new ConfigStore(client, prefix);
      expect(await store.get('swarm')).toMatchObject({ version: 0, value: { maxAgents: 20 } });
      const heard: string[] = [];
      subscriber.on('message', (_channel: string, message: string) => heard.push(message));
      await ready(subscriber);
      await subscriber.subscribe(configChannel(prefix));
      const abort = new AbortController();
      const seen: number[] = [];
      const watching = (async () => {
        for await (const e of store.watch({ from: '0-0', signal: abort.signal, blockMs: 200 })) {
          seen.push(e.version);
          if (seen.length === 2) abort.abort();
        }
      })();
      await store.set('swarm', { maxAgents: 8 }, { by: 'test' });
      await store.set('swarm', { maxAgents: 12, topology: 'ring' }, { by: 'test', expectVersion: 1 });
      await watching;
      expect(seen).toEqual([1, 2]);
      expect(await store.get('swarm')).toMatchObject({ version: 2, value: { maxAgents: 12, topology: 'ring', consensusQuorum: 0.5 } });
      expect((await store.history('swarm')).map((v) => [v.version, v.value.maxAgents])).toEqual([
        [2, 12],
        [1, 8],
      ]);
      // Pub/sub arrives when it arrives: wait for it rather than for a fixed second.
      await expect.poll(() => heard.length, { timeout: 10_000 }).toBe(2);
      expect(heard).toEqual(['swarm 1', 'swarm 2']);
    });

    it('refuses an invalid document with the field and the reason, and keeps the current version', async () => {
      const id = await profile();
      await h.api.call('config.set', { profileId: id, scope: 'monitoring', value: { metricsIntervalSec: 30 } });
      const bad: [unknown, string][] = [
        [{ metricsIntervalSec: 0 }, 'value.metricsIntervalSec'],
        [{ alerts: { errorRatePercent: 150 } }, 'value.alerts.errorRatePercent'],
        [{ metricsIntervalSec: '60' }, 'value.metricsIntervalSec'],
        [{ metricIntervalSec: 60 }, 'value'],
        ['not an object', 'value'],
      ];
      for (const [value, path] of bad) {
        const f = await failure(h.api.call('config.set', { profileId: id, scope: 'monitoring', value: value as never }));
        expect(f.code).toBe('VALIDATION');
        expect(f.fields.map((x) => x.path)).toContain(path);
        expect(f.fields.every((x) => x.message.length > 0)).toBe(true);
      }
      expect((await failure(h.api.call('config.set', { profileId: id, scope: 'nope' as never, value: {} }))).code).toBe('VALIDATION');
      expect((await failure(h.api.call('config.set', { profileId: id, scope: 'monitoring', value: {}, expectVersion: 7 }))).code).toBe(
        'CONFLICT',
      );
      expect((await failure(h.api.call('config.rollback', { profileId: id, scope: 'monitoring', version: 99 }))).code).toBe('NOT_FOUND');
      const now = await h.api.call('config.get', { profileId: id, scope: 'monitoring' });
      expect(now).toMatchObject({ version: 1, value: { metricsIntervalSec: 30 } });
      expect(await h.api.call('config.history', { profileId: id, scope: 'monitoring' })).toHaveLength(1);

      // A kept version edited by hand in Redis (or valid under an older schema) is not rolled back to.
      const direct = connect();
      clients.push(direct);
      const hist = configKeys(prefix, 'monitoring').history;
      const kept = JSON.parse((await direct.lindex(hist, 0)) as string) as Record<string, unknown>;
      await direct.lset(hist, 0, JSON.stringify({ ...kept, value: JSON.stringify({ metricsIntervalSec: 'lots' }) }));
      const refused = await failure(h.api.call('config.rollback', { profileId: id, scope: 'monitoring', version: 1 }));
      expect(refused.code).toBe('VALIDATION');
      expect(await h.api.call('config.get', { profileId: id, scope: 'monitoring' })).toMatchObject({
        version: 1,
        value: { metricsIntervalSec: 30 },
      });
    });
  });

describe('promote and roll back across two environments (standalone development, cluster production)', () => {
  const prefix = `cfgx-${randomBytes(3).toString('hex')}`;

  it('diffs, promotes with confirmation on production, rolls back, and audits', async () => {
    const dev = await h.api.call('profiles.save', { profile: standalone({ name: `dev ${prefix}`, keyPrefix: prefix }) });
    const prod = await h.api.call('profiles.save', {
      profile: cluster({ name: `prod ${prefix}`, keyPrefix: prefix, environment: 'production' }),
    });
    for (const p of [dev, prod]) await h.api.call('connections.connect', { profileId: p.id });

    await h.api.call('config.set', {
      profileId: dev.id,
      scope: 'monitoring',
      value: { metricsIntervalSec: 15, alerts: { responseTimeMs: 2000, errorRatePercent: 5, memoryPercent: 80 } },
    });
    const before = await h.api.call('config.diff', { profileId: dev.id, otherProfileId: prod.id, scope: 'monitoring' });
    expect(before.changes).toEqual([
      { path: 'alerts.responseTimeMs', left: 2000, right: 5000, kind: 'changed' },
      { path: 'metricsIntervalSec', left: 15, right: 60, kind: 'changed' },
    ]);

    // Production asks for the scope's name; without it, or with another, nothing is written.
    expect((await failure(h.api.call('config.promote', { fromProfileId: dev.id, toProfileId: prod.id, scope: 'monitoring' }))).code).toBe(
      'CONFIRMATION_REQUIRED',
    );
    expect(
      (await failure(h.api.call('config.promote', { fromProfileId: dev.id, toProfileId: prod.id, scope: 'monitoring', confirm: 'swarm' })))
        .code,
    ).toBe('CONFIRMATION_REQUIRED');
    expect((await failure(h.api.call('config.promote', { fromProfileId: dev.id, toProfileId: dev.id, scope: 'monitoring' }))).code).toBe(
      'VALIDATION',
    );
    expect((await h.api.call('config.get', { profileId: prod.id, scope: 'monitoring' })).version).toBe(0);

    const promoted = await h.api.call('config.promote', {
      fromProfileId: dev.id,
      toProfileId: prod.id,
      scope: 'monitoring',
      confirm: 'monitoring',
    });
    expect(promoted).toMatchObject({ version: 1, value: { metricsIntervalSec: 15 } });
    expect((await h.api.call('config.diff', { profileId: dev.id, otherProfileId: prod.id, scope: 'monitoring' })).changes).toEqual([]);
    const history = await h.api.call('config.history', { profileId: prod.id, scope: 'monitoring' });
    expect(history[0]).toMatchObject({ version: 1, origin: 'promote' });

    // Setting an old value by hand is a rollback by another name: on production it asks like one.
    expect(
      (await failure(h.api.call('config.set', { profileId: prod.id, scope: 'monitoring', value: { metricsIntervalSec: 5 } }))).code,
    ).toBe('CONFIRMATION_REQUIRED');
    await h.api.call('config.set', { profileId: prod.id, scope: 'monitoring', value: { metricsIntervalSec: 5 }, confirm: 'monitoring' });
    expect((await failure(h.api.call('config.rollback', { profileId: prod.id, scope: 'monitoring', version: 1 }))).code).toBe(
      'CONFIRMATION_REQUIRED',
    );
    const rolled = await h.api.call('config.rollback', { profileId: prod.id, scope: 'monitoring', version: 1, confirm: 'monitoring' });
    expect(rolled).toMatchObject({ version: 3, value: { metricsIntervalSec: 15 } });
    expect((await h.api.call('config.history', { profileId: prod.id, scope: 'monitoring' })).map((v) => [v.version, v.origin])).toEqual([
      [3, 'rollback'],
      [2, 'set'],
      [1, 'promote'],
    ]);

    const audit = await h.api.call('audit.recent', { profileId: prod.id, count: 10 });
    expect(audit.map((e) => e.fields.action)).toEqual(expect.arrayContaining(['config.promote', 'config.set', 'config.rollback']));
  });

  it('the CLI gets, sets, diffs, promotes and rolls back with --json', () => {
    const home = tempHome();
    const cli = (args: string[]) => {
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/swarmdeck.js'), ...args, '--home', home, '--json'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { code: r.status, out: r.stdout ? (JSON.parse(r.stdout) as Record<string, unknown>) : undefined, err: r.stderr };
    };
    const save = (name: string, flags: string[]) =>
      spawnSync(process.execPath, [join(ROOT, 'bin/swarmdeck.js'), 'profiles', 'add', name, ...flags, '--home', home], {
        encoding: 'utf8',
      });
    const s = standalone();
    const c = cluster();
    const sPort = s.topology.kind === 'standalone' ? s.topology.port : 0;
    const cSeed = c.topology.kind === 'cluster' ? c.topology.seeds[0] : undefined;
    expect(save('clidev', ['--url', `redis://127.0.0.1:${sPort}`, '--prefix', `${prefix}c`]).status).toBe(0);
    expect(save('cliprod', ['--cluster', `127.0.0.1:${cSeed?.port}`, '--prefix', `${prefix}c`]).status).toBe(0);

    expect(cli(['config', 'get', 'tasks', '--profile', 'clidev']).out).toMatchObject({ version: 0, value: { timeoutSec: 300 } });
    const bad = cli(['config', 'set', 'tasks', '{"timeoutSec":-1}', '--profile', 'clidev']);
    expect(bad.code).not.toBe(0);
    expect(JSON.parse(bad.err)).toMatchObject({ error: { code: 'VALIDATION', details: { fields: [{ path: 'value.timeoutSec' }] } } });
    expect(cli(['config', 'set', 'tasks', '{"timeoutSec":120}', '--profile', 'clidev']).out).toMatchObject({ version: 1 });
    expect(cli(['config', 'diff', 'tasks', '--profile', 'clidev', '--to', 'cliprod']).out).toMatchObject({
      changes: [{ path: 'timeoutSec', left: 120, right: 300 }],
    });
    expect(cli(['config', 'promote', 'tasks', '--profile', 'clidev', '--to', 'cliprod']).out).toMatchObject({
      version: 1,
      value: { timeoutSec: 120 },
    });
    expect(cli(['config', 'set', 'tasks', '{"timeoutSec":90}', '--profile', 'cliprod']).out).toMatchObject({ version: 2 });
    expect(cli(['config', 'rollback', 'tasks', '1', '--profile', 'cliprod']).out).toMatchObject({ version: 3, value: { timeoutSec: 120 } });
    const search = cli(['memory', 'search', 'nobody', 'x', '--profile', 'clidev']);
    expect(search.out).toEqual({ entries: [], cursor: '' });
  });
});
