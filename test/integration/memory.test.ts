import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentMemory } from '../../src/main/features/memory/agent-memory';
import { MemorySync, mergeValues } from '../../src/main/features/memory/memory-sync';
import type { RedisClient } from '../../src/main/redis/client-options';
import { SwarmdeckError } from '../../src/shared/errors';
import type { ProfileInput } from '../../src/shared/model/profile';
import { cluster, harness, redisTargets, standalone } from '../support/bed';

const h = harness();
const clients: RedisClient[] = [];
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await h.services.dispose();
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    return error instanceof SwarmdeckError ? error.code : `untyped: ${String(error)}`;
  }
  return 'no error';
}

const profileOf: Record<'standalone' | 'cluster', (o: Partial<ProfileInput>) => ProfileInput> = { standalone, cluster };

describe.each(redisTargets())('agent memory on %s', (kind, connect) => {
  const prefix = `mem-${kind}-${randomBytes(3).toString('hex')}`;
  const open = (): AgentMemory => {
    const client = connect();
    clients.push(client);
    return new AgentMemory(client, prefix);
  };
  /** Two agents' caches of one shared namespace, each with its own clock. */
  function pair(namespace: string, strategy: 'latest-wins' | 'merge' | 'agent-priority' | 'manual', priorities?: Record<string, number>) {
    const memory = open();
    const clock = { a1: 1000, a2: 1000 };
    const space = { namespace };
    return {
      memory,
      clock,
      a1: new MemorySync(memory, { agent: 'a1', space, strategy, priorities, now: () => clock.a1 }),
      a2: new MemorySync(memory, { agent: 'a2', space, strategy, priorities, now: () => clock.a2 }),
    };
  }
  async function profile(environment: 'development' | 'production' = 'development'): Promise<string> {
    const p = await h.api.call('profiles.save', {
      profile: profileOf[kind]({ name: `memory ${kind} ${environment} ${randomBytes(2).toString('hex')}`, keyPrefix: prefix, environment }),
    });
    await h.api.call('connections.connect', { profileId: p.id });
    return p.id;
  }

  it('stores versions, tags and TTL, and searches by prefix, tag and text a page at a time without missing or repeating', async () => {
    const memory = open();
    const space = { agent: 'agent-7', namespace: 'notes' };
    const written: string[] = [];
    for (let i = 0; i < 23; i++) {
      const key = `plan/${String(i).padStart(2, '0')}`;
      await memory.set(space, key, JSON.stringify({ step: i, text: i % 3 === 0 ? 'deploy the api' : 'write tests' }), {
        tags: i % 2 === 0 ? ['even', 'plan'] : ['plan'],
      });
      written.push(key);
    }
    await memory.set(space, 'other', '"x"', { ttlMs: 60_000 });
    const first = await memory.get(space, 'plan/00');
    const other = await memory.get(space, 'other');
    expect(first?.version).toBe(1);
    expect(other?.version).toBe(24);
    expect(other?.ttlMs).toBeGreaterThan(0);
    expect(first?.tags).toEqual(['even', 'plan']);

    async function all(options: { prefix?: string; tag?: string; text?: string }, count: number): Promise<string[]> {
      const seen: string[] = [];
      let cursor = '';
      for (let pages = 0; pages < 50; pages++) {
        const page = await memory.search(space, { ...options, cursor, count });
        expect(page.entries.length).toBeLessThanOrEqual(count);
        seen.push(...page.entries.map((e) => e.key));
        if (page.cursor === '') return seen;
        cursor = page.cursor;
      }
      throw new Error('the cursor never ended');
    }
    expect(await all({ prefix: 'plan/' }, 5)).toEqual(written);
    expect(await all({ tag: 'even' }, 4)).toEqual(written.filter((_, i) => i % 2 === 0));
    expect(await all({ prefix: 'plan/', text: 'deploy' }, 3)).toEqual(written.filter((_, i) => i % 3 === 0));

    // A retag and a delete leave no stale index member behind in a search.
    await memory.set(space, 'plan/00', '{"step":0}', { tags: ['plan'] });
    await memory.delete(space, 'plan/02');
    expect(await all({ tag: 'even' }, 4)).toEqual(written.filter((k, i) => i % 2 === 0 && k !== 'plan/00' && k !== 'plan/02'));
    const spaces = await memory.spaces();
    expect(spaces).toContainEqual({ agent: 'agent-7', namespace: 'notes', conflicts: 0 });
  });

  it('latest-wins: the newer change wins whichever agent syncs first', async () => {
    const { a1, a2, memory, clock } = pair('lw', 'latest-wins');
    await memory.set({ namespace: 'lw' }, 'goal', '{"v":"start"}');
    await a1.pull('goal');
    await a2.pull('goal');
    clock.a1 = 5000;
    clock.a2 = 3000;
    a1.set('goal', { v: 'a1 later' });
    a2.set('goal', { v: 'a2 earlier' });
    expect((await a2.sync()).written).toEqual(['goal']);
    // a1 changed later than a2 wrote: it overwrites.
    expect((await a1.sync()).written).toEqual(['goal']);
    expect(JSON.parse((await memory.get({ namespace: 'lw' }, 'goal'))?.value ?? '')).toEqual({ v: 'a1 later' });
    // And an older local change gives way to the newer stored one.
    clock.a2 = 4000;
    a2.set('goal', { v: 'a2 stale' });
    expect((await a2.sync()).tookRemote).toEqual(['goal']);
    expect(a2.get('goal')).toEqual({ v: 'a1 later' });
    expect(JSON.parse((await memory.get({ namespace: 'lw' }, 'goal'))?.value ?? '')).toEqual({ v: 'a1 later' });
  });

  it('merge: changes to different fields of one object both survive', async () => {
    const { a1, a2, memory } = pair('mg', 'merge');
    await memory.set({ namespace: 'mg' }, 'profile', JSON.stringify({ name: 'n', skills: { go: 1, ts: 1 }, drop: true }));
    await a1.pull('profile');
    await a2.pull('profile');
    a1.set('profile', { name: 'renamed', skills: { go: 2, ts: 1 }, drop: true });
    a2.set('profile', { name: 'n', skills: { go: 1, ts: 3 } });
    await a1.sync();
    expect((await a2.sync()).merged).toEqual(['profile']);
    expect(JSON.parse((await memory.get({ namespace: 'mg' }, 'profile'))?.value ?? '')).toEqual({
      name: 'renamed',
      skills: { go: 2, ts: 3 },
    });
    expect(mergeValues({ a: 1 }, 'text', { a: 2 })).toBeUndefined();
  });

  it('agent-priority: the higher-priority agent wins even with the older change', async () => {
    const { a1, a2, memory, clock } = pair('ap', 'agent-priority', { a1: 1, a2: 10 });
    await memory.set({ namespace: 'ap' }, 'route', '"start"');
    await a1.pull('route');
    await a2.pull('route');
    clock.a2 = 2000;
    clock.a1 = 9000;
    a2.set('route', 'a2 says');
    a1.set('route', 'a1 says');
    await a1.sync();
    expect((await a2.sync()).written).toEqual(['route']);
    a1.set('route', 'a1 again');
    expect((await a1.sync()).tookRemote).toEqual(['route']);
    expect((await memory.get({ namespace: 'ap' }, 'route'))?.value).toBe('"a2 says"');
  });

  it('manual: the conflict is kept in Redis, listed, refused without confirmation on production, and resolved', async () => {
    const { a1, a2, memory } = pair('man', 'manual');
    const space = { namespace: 'man' };
    await memory.set(space, 'doc', '{"n":0}');
    await a1.pull('doc');
    await a2.pull('doc');
    a1.set('doc', { n: 1 });
    a2.set('doc', { n: 2 });
    await a1.sync();
    expect((await a2.sync()).keptConflicts).toEqual(['doc']);
    expect(a2.get('doc')).toEqual({ n: 1 });

    const dev = await profile('development');
    const prod = await profile('production');
    const listed = await h.api.call('memory.conflicts', { profileId: dev, namespace: 'man' });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      key: 'doc',
      local: { value: '{"n":2}', baseVersion: 1, by: 'a2' },
      remote: { value: '{"n":1}', version: 2, by: 'a1' },
    });
    expect(
      (await h.api.call('memory.spaces', { profileId: dev })).find((s) => s.namespace === 'man' && s.agent === undefined)?.conflicts,
    ).toBe(1);

    // Refused: no confirmation on production, a wrong one, a value without choosing "value": nothing changes.
    expect(await codeOf(h.api.call('memory.resolve', { profileId: prod, namespace: 'man', key: 'doc', choice: 'local' }))).toBe(
      'CONFIRMATION_REQUIRED',
    );
    expect(
      await codeOf(
        h.api.call('memory.resolve', { profileId: dev, namespace: 'man', key: 'doc', choice: 'local', confirm: 'shared/man/other' }),
      ),
    ).toBe('CONFIRMATION_REQUIRED');
    expect(await codeOf(h.api.call('memory.resolve', { profileId: dev, namespace: 'man', key: 'doc', choice: 'local', value: '{}' }))).toBe(
      'VALIDATION',
    );
    expect(await h.api.call('memory.conflicts', { profileId: dev, namespace: 'man' })).toHaveLength(1);
    expect((await memory.get(space, 'doc'))?.version).toBe(2);

    const resolved = await h.api.call('memory.resolve', {
      profileId: prod,
      namespace: 'man',
      key: 'doc',
      choice: 'local',
      confirm: 'shared/man/doc',
    });
    expect(resolved.version).toBe(3);
    expect((await memory.get(space, 'doc'))?.value).toBe('{"n":2}');
    expect(await h.api.call('memory.conflicts', { profileId: dev, namespace: 'man' })).toEqual([]);
    expect(await codeOf(h.api.call('memory.resolve', { profileId: dev, namespace: 'man', key: 'doc', choice: 'remote' }))).toBe(
      'NOT_FOUND',
    );
    const audit = await h.api.call('audit.recent', { profileId: prod, count: 5 });
    expect(audit.map((e) => e.fields.action)).toContain('memory.resolve');
  });

  it('a conflict whose entry changed since it was kept is not resolved blindly', async () => {
    const { a1, a2, memory } = pair('moved', 'manual');
    const space = { namespace: 'moved' };
    await memory.set(space, 'k', '1');
    await a1.pull('k');
    await a2.pull('k');
    a1.set('k', 2);
    a2.set('k', 3);
    await a1.sync();
    await a2.sync();
    await memory.set(space, 'k', '4');
    const dev = await profile();
    expect(await codeOf(h.api.call('memory.resolve', { profileId: dev, namespace: 'moved', key: 'k', choice: 'local' }))).toBe('CONFLICT');
    expect((await memory.get(space, 'k'))?.value).toBe('4');
    expect(await memory.conflicts(space)).toHaveLength(1);
  });

  it('bad input gets typed errors and changes nothing', async () => {
    const dev = await profile();
    await h.api.call('memory.set', { profileId: dev, agent: 'b1', namespace: 'bad', key: 'k', value: '{"ok":true}' });
    const cases: [string, () => Promise<unknown>, string][] = [
      [
        'not JSON',
        () => h.api.call('memory.set', { profileId: dev, agent: 'b1', namespace: 'bad', key: 'k', value: 'not json' }),
        'VALIDATION',
      ],
      [
        'stale version',
        () => h.api.call('memory.set', { profileId: dev, agent: 'b1', namespace: 'bad', key: 'k', value: '1', expectVersion: 0 }),
        'CONFLICT',
      ],
      [
        'brace in agent',
        () => h.api.call('memory.set', { profileId: dev, agent: 'b{1}', namespace: 'bad', key: 'k', value: '1' }),
        'VALIDATION',
      ],
      ['colon in namespace', () => h.api.call('memory.get', { profileId: dev, namespace: 'a:b', key: 'k' }), 'VALIDATION'],
      [
        'bad tag',
        () => h.api.call('memory.set', { profileId: dev, agent: 'b1', namespace: 'bad', key: 'k', value: '1', tags: ['a|b'] }),
        'VALIDATION',
      ],
      [
        'foreign cursor',
        () => h.api.call('memory.search', { profileId: dev, agent: 'b1', namespace: 'bad', prefix: 'x', cursor: 'k' }),
        'VALIDATION',
      ],
      [
        'stale delete',
        () => h.api.call('memory.delete', { profileId: dev, agent: 'b1', namespace: 'bad', key: 'k', expectVersion: 9 }),
        'CONFLICT',
      ],
      ['unknown field', () => h.api.call('memory.get', { profileId: dev, namespace: 'bad', key: 'k', extra: 1 } as never), 'VALIDATION'],
    ];
    for (const [name, call, code] of cases) expect(`${name}: ${await codeOf(call())}`).toBe(`${name}: ${code}`);
    const after = await h.api.call('memory.get', { profileId: dev, agent: 'b1', namespace: 'bad', key: 'k' });
    expect(after.entry).toMatchObject({ value: '{"ok":true}', version: 1, tags: [] });
  });
});
