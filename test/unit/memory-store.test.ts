import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MemoryConflict, MemoryEntry } from '../../src/shared/model/memory';
import { SwarmdeckError } from '../../src/shared/errors';
import { fakeTransport as main } from '../support/fake-transport';

vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
const { PAGE, useMemory } = await import('../../src/renderer/src/features/memory/memory-store');

const entry = (key: string, version = 1, agent?: string): MemoryEntry => ({
  ...(agent ? { agent } : {}),
  namespace: 'notes',
  key,
  value: '{}',
  version,
  updatedAt: 1,
  updatedBy: 'a1',
  tags: [],
});
const conflict = (key: string): MemoryConflict => ({
  agent: 'a1',
  namespace: 'notes',
  key,
  local: { value: '1', baseVersion: 1, by: 'a1', at: 1 },
  remote: { value: '2', version: 2, by: 'a2', at: 1 },
  detectedAt: 1,
});
const store = () => useMemory.getState();
const initial = store();

beforeEach(() => {
  main.reset();
  useMemory.setState(initial, true);
  store().forProfile('p1');
});

describe('memory store', () => {
  it('opens a namespace and searches it from the start with only the criteria typed', async () => {
    main.answer('memory.search', () => ({ entries: [entry('plan')], cursor: '' }));
    store().setQuery({ prefix: 'pl', tag: '', text: '' });
    await store().choose({ agent: 'a1', namespace: 'notes' });
    expect(main.inputs('memory.search')).toEqual([{ profileId: 'p1', agent: 'a1', namespace: 'notes', prefix: 'pl', count: PAGE }]);
    expect(store().entries.map((e) => e.key)).toEqual(['plan']);
  });

  it('appends the next page from the cursor and starts over on a new search', async () => {
    main.answer('memory.search', (input) =>
      input.cursor ? { entries: [entry('b')], cursor: '' } : { entries: [entry('a')], cursor: '17' },
    );
    await store().choose({ namespace: 'notes' });
    expect(store().cursor).toBe('17');
    await store().search(store().cursor);
    expect(main.inputs('memory.search')[1]).toMatchObject({ cursor: '17' });
    expect(store()).toMatchObject({ cursor: '', entries: [{ key: 'a' }, { key: 'b' }] });
    await store().search('');
    expect(store().entries.map((e) => e.key)).toEqual(['a']);
  });

  it('drops a page that answers for a namespace no longer open', async () => {
    let answer: (page: { entries: MemoryEntry[]; cursor: string }) => void = () => undefined;
    main.answer('memory.search', () => new Promise((resolve) => (answer = resolve)));
    const late = store().choose({ namespace: 'old' });
    main.answer('memory.search', () => ({ entries: [], cursor: '' }));
    await store().choose({ namespace: 'notes' });
    answer({ entries: [entry('stale')], cursor: '9' });
    await late;
    expect(store()).toMatchObject({ space: { namespace: 'notes' }, entries: [], cursor: '' });
  });

  it('reads conflicts only with a namespace open, and reports a failed read in main’s words', async () => {
    await store().loadConflicts();
    expect(main.inputs('memory.conflicts')).toEqual([]);
    main.answer('memory.search', () => ({ entries: [], cursor: '' }));
    main.answer('memory.conflicts', () => [conflict('plan')]);
    await store().choose({ agent: 'a1', namespace: 'notes' });
    await store().loadConflicts();
    expect(store().conflicts.map((c) => c.key)).toEqual(['plan']);
    main.answer('memory.spaces', () => {
      throw new SwarmdeckError('DISCONNECTED', 'the connection is down');
    });
    await store().loadSpaces();
    expect(store().notice).toEqual({ kind: 'error', text: 'the connection is down' });
  });

  it('writes a draft by the operator, then opens its namespace and the entry written', async () => {
    main.answer('memory.set', () => ({ version: 3 }));
    main.answer('memory.spaces', () => [{ namespace: 'notes', conflicts: 0 }]);
    main.answer('memory.search', () => ({ entries: [entry('plan', 3)], cursor: '' }));
    main.answer('memory.get', () => ({ entry: entry('plan', 3) }));
    const draft = { agent: '', namespace: 'notes', key: 'plan', value: '{}', tags: 'a, b', baseVersion: 2 };
    await expect(store().write(draft, 'shared/notes/plan')).resolves.toEqual({ version: 3 });
    expect(main.inputs('memory.set')).toEqual([
      {
        profileId: 'p1',
        namespace: 'notes',
        key: 'plan',
        value: '{}',
        tags: ['a', 'b'],
        expectVersion: 2,
        by: 'operator',
        confirm: 'shared/notes/plan',
      },
    ]);
    expect(main.inputs('memory.get')).toEqual([{ profileId: 'p1', namespace: 'notes', key: 'plan' }]);
    expect(store()).toMatchObject({ space: { namespace: 'notes' }, open: { key: 'plan', version: 3 } });
  });

  it('deletes the version shown and closes it; a refused delete reaches the caller and keeps it open', async () => {
    const shown = entry('plan', 4, 'a1');
    store().show(shown);
    main.answer('memory.delete', () => {
      throw new SwarmdeckError('CONFLICT', 'a newer version exists');
    });
    await expect(store().remove(shown, undefined)).rejects.toThrow('a newer version exists');
    expect(store().open).toBe(shown);
    main.answer('memory.delete', () => ({ deleted: true }));
    await expect(store().remove(shown, 'a1/notes/plan')).resolves.toEqual({ deleted: true });
    expect(main.inputs('memory.delete')[1]).toEqual({
      profileId: 'p1',
      agent: 'a1',
      namespace: 'notes',
      key: 'plan',
      expectVersion: 4,
      confirm: 'a1/notes/plan',
    });
    expect(store().open).toBeUndefined();
  });

  it('settles a conflict with the side chosen and stops showing it', async () => {
    main.answer('memory.search', () => ({ entries: [], cursor: '' }));
    main.answer('memory.conflicts', () => [conflict('plan'), conflict('goal')]);
    await store().choose({ agent: 'a1', namespace: 'notes' });
    await store().loadConflicts();
    main.answer('memory.resolve', () => ({ version: 5 }));
    await expect(store().resolve(conflict('plan'), 'local', undefined)).resolves.toEqual({ version: 5 });
    expect(main.inputs('memory.resolve')).toEqual([{ profileId: 'p1', agent: 'a1', namespace: 'notes', key: 'plan', choice: 'local' }]);
    expect(store().conflicts.map((c) => c.key)).toEqual(['goal']);
  });

  it('forgets another connection’s memory', async () => {
    main.answer('memory.search', () => ({ entries: [entry('a')], cursor: '' }));
    await store().choose({ namespace: 'notes' });
    store().forProfile('p2');
    expect(store()).toMatchObject({ profileId: 'p2', space: undefined, entries: [], spaces: [], conflicts: [] });
  });
});
