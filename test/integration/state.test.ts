import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VersionedState, type StateChange } from '../../src/main/features/state/versioned-state';
import type { RedisClient } from '../../src/main/redis/client-options';
import { stateKeys } from '../../src/main/redis/keyspace';
import { nodeHandles } from '../../src/main/redis/nodes';
import { SwarmdeckError } from '../../src/shared/errors';
import { ROOT, bed, cluster, harness, redisTargets, standalone } from '../support/bed';
import { clientPool, refusal } from '../support/harness';
import { sleep } from '../support/sleep';

const run = `state${process.pid}`;
const CLI = join(ROOT, 'bin/swarmdeck.js');

/** Keys on every master of the server a client talks to. */
async function keyCount(client: RedisClient): Promise<number> {
  const sizes = await Promise.all(nodeHandles(client, 'master').map((n) => n.client.dbsize()));
  return Math.max(
    100,
    sizes.reduce((a, b) => a + b, 0),
  );
}
describe.each(redisTargets())('versioned state on %s', (kind, connect) => {
  const { open, disconnect } = clientPool(connect);
  const prefix = `${run}${kind}`;
  afterAll(disconnect);

  it('of 20 clients setting the same expected version, exactly one wins each round; the others get the winner in CONFLICT', async () => {
    const writers = Array.from({ length: 20 }, () => new VersionedState(open(), prefix));
    let version = 0;
    for (let round = 0; round < 10; round += 1) {
      const results = await Promise.allSettled(
        writers.map((w, i) => w.set('race:counter', `round ${round} by ${i}`, { expectVersion: version, source: `w${i}` })),
      );
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [{ i, version: r.value.version }] : []));
      expect(won).toHaveLength(1);
      const winner = won[0] as { i: number; version: number };
      expect(winner.version).toBe(version + 1);
      for (const r of results) {
        if (r.status === 'fulfilled') continue;
        expect(r.reason).toBeInstanceOf(SwarmdeckError);
        expect((r.reason as SwarmdeckError).code).toBe('CONFLICT');
        // A loser learns the value it lost to, without another read.
        expect((r.reason as SwarmdeckError).details).toMatchObject({
          version: winner.version,
          value: `round ${round} by ${winner.i}`,
          source: `w${winner.i}`,
        });
      }
      version = winner.version;
    }
    const current = await writers[0]?.get('race:counter');
    expect(current?.version).toBe(10);
  });

  it('a conflict never overwrites; the last N versions are kept newest first', async () => {
    const state = new VersionedState(open(), prefix, { keep: 3 });
    for (let i = 1; i <= 5; i += 1)
      expect(await state.set('hist:a', `v${i}`, { source: 'agent-1', meta: { step: String(i) } })).toEqual({ version: i });
    const conflict = await refusal(state.set('hist:a', 'stale', { expectVersion: 4 }));
    expect(conflict).toMatchObject({ code: 'CONFLICT', details: { version: 5, value: 'v5', expected: 4 } });
    expect(await state.get('hist:a')).toMatchObject({ version: 5, value: 'v5', source: 'agent-1', meta: { step: '5' } });
    expect((await state.history('hist:a')).map((v) => v.value)).toEqual(['v5', 'v4', 'v3']);
    // Creating needs version 0: an existing key is a conflict too.
    expect(await refusal(state.set('hist:a', 'new', { expectVersion: 0 }))).toMatchObject({ code: 'CONFLICT' });
    expect(await state.set('hist:fresh', 'new', { expectVersion: 0 })).toEqual({ version: 1 });
  });

  it('a value set with a TTL expires, and its version numbers are never reused', async () => {
    const state = new VersionedState(open(), prefix);
    await state.set('ttl:a', 'one');
    await state.set('ttl:a', 'two', { ttlMs: 100 });
    for (let i = 0; i < 100 && (await state.get('ttl:a')) !== undefined; i += 1) await sleep(50);
    expect(await state.get('ttl:a')).toBeUndefined();
    // Gone means version 0 to a writer, and the next version continues the count.
    expect(await state.set('ttl:a', 'three', { expectVersion: 0 })).toEqual({ version: 3 });
  });

  it('a watcher gets every change as an event, and resumes after the last id it saw', async () => {
    const writer = new VersionedState(open(), prefix);
    const watcher = new VersionedState(open(), prefix);
    await writer.set('watch:a', 'before');
    const abort = new AbortController();
    const seen: StateChange[] = [];
    // Watching from the entry 'before' wrote, so the writes below cannot race the watcher's start.
    const [start] = await open().xrevrange(stateKeys(prefix, 'watch:a').events, '+', '-', 'COUNT', 1);
    const watching = (async () => {
      for await (const change of watcher.watch('watch:a', { from: start?.[0], signal: abort.signal, blockMs: 200 })) {
        seen.push(change);
        if (seen.length === 5) abort.abort();
      }
    })();
    for (let i = 1; i <= 5; i += 1) await writer.set('watch:a', `v${i}`, { source: 'w' });
    await watching;
    expect(seen.map((c) => [c.version, c.previous, c.value])).toEqual([
      [2, 1, 'v1'],
      [3, 2, 'v2'],
      [4, 3, 'v3'],
      [5, 4, 'v4'],
      [6, 5, 'v5'],
    ]);
    // Changes made while nobody watched are read from where the watcher left off.
    await writer.set('watch:a', 'v6');
    await writer.set('watch:a', 'v7');
    const resumed = new AbortController();
    const later: number[] = [];
    for await (const change of watcher.watch('watch:a', { from: seen[2]?.id, signal: resumed.signal, blockMs: 200 })) {
      later.push(change.version);
      if (later.length === 4) resumed.abort();
    }
    expect(later).toEqual([5, 6, 7, 8]);
  });

  it('lists keys by namespace with SCAN (every master), within a budget', async () => {
    const client = open();
    const state = new VersionedState(client, prefix);
    for (let i = 0; i < 30; i += 1) await state.set(`ns${i % 3}:key${i}`, String(i));
    // The bed is shared with every other test file: size the budget from what the servers hold.
    const budget = 10 * (await keyCount(client));
    const all = await state.keys({ budget });
    expect(all.complete).toBe(true);
    expect(all.keys.filter((k) => k.namespace === 'ns1')).toHaveLength(10);
    const one = await state.keys({ namespace: 'ns2', budget });
    expect(one.keys.map((k) => k.key).sort()).toEqual(Array.from({ length: 10 }, (_, j) => `ns2:key${j * 3 + 2}`).sort());
  });

  it('refuses bad input with typed errors and leaves the state as it was', async () => {
    const redis = open();
    const state = new VersionedState(redis, prefix);
    await state.set('bad:a', 'kept');
    expect(await refusal(state.set('bad{a}', 'x'))).toMatchObject({ code: 'VALIDATION' });
    expect(await refusal(state.set('bad:a', 'x', { expectVersion: -1 }))).toMatchObject({ code: 'VALIDATION' });
    expect(await refusal(state.set('bad:a', 'x', { ttlMs: 0 }))).toMatchObject({ code: 'VALIDATION' });
    expect(await refusal(state.set('bad:a', 'x', { meta: { 'bad key': 'v' } }))).toMatchObject({ code: 'VALIDATION' });
    expect(await refusal(state.set('bad:a', 'x'.repeat(512 * 1024 + 1)))).toMatchObject({ code: 'VALIDATION' });
    expect(await state.get('bad:a')).toMatchObject({ version: 1, value: 'kept' });
    expect(await redis.llen(stateKeys(prefix, 'bad:a').history)).toBe(1);
    expect(await redis.exists(stateKeys(prefix, 'bad{a}').current)).toBe(0);
  });
});

