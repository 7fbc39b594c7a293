import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { LockView } from '../../src/shared/contract/locks';
import { SwarmdeckError } from '../../src/shared/errors';
import { fakeTransport as main } from '../support/fake-transport';

vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
const { useLocks } = await import('../../src/renderer/src/features/locks/locks-store');

const lock = (resource: string, fence = 1): LockView => ({
  resource,
  held: true,
  owner: 'a1',
  fence,
  ttlMs: 3000,
  waiters: [],
  waiterCount: 0,
});
const initial = useLocks.getState();

beforeEach(() => {
  main.reset();
  useLocks.setState(initial, true);
});

describe('locks store', () => {
  it('is loading until the first answer, then holds the list and when it was read', async () => {
    main.answer('locks.list', () => [lock('deploy/main')]);
    useLocks.getState().forProfile('p1');
    expect(useLocks.getState().locks).toBeUndefined();
    const before = performance.now();
    await useLocks.getState().load();
    expect(main.inputs('locks.list')).toEqual([{ profileId: 'p1' }]);
    expect(useLocks.getState().locks?.map((l) => l.resource)).toEqual(['deploy/main']);
    expect(useLocks.getState().readAt).toBeGreaterThanOrEqual(before);
  });

  it('reports a failed read in main’s words and keeps the list it had', async () => {
    useLocks.getState().forProfile('p1');
    main.answer('locks.list', () => [lock('a')]);
    await useLocks.getState().load();
    main.answer('locks.list', () => {
      throw new SwarmdeckError('DISCONNECTED', 'the connection is down');
    });
    await useLocks.getState().load();
    expect(useLocks.getState().notice).toEqual({ kind: 'error', text: 'the connection is down' });
    expect(useLocks.getState().locks?.map((l) => l.resource)).toEqual(['a']);
  });

  it('drops an answer about the connection it no longer shows', async () => {
    let answer: (list: LockView[]) => void = () => undefined;
    main.answer('locks.list', () => new Promise<LockView[]>((resolve) => (answer = resolve)));
    useLocks.getState().forProfile('p1');
    const late = useLocks.getState().load();
    useLocks.getState().forProfile('p2');
    answer([lock('old')]);
    await late;
    expect(useLocks.getState()).toMatchObject({ profileId: 'p2', locks: undefined });
  });

  it('forgets the locks of another connection, not of the same one', async () => {
    main.answer('locks.list', () => [lock('a')]);
    useLocks.getState().forProfile('p1');
    await useLocks.getState().load();
    useLocks.getState().forProfile('p1');
    expect(useLocks.getState().locks).toHaveLength(1);
    useLocks.getState().forProfile('p2');
    expect(useLocks.getState().locks).toBeUndefined();
  });

  it('force-releases with the fence it showed and the typed confirmation, then reads the list again', async () => {
    main.answer('locks.list', () => []);
    main.answer('locks.forceRelease', () => ({ fence: 7, owner: 'a1' }));
    useLocks.getState().forProfile('p1');
    await expect(useLocks.getState().forceRelease(lock('deploy/main', 7), 'deploy/main')).resolves.toEqual({ fence: 7, owner: 'a1' });
    expect(main.inputs('locks.forceRelease')).toEqual([{ profileId: 'p1', resource: 'deploy/main', fence: 7, confirm: 'deploy/main' }]);
    await vi.waitFor(() => expect(useLocks.getState().locks).toEqual([]));
  });

  it('lets a refused release reach the caller, which reports it', async () => {
    main.answer('locks.forceRelease', () => {
      throw new SwarmdeckError('CONFLICT', 'the lock changed hands');
    });
    useLocks.getState().forProfile('p1');
    await expect(useLocks.getState().forceRelease(lock('x'), undefined)).rejects.toThrow('the lock changed hands');
    expect(main.inputs('locks.forceRelease')[0]).not.toHaveProperty('confirm');
    expect(main.inputs('locks.list')).toEqual([]);
  });
});
