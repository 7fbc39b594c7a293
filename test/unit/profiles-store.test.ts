import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppInfo, OpInput, OpOutput } from '../../src/shared/contract';
import type { ProfileView } from '../../src/shared/model/profile';
import { SwarmdeckError } from '../../src/shared/errors';
import { fakeTransport as main } from '../support/fake-transport';

vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
const { useProfiles } = await import('../../src/renderer/src/features/connections/profiles-store');

const profile = (id: string): ProfileView => ({ id, name: id }) as ProfileView;
const info: AppInfo = { version: '1.0.0', secrets: { backend: 'file', where: '~/.swarmdeck' } };
const initial = useProfiles.getState();
let saved: ProfileView[] = [];

beforeEach(() => {
  main.reset();
  useProfiles.setState(initial, true);
  saved = [profile('p1')];
  main.answer('profiles.list', () => saved);
  main.answer('sandbox.status', () => ({ available: false, hint: 'install redis-server' }));
  main.answer('app.info', () => info);
});

describe('profiles store', () => {
  it('is not loaded until main answers, then holds the profiles, the sandbox and the app', async () => {
    expect(useProfiles.getState().loaded).toBe(false);
    await useProfiles.getState().load();
    expect(useProfiles.getState()).toMatchObject({ loaded: true, profiles: [{ id: 'p1' }], sandbox: { available: false }, info });
  });

  it('stays not loaded when a read fails, and the caller hears of it', async () => {
    main.answer('app.info', () => {
      throw new SwarmdeckError('INTERNAL', 'home unreadable');
    });
    await expect(useProfiles.getState().load()).rejects.toThrow('home unreadable');
    expect(useProfiles.getState()).toMatchObject({ loaded: false, profiles: [] });
  });

  it('reads the list again after a save, a copy, an import and a removal', async () => {
    main.answer('profiles.save', () => (saved = [...saved, profile('p2')]).at(-1) as ProfileView);
    main.answer('profiles.duplicate', ({ name }) => (saved = [...saved, profile(name)]).at(-1) as ProfileView);
    main.answer('profiles.import', () => ({ imported: (saved = [...saved, profile('p4')]).slice(-1) }));
    main.answer('profiles.remove', ({ id }) => {
      saved = saved.filter((p) => p.id !== id);
      return { removed: id };
    });
    await expect(useProfiles.getState().save({ profile: { name: 'p2' } } as unknown as OpInput<'profiles.save'>)).resolves.toEqual(
      profile('p2'),
    );
    await expect(useProfiles.getState().duplicate('p1', 'p3')).resolves.toEqual(profile('p3'));
    await expect(useProfiles.getState().importJson('[{}]')).resolves.toEqual([profile('p4')]);
    expect(useProfiles.getState().profiles.map((p) => p.id)).toEqual(['p1', 'p2', 'p3', 'p4']);
    await useProfiles.getState().remove('p2', 'p2');
    expect(main.inputs('profiles.remove')).toEqual([{ id: 'p2', confirm: 'p2' }]);
    expect(useProfiles.getState().profiles.map((p) => p.id)).toEqual(['p1', 'p3', 'p4']);
  });

  it('sends no confirmation when none was typed, and keeps the list when main refuses', async () => {
    await useProfiles.getState().load();
    main.answer('profiles.remove', () => {
      throw new SwarmdeckError('CONFIRMATION_REQUIRED', 'type the profile name');
    });
    await expect(useProfiles.getState().remove('p1')).rejects.toThrow('type the profile name');
    expect(main.inputs('profiles.remove')).toEqual([{ id: 'p1' }]);
    expect(main.inputs('profiles.list')).toHaveLength(1);
    expect(useProfiles.getState().profiles.map((p) => p.id)).toEqual(['p1']);
  });

  it('exports the profiles asked for, or all of them', async () => {
    main.answer('profiles.export', (input) => ({ json: JSON.stringify(input.ids ?? 'all') }));
    await expect(useProfiles.getState().exportJson(['p1'])).resolves.toBe('["p1"]');
    await expect(useProfiles.getState().exportJson()).resolves.toBe('"all"');
    expect(main.inputs('profiles.export')).toEqual([{ ids: ['p1'] }, {}]);
  });

  it('starts the sandbox and reads the list that now holds its profile', async () => {
    main.answer('sandbox.start', () => {
      saved = [...saved, profile('sandbox')];
      return profile('sandbox');
    });
    await expect(useProfiles.getState().startSandbox()).resolves.toEqual(profile('sandbox'));
    expect(useProfiles.getState().profiles.map((p) => p.id)).toEqual(['p1', 'sandbox']);
  });
});

describe('profiles store: a connection test', () => {
  it('tries the profile as typed, and hands the result back without reading the list', async () => {
    main.answer('profiles.test', () => ({ ok: true }) as unknown as OpOutput<'profiles.test'>);
    const input = { profile: { name: 'p9' }, storedPasswordOf: 'p1' } as unknown as OpInput<'profiles.test'>;
    await expect(useProfiles.getState().test(input)).resolves.toEqual({ ok: true });
    expect(main.inputs('profiles.test')).toEqual([input]);
    expect(main.inputs('profiles.list')).toEqual([]);
  });

  it('lets main’s validation error reach the form', async () => {
    main.answer('profiles.test', () => {
      throw new SwarmdeckError('VALIDATION', 'port must be a number');
    });
    await expect(useProfiles.getState().test({} as OpInput<'profiles.test'>)).rejects.toThrow('port must be a number');
  });
});