describe('state through the contract and the CLI', () => {
  const h = harness();
  afterAll(() => h.services.dispose());

  it.each([
    ['standalone', standalone],
    ['cluster', cluster],
  ] as const)('on %s: set, conflict with details, history, keys; bad input refused at the boundary', async (kind, profileOf) => {
    const prefix = `${run}api${kind}`;
    const profile = await h.services.profiles.save({ ...profileOf(), name: `state-${kind}`, keyPrefix: prefix });
    await h.api.call('connections.connect', { profileId: profile.id });
    expect(
      await h.api.call('state.set', { profileId: profile.id, key: 'cfg:a', value: '{"n":1}', expectVersion: 0, source: 'test' }),
    ).toEqual({ version: 1 });
    await expect(
      h.api.call('state.set', { profileId: profile.id, key: 'cfg:a', value: '{"n":2}', expectVersion: 0 }),
    ).rejects.toMatchObject({ code: 'CONFLICT', details: { version: 1, value: '{"n":1}' } });
    await expect(h.api.call('state.set', { profileId: profile.id, key: '{braces}', value: 'x' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(h.api.call('state.set', { profileId: profile.id, key: 'cfg:a', value: 'x', expectVersion: -2 })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    expect((await h.api.call('state.get', { profileId: profile.id, key: 'cfg:a' })).entry).toMatchObject({
      version: 1,
      value: '{"n":1}',
      source: 'test',
    });
    expect((await h.api.call('state.history', { profileId: profile.id, key: 'cfg:a' })).map((v) => v.version)).toEqual([1]);
    expect((await h.api.call('state.keys', { profileId: profile.id, namespace: 'cfg', budget: 100_000 })).keys.map((k) => k.key)).toEqual([
      'cfg:a',
    ]);

    const where =
      kind === 'cluster' ? ['--cluster', `127.0.0.1:${bed.cluster.ports[0]}`] : ['--url', `redis://127.0.0.1:${bed.standalone.port}`];
    const home = mkdtempSync(join(tmpdir(), 'sd-state-'));
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, ...args, '--prefix', prefix, ...where, '--home', home], { encoding: 'utf8', timeout: 30_000 });
    const set = cli('state', 'set', 'cfg:a', '{"n":2}', '--expect-version', '1');
    expect(set.status, set.stderr).toBe(0);
    expect(set.stdout).toContain('version 2');
    const stale = cli('state', 'set', 'cfg:a', '{"n":3}', '--expect-version', '1', '--json');
    expect(stale.status).toBe(1);
    expect(JSON.parse(stale.stderr)).toMatchObject({ error: { code: 'CONFLICT' } });
    const got = cli('state', 'get', 'cfg:a', '--json');
    expect(JSON.parse(got.stdout)).toMatchObject({ version: 2, value: '{"n":2}' });
  });
});
