import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProfileView } from '../../src/shared/model/profile';
import { createDispatch, createHandlers } from '../../src/main/api';
import { passwordEnvVar } from '../../src/main/profiles/secret-store';
import { createServices } from '../../src/main/services';
import { cluster, ok, standalone, tempHome } from '../support/bed';

function setup(env: NodeJS.ProcessEnv = {}) {
  const home = tempHome();
  const services = createServices({ home, env });
  return { home, services, dispatch: createDispatch(createHandlers(services)) };
}

describe('profiles', () => {
  it('creates, edits, duplicates and deletes, with readable ids', async () => {
    const { dispatch } = setup();
    const created = await ok<ProfileView>(dispatch('profiles.save', { profile: { ...standalone(), name: 'Prod EU' } }));
    expect(created.id).toBe('prod-eu');
    const edited = await ok<ProfileView>(dispatch('profiles.save', { profile: { ...standalone(), id: created.id, name: 'Prod EU', environment: 'production' } }));
    expect(edited.environment).toBe('production');
    expect(edited.createdAt).toBe(created.createdAt);
    const copy = await ok<ProfileView>(dispatch('profiles.duplicate', { id: created.id, name: 'Prod EU 2' }));
    expect(copy.id).toBe('prod-eu-2');
    await ok(dispatch('profiles.remove', { id: created.id }));
    const list = await ok<ProfileView[]>(dispatch('profiles.list', {}));
    expect(list.map((p) => p.id)).toEqual(['prod-eu-2']);
  });

  it('refuses a duplicate name and an unknown id, changing nothing', async () => {
    const { dispatch, services } = setup();
    await ok(dispatch('profiles.save', { profile: { ...standalone(), name: 'one' } }));
    const clash = await dispatch('profiles.save', { profile: { ...cluster(), name: 'ONE' } });
    expect(clash).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { fields: [{ path: 'name' }] } } });
    const missing = await dispatch('profiles.save', { profile: { ...standalone(), id: 'ghost', name: 'ghost' } });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await services.profiles.list()).map((p) => p.name)).toEqual(['one']);
  });

  it('keeps passwords out of profiles, the UI and exports, in an owner-only file', async () => {
    const { dispatch, home } = setup();
    const saved = await ok<ProfileView>(dispatch('profiles.save', { profile: { ...standalone(), name: 'secretive' }, password: 'hunter2' }));
    expect(saved.hasPassword).toBe(true);
    expect(readFileSync(join(home, 'profiles.json'), 'utf8')).not.toContain('hunter2');
    expect(statSync(join(home, 'secrets.json')).mode & 0o777).toBe(0o600);
    const list = await ok<ProfileView[]>(dispatch('profiles.list', {}));
    expect(JSON.stringify(list)).not.toContain('hunter2');
    const { json } = await ok<{ json: string }>(dispatch('profiles.export', {}));
    expect(json).not.toContain('hunter2');
    expect(JSON.parse(json).profiles[0]).not.toHaveProperty('id');

    await ok(dispatch('profiles.save', { profile: { ...standalone(), id: saved.id, name: 'secretive' }, password: null }));
    expect((await ok<ProfileView[]>(dispatch('profiles.list', {})))[0]?.hasPassword).toBe(false);
  });

  it('refuses a secrets file that others can read', async () => {
    const { dispatch, home, services } = setup();
    await ok(dispatch('profiles.save', { profile: { ...standalone(), name: 'leaky' }, password: 'pw' }));
    chmodSync(join(home, 'secrets.json'), 0o644);
    await expect(services.secrets.password('leaky')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('takes a password from SWARMDECK_PASSWORD_<ID> over the file', async () => {
    const { dispatch, services } = setup({ [passwordEnvVar('from-env')]: 'env-secret' });
    const saved = await ok<ProfileView>(dispatch('profiles.save', { profile: { ...standalone(), name: 'from env' } }));
    expect(saved.hasPassword).toBe(true);
    expect(await services.secrets.password(saved.id)).toBe('env-secret');
  });

  it('imports what it exported, and refuses a clash or a foreign file whole', async () => {
    const a = setup();
    await ok(a.dispatch('profiles.save', { profile: { ...standalone(), name: 'alpha' } }));
    await ok(a.dispatch('profiles.save', { profile: { ...cluster(), name: 'beta', environment: 'staging' } }));
    const { json } = await ok<{ json: string }>(a.dispatch('profiles.export', {}));

    const b = setup();
    const { imported } = await ok<{ imported: ProfileView[] }>(b.dispatch('profiles.import', { json }));
    expect(imported.map((p) => p.name).sort()).toEqual(['alpha', 'beta']);
    expect(imported.find((p) => p.name === 'beta')?.topology.kind).toBe('cluster');

    const again = await b.dispatch('profiles.import', { json });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const foreign = await b.dispatch('profiles.import', { json: '{"profiles":[{"name":1}]}' });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const garbage = await b.dispatch('profiles.import', { json: 'not json at all' });
    expect(garbage).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'The file is not JSON' } });
    expect((await b.services.profiles.list()).length).toBe(2);
  });

  it('edits alert thresholds and refuses inverted ones', async () => {
    const { dispatch } = setup();
    expect(await ok(dispatch('alerts.thresholds', {}))).toEqual({ latencyWarnMs: 1000, memoryWarnRatio: 0.8, memoryCritRatio: 0.9 });
    await ok(dispatch('alerts.setThresholds', { latencyWarnMs: 50, memoryWarnRatio: 0.5, memoryCritRatio: 0.6 }));
    expect(await ok(dispatch('alerts.thresholds', {}))).toMatchObject({ latencyWarnMs: 50 });
    const inverted = await dispatch('alerts.setThresholds', { latencyWarnMs: 50, memoryWarnRatio: 0.9, memoryCritRatio: 0.6 });
    expect(inverted).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await ok(dispatch('alerts.thresholds', {}))).toMatchObject({ memoryWarnRatio: 0.5 });
  });
});
