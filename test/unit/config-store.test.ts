import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConfigDiff } from '../../src/shared/contract/config';
import type { ConfigEntry, ConfigScope, ConfigValue, ConfigVersion } from '../../src/shared/model/config';
import { SwarmdeckError } from '../../src/shared/errors';
import { fakeTransport as main } from '../support/fake-transport';

vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
const { HISTORY_COUNT, useConfig } = await import('../../src/renderer/src/features/config/config-store');

const entry = (version: number, value: object = { maxAgents: version }, scope: ConfigScope = 'swarm'): ConfigEntry => ({
  scope,
  value: value as ConfigValue,
  version,
  at: 1,
  by: 'operator',
});
const versions = (...vs: number[]): ConfigVersion[] => vs.map((v) => ({ ...entry(v), origin: 'set', reason: '' }));
const store = () => useConfig.getState();
const initial = store();

beforeEach(() => {
  main.reset();
  useConfig.setState(initial, true);
  store().forProfile('p1');
});

describe('config store', () => {
  it('reads the scope’s document and versions, and puts the document in the editor', async () => {
    main.answer('config.get', () => entry(2));
    main.answer('config.history', () => versions(2, 1));
    expect(store().entry).toBeUndefined();
    const revision = store().revision;
    await store().load();
    expect(main.inputs('config.get')).toEqual([{ profileId: 'p1', scope: 'swarm' }]);
    expect(main.inputs('config.history')).toEqual([{ profileId: 'p1', scope: 'swarm', count: HISTORY_COUNT }]);
    const text = JSON.stringify({ maxAgents: 2 }, null, 2);
    expect(store()).toMatchObject({ entry: { version: 2 }, text, edited: text, revision: revision + 1 });
    expect(store().history.map((v) => v.version)).toEqual([2, 1]);
  });

  it('reverts the edit to the document read, and tells the editor even when nothing changed', () => {
    useConfig.setState({ text: '{}', edited: '{"a":1}', revision: 3 });
    store().revert();
    expect(store()).toMatchObject({ edited: '{}', revision: 4 });
    store().revert();
    expect(store().revision).toBe(5);
  });

  it('drops a document that answers for a scope no longer shown, and reports a failed read', async () => {
    let answer: (e: ConfigEntry) => void = () => undefined;
    main.answer('config.get', () => new Promise((resolve) => (answer = resolve)));
    main.answer('config.history', () => []);
    const late = store().load();
    store().setScope('monitoring');
    answer(entry(9));
    await late;
    expect(store().entry).toBeUndefined();
    main.answer('config.get', () => {
      throw new SwarmdeckError('DISCONNECTED', 'the connection is down');
    });
    await store().load();
    expect(store().notice).toEqual({ kind: 'error', text: 'the connection is down' });
  });

  it('saves over the version read, and names the fields main’s schema refused', async () => {
    main.answer('config.get', () => entry(3));
    main.answer('config.history', () => versions(3));
    main.answer('config.set', () => entry(3));
    await expect(store().save({ maxAgents: 3 }, 2, 'swarm')).resolves.toMatchObject({ version: 3 });
    expect(main.inputs('config.set')).toEqual([
      { profileId: 'p1', scope: 'swarm', value: { maxAgents: 3 }, expectVersion: 2, confirm: 'swarm' },
    ]);
    await vi.waitFor(() => expect(store().entry?.version).toBe(3));
    const fields = [{ path: 'maxAgents', message: 'Number must be greater than or equal to 1' }];
    main.answer('config.set', () => {
      throw new SwarmdeckError('VALIDATION', 'invalid input', { fields });
    });
    await expect(store().save({ maxAgents: 0 }, 3, undefined)).rejects.toThrow('invalid input');
    expect(store().refused).toEqual(fields);
    expect(main.inputs('config.set')[1]).not.toHaveProperty('confirm');
  });

  it('rolls back and promotes on the scope shown, then reads it again', async () => {
    main.answer('config.get', () => entry(5, {}, 'monitoring'));
    main.answer('config.history', () => []);
    main.answer('config.rollback', () => entry(5, {}, 'monitoring'));
    main.answer('config.promote', () => entry(6, {}, 'monitoring'));
    store().setScope('monitoring');
    await store().rollback(2, 'monitoring');
    await store().promote('p1', 'p2', undefined);
    expect(main.inputs('config.rollback')).toEqual([{ profileId: 'p1', scope: 'monitoring', version: 2, confirm: 'monitoring' }]);
    expect(main.inputs('config.promote')).toEqual([{ fromProfileId: 'p1', toProfileId: 'p2', scope: 'monitoring' }]);
    await vi.waitFor(() => expect(main.inputs('config.get')).toHaveLength(2));
  });

  it('keeps each comparison with the pair it is about', async () => {
    const diff: ConfigDiff = { left: entry(1), right: entry(2), changes: [{ path: 'maxAgents', left: 1, right: 2, kind: 'changed' }] };
    main.answer('config.diff', () => diff);
    await store().compare('p2');
    expect(main.inputs('config.diff')).toEqual([{ profileId: 'p1', otherProfileId: 'p2', scope: 'swarm' }]);
    expect(store().diff).toEqual({ otherId: 'p2', scope: 'swarm', diff });
  });

  it('forgets another connection’s configuration', async () => {
    main.answer('config.get', () => entry(2));
    main.answer('config.history', () => versions(2));
    await store().load();
    store().forProfile('p2');
    expect(store()).toMatchObject({ profileId: 'p2', entry: undefined, history: [], text: '', edited: '' });
  });
});
