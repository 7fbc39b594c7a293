import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionState, ConnectionStatus } from '../../src/shared/model/health';
import type { ProfileView } from '../../src/shared/model/profile';
import { SwarmdeckError } from '../../src/shared/errors';
import { fakeTransport as main } from '../support/fake-transport';

vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
const { useConnections, isLive } = await import('../../src/renderer/src/features/connections/connections-store');
const { useProfiles } = await import('../../src/renderer/src/features/connections/profiles-store');

const status = (profileId: string, state: ConnectionState): ConnectionStatus => ({ profileId, state, since: '2026-01-01T00:00:00Z' });
const initial = useConnections.getState();

beforeEach(() => {
  main.reset();
  useConnections.setState(initial, true);
  // The profiles' order is the order a live connection is chosen in.
  useProfiles.setState({ profiles: [{ id: 'p1' }, { id: 'p2' }] as ProfileView[] });
});

describe('connections store', () => {
  it('holds every status main lists and puts the first live connection in view', async () => {
    main.answer('connections.list', () => [status('p1', 'disconnected'), status('p2', 'connected')]);
    await useConnections.getState().load();
    expect(Object.keys(useConnections.getState().statuses)).toEqual(['p1', 'p2']);
    expect(useConnections.getState().activeId).toBe('p2');
  });

  it('keeps the operator’s choice in view while it fails, so its reason stays on screen', async () => {
    main.answer('connections.list', () => [status('p1', 'connected'), status('p2', 'connected')]);
    await useConnections.getState().load();
    useConnections.getState().setActive('p2');
    useConnections.getState().apply({ ...status('p2', 'failed'), reason: 'auth refused' });
    expect(useConnections.getState().activeId).toBe('p2');
    useConnections.getState().apply(status('p2', 'disconnected'));
    expect(useConnections.getState().activeId).toBe('p1');
  });

  it('connects, is busy meanwhile, and puts the connection it made in view', async () => {
    let answer: (s: ConnectionStatus) => void = () => undefined;
    main.answer('connections.connect', () => new Promise<ConnectionStatus>((resolve) => (answer = resolve)));
    const connecting = useConnections.getState().connect('p1');
    expect(useConnections.getState().busy.p1).toBe(true);
    answer(status('p1', 'connected'));
    await connecting;
    expect(main.inputs('connections.connect')).toEqual([{ profileId: 'p1' }]);
    expect(useConnections.getState()).toMatchObject({ activeId: 'p1', busy: { p1: false }, statuses: { p1: { state: 'connected' } } });
  });

  it('lets a refused connect reach the caller and is no longer busy', async () => {
    main.answer('connections.connect', () => {
      throw new SwarmdeckError('DISCONNECTED', 'connection refused');
    });
    await expect(useConnections.getState().connect('p1')).rejects.toThrow('connection refused');
    expect(useConnections.getState().busy.p1).toBe(false);
    expect(useConnections.getState().activeId).toBeUndefined();
  });

  it('holds the status main answers to a disconnect', async () => {
    main.answer('connections.disconnect', () => status('p1', 'disconnected'));
    await useConnections.getState().disconnect('p1');
    expect(main.inputs('connections.disconnect')).toEqual([{ profileId: 'p1' }]);
    expect(isLive(useConnections.getState().statuses.p1)).toBe(false);
    expect(isLive(status('p1', 'reconnecting'))).toBe(true);
  });
});
