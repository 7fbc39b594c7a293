import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { StateVersion } from '../../src/shared/contract/state';
import { SwarmdeckError } from '../../src/shared/errors';
import { fakeTransport as main } from '../support/fake-transport';

vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
const { SCAN_BUDGET, useSharedState } = await import('../../src/renderer/src/features/state/state-store');

const version = (v: number, value = `{"v":${v}}`): StateVersion => ({ version: v, value, source: 'agent', meta: {}, at: v });
const summary = (key: string) => ({ key, namespace: key.split(':')[0] ?? '', version: 1, at: 1, source: 'agent' });
const store = () => useSharedState.getState();
const initial = store();

beforeEach(() => {
  main.reset();
  useSharedState.setState(initial, true);
  store().forProfile('p1');
});

describe('state store', () => {
  it('lists the keys within the scan budget and says whether the scan was complete', async () => {
    main.answer('state.keys', () => ({ keys: [summary('plan:a')], complete: false, scanned: SCAN_BUDGET }));
    expect(store().keys).toBeUndefined();
    await store().loadKeys();
    expect(main.inputs('state.keys')).toEqual([{ profileId: 'p1', budget: SCAN_BUDGET }]);
    expect(store().keys).toMatchObject({ complete: false, keys: [{ key: 'plan:a' }] });
  });

  it('reads the versions of the selected key only, and drops an answer about a key no longer selected', async () => {
    await store().loadHistory();
    expect(main.inputs('state.history')).toEqual([]);
    let answer: (h: StateVersion[]) => void = () => undefined;
    main.answer('state.history', () => new Promise((resolve) => (answer = resolve)));
    store().select('plan:a');
    const late = store().loadHistory();
    store().select('plan:b');
    answer([version(2), version(1)]);
    await late;
    expect(store()).toMatchObject({ selected: 'plan:b', history: [] });
    main.answer('state.history', () => [version(3)]);
    await store().loadHistory();
    expect(main.inputs('state.history').at(-1)).toEqual({ profileId: 'p1', key: 'plan:b' });
    expect(store().history.map((v) => v.version)).toEqual([3]);
  });

  it('reports a failed read in main’s words', async () => {
    main.answer('state.keys', () => {
      throw new SwarmdeckError('TIMEOUT', 'Redis did not answer in time');
    });
    await store().loadKeys();
    expect(store().notice).toEqual({ kind: 'error', text: 'Redis did not answer in time' });
  });

  it('writes a draft as compare-and-set by the operator, then shows the key written', async () => {
    main.answer('state.set', () => ({ version: 4 }));
    main.answer('state.keys', () => ({ keys: [summary('plan:a')], complete: true, scanned: 1 }));
    main.answer('state.history', () => [version(4)]);
    const written = await store().write({ key: ' plan:a ', value: '{}', baseVersion: 3 }, 'plan:a');
    expect(written).toEqual({ key: 'plan:a', version: 4 });
    expect(main.inputs('state.set')).toEqual([
      { profileId: 'p1', key: 'plan:a', value: '{}', expectVersion: 3, source: 'operator', confirm: 'plan:a' },
    ]);
    expect(store().selected).toBe('plan:a');
    await vi.waitFor(() => expect(store().history.map((v) => v.version)).toEqual([4]));
  });

  it('lets a refused write reach the caller and changes nothing', async () => {
    main.answer('state.set', () => {
      throw new SwarmdeckError('CONFLICT', 'version 5 is newer');
    });
    store().select('plan:a');
    await expect(store().write({ key: 'plan:b', value: '1', baseVersion: 4 }, undefined)).rejects.toThrow('version 5 is newer');
    expect(main.inputs('state.set')[0]).not.toHaveProperty('confirm');
    expect(store().selected).toBe('plan:a');
  });

  it('forgets the keys and the selection of another connection', async () => {
    main.answer('state.keys', () => ({ keys: [summary('plan:a')], complete: true, scanned: 1 }));
    await store().loadKeys();
    store().select('plan:a');
    store().forProfile('p1');
    expect(store().selected).toBe('plan:a');
    store().forProfile('p2');
    expect(store()).toMatchObject({ profileId: 'p2', keys: undefined, selected: undefined, history: [] });
  });
});
