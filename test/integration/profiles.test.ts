import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProfileView } from '../../src/shared/model/profile';
import { dispatchFor } from '../../src/main/api';
import { passwordEnvVar, passwordTargetEnvVar } from '../../src/main/features/profiles/secret-store';
import { createServices } from '../../src/main/services';
import { acl, bed, cluster, ok, standalone, tempHome, tls } from '../support/bed';

/** A stand-in for somebody else's Redis: it answers every command with OK and keeps every byte it was sent. */
async function recordingServer(): Promise<{ server: Server; port: number; received: () => string }> {
  const chunks: Buffer[] = [];
  const server = createServer((socket) => {
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      socket.write('+OK\r\n');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, received: () => Buffer.concat(chunks).toString('latin1') };
}

function setup(env: NodeJS.ProcessEnv = {}) {
  const home = tempHome();
  const services = createServices({ home, env });
  return { home, services, dispatch: dispatchFor(services) };
}

describe('profiles', () => {
  it('creates, edits, duplicates and deletes, with readable ids', async () => {
    const { dispatch } = setup();
    const created = await ok<ProfileView>(dispatch('profiles.save', { profile: { ...standalone(), name: 'Prod EU' } }));
    expect(created.id).toBe('prod-eu');
    const edited = await ok<ProfileView>(
      dispatch('profiles.save', { profile: { ...standalone(), id: created.id, name: 'Prod EU', environment: 'production' } }),
    );
    expect(edited.environment).toBe('production');
    expect(edited.createdAt).toBe(created.createdAt);
    const copy = await ok<ProfileView>(dispatch('profiles.duplicate', { id: created.id, name: 'Prod EU 2', confirm: 'Prod EU' }));
    expect(copy.id).toBe('prod-eu-2');
    // A production profile is deleted only with its name typed (see the guard test below).
    await ok(dispatch('profiles.remove', { id: created.id, confirm: 'Prod EU' }));
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
    const saved = await ok<ProfileView>(
      dispatch('profiles.save', { profile: { ...standalone(), name: 'secretive' }, password: 'hunter2' }),
    );
    expect(saved.hasPassword).toBe(true);
    expect(readFileSync(join(home, 'profiles.json'), 'utf8')).not.toContain('hunter2');
    expect(statSync(join(home, 'secrets.json')).mode & 0o777).toBe(0o600);
    const list = await ok<ProfileView[]>(dispatch('profiles.list', {}));
    expect(JSON.stringify(list)).not.toContain('hunter2');
    const { json } = await ok<{ json: string }>(dispatch('profiles.export', {}));
    expect(json).not.toContain('hunter2');
    expect(JSON.parse(json).profiles[0]).not.toHaveProperty('id');
    // The UI says where the password really is: outside Electron, the owner-only file.
    const info = await ok<{ secrets: { where: string } }>(dispatch('app.info', {}));
    expect(info.secrets.where).toMatch(/secrets\.json/);

    await ok(dispatch('profiles.save', { profile: { ...standalone(), id: saved.id, name: 'secretive' }, password: null }));
    expect((await ok<ProfileView[]>(dispatch('profiles.list', {})))[0]?.hasPassword).toBe(false);
  });

  it('refuses a secrets file that others can read', async () => {
    const { dispatch, home, services } = setup();
    await ok(dispatch('profiles.save', { profile: { ...standalone(), name: 'leaky' }, password: 'pw' }));
    chmodSync(join(home, 'secrets.json'), 0o644);
    await expect(services.secrets.password(await services.profiles.get('leaky'))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('takes a password from SWARMDECK_PASSWORD_<ID> over the file', async () => {
    const { dispatch, services } = setup({
      [passwordEnvVar('from-env')]: 'env-secret',
      [passwordTargetEnvVar('from-env')]: `localhost:1, 127.0.0.1:${bed.standalone.port}`,
    });
    const saved = await ok<ProfileView>(dispatch('profiles.save', { profile: { ...standalone(), name: 'from env' } }));
    expect(saved.hasPassword).toBe(true);
    expect(await services.secrets.password(saved)).toBe('env-secret');
  });

  it('sends a password from SWARMDECK_PASSWORD_<ID> only where SWARMDECK_PASSWORD_<ID>_TARGET says: a moved profile never takes it along', async () => {
    const admin = bed.acl.users.admin;
    const { dispatch } = setup({ [passwordEnvVar('acl-env')]: admin, [passwordTargetEnvVar('acl-env')]: `127.0.0.1:${bed.acl.port}` });
    const saved = await ok<ProfileView>(dispatch('profiles.save', { profile: { ...acl('admin'), name: 'acl env' } }));
    expect(saved.id).toBe('acl-env');
    // Where it was given for, it works: connect and the editor's Test.
    await ok(dispatch('connections.connect', { profileId: saved.id }));
    await ok(dispatch('connections.disconnect', { profileId: saved.id }));
    expect((await ok<{ ok: boolean }>(dispatch('profiles.test', { profile: acl('admin'), storedPasswordOf: saved.id }))).ok).toBe(true);

    const fake = await recordingServer();
    try {
      const as = (overrides: Parameters<typeof acl>[1]) => ({
        ...acl('admin', { connectTimeoutMs: 500, ...overrides }),
        id: saved.id,
        name: 'acl env',
      });
      // Nothing is stored in secrets.json, so moving the profile itself is allowed: the password is not the home's to refuse.
      const moves = [
        as({ topology: { kind: 'standalone', host: '127.0.0.1', port: fake.port, db: 0 } }),
        as({ topology: { kind: 'standalone', host: 'localhost', port: fake.port, db: 0 } }),
        as({
          topology: {
            kind: 'cluster',
            seeds: [
              { host: '127.0.0.1', port: bed.acl.port },
              { host: '127.0.0.1', port: fake.port },
            ],
          },
        }),
        as({
          topology: {
            kind: 'cluster',
            seeds: [{ host: '127.0.0.1', port: bed.acl.port }],
            natMap: { [`127.0.0.1:${bed.acl.port}`]: { host: '127.0.0.1', port: fake.port } },
          },
        }),
      ];
      for (const moved of moves) {
        await ok(dispatch('profiles.save', { profile: moved }));
        const connected = await dispatch('connections.connect', { profileId: saved.id });
        const tested = await dispatch('profiles.test', { profile: moved, storedPasswordOf: saved.id });
        const diagnosed = await dispatch('diagnostics.run', { profileId: saved.id, kind: 'connection' });
        expect(fake.received()).not.toContain(admin);
        for (const refused of [connected, tested, diagnosed]) {
          expect(refused, JSON.stringify(moved.topology)).toMatchObject({
            ok: false,
            error: { code: 'UNAVAILABLE', message: expect.stringContaining(passwordTargetEnvVar('acl-env')) },
          });
        }
      }
    } finally {
      fake.server.close();
    }

    // Put back where the variable says, it works again; nothing had to be typed.
    await ok(dispatch('profiles.save', { profile: { ...acl('admin'), id: saved.id, name: 'acl env' } }));
    await ok(dispatch('connections.connect', { profileId: saved.id }));
    await ok(dispatch('connections.disconnect', { profileId: saved.id }));
  });

  it('refuses a password from SWARMDECK_PASSWORD_<ID> without a target, with a malformed one, or over weaker TLS than rediss:// asks for', async () => {
    const fake = await recordingServer();
    try {
      const at = { topology: { kind: 'standalone' as const, host: '127.0.0.1', port: fake.port, db: 0 }, connectTimeoutMs: 500 };
      const cases: [target: string | undefined, profile: Parameters<typeof standalone>[0]][] = [
        [undefined, at],
        ['', at],
        [`127.0.0.1`, at],
        [`127.0.0.1:${fake.port}/0`, at],
        [`rediss://127.0.0.1:${fake.port}`, at],
        [`rediss://127.0.0.1:${fake.port}`, { ...at, tls: { enabled: true, verify: false } }],
      ];
      for (const [target, overrides] of cases) {
        const { dispatch } = setup({
          [passwordEnvVar('env-only')]: 'never-sent-anywhere',
          ...(target === undefined ? {} : { [passwordTargetEnvVar('env-only')]: target }),
        });
        const saved = await ok<ProfileView>(dispatch('profiles.save', { profile: standalone({ ...overrides, name: 'env only' }) }));
        const refused = await dispatch('connections.connect', { profileId: saved.id });
        expect(refused, target).toMatchObject({
          ok: false,
          error: { code: 'UNAVAILABLE', details: { targetVariable: passwordTargetEnvVar('env-only') } },
        });
      }
      expect(fake.received()).not.toContain('never-sent-anywhere');
    } finally {
      fake.server.close();
    }
    // The TLS server over verified TLS, as rediss:// asks.
    const { dispatch } = setup({
      [passwordEnvVar('tls-env')]: 'unused-by-this-server',
      [passwordTargetEnvVar('tls-env')]: `rediss://127.0.0.1:${bed.tls.port}`,
    });
    const saved = await ok<ProfileView>(dispatch('profiles.save', { profile: { ...tls(), name: 'tls env' } }));
    await ok(dispatch('connections.connect', { profileId: saved.id }));
    await ok(dispatch('connections.disconnect', { profileId: saved.id }));
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

  it('sends a stored password only to the target it was stored for', async () => {
    const { dispatch } = setup();
    const admin = bed.acl.users.admin;
    const saved = await ok<ProfileView>(dispatch('profiles.save', { profile: { ...acl('admin'), name: 'acl admin' }, password: admin }));
    // The stored password still works for the profile's own target, as the editor's Test button uses it.
    const own = await ok<{ ok: boolean }>(dispatch('profiles.test', { profile: acl('admin'), storedPasswordOf: saved.id }));
    expect(own.ok).toBe(true);

    const fake = await recordingServer();
    try {
      const elsewhere = (overrides: Parameters<typeof acl>[1]) => ({ profile: acl('admin', overrides), storedPasswordOf: saved.id });
      const redirected = [
        elsewhere({ topology: { kind: 'standalone', host: '127.0.0.1', port: fake.port, db: 0 } }),
        elsewhere({ topology: { kind: 'cluster', seeds: [{ host: '127.0.0.1', port: fake.port }] } }),
        elsewhere({ username: 'reader' }),
        elsewhere({ tls: { enabled: true, verify: false } }),
        elsewhere({ tls: { enabled: false, verify: true, servername: 'other.example' } }),
      ];
      for (const input of redirected) {
        const refused = await dispatch('profiles.test', input);
        expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { fields: [{ path: 'password' }] } } });
      }
      expect(fake.received()).not.toContain(admin);

      // Nor can the profile itself be moved with its password kept, then tested or connected.
      const toFake = {
        ...acl('admin', { topology: { kind: 'standalone', host: '127.0.0.1', port: fake.port, db: 0 }, connectTimeoutMs: 500 }),
        id: saved.id,
        name: 'acl admin',
      };
      const move = await dispatch('profiles.save', { profile: toFake });
      expect(move).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { fields: [{ path: 'password' }] } } });
      const anotherCa = await dispatch('profiles.save', {
        profile: {
          ...acl('admin', { tls: { enabled: true, verify: true, caFile: '/tmp/other-ca.pem' } }),
          id: saved.id,
          name: 'acl admin',
        },
      });
      expect(anotherCa).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      const stillThere = await ok<ProfileView[]>(dispatch('profiles.list', {}));
      expect(stillThere.find((p) => p.id === saved.id)?.topology).toMatchObject({ port: bed.acl.port });
      expect((await ok<{ ok: boolean }>(dispatch('profiles.test', { profile: acl('admin'), storedPasswordOf: saved.id }))).ok).toBe(true);
      await dispatch('connections.connect', { profileId: saved.id });
      expect(fake.received()).not.toContain(admin);
      // Moving it while removing the password is fine: nothing is left to replay.
      const movedEmpty = await ok<ProfileView>(dispatch('profiles.save', { profile: toFake, password: null }));
      expect(movedEmpty.hasPassword).toBe(false);

      // A typed password goes wherever the operator points it.
      await dispatch('profiles.test', {
        profile: acl('admin', { topology: { kind: 'standalone', host: '127.0.0.1', port: fake.port, db: 0 }, connectTimeoutMs: 500 }),
        password: 'typed-here',
      });
      expect(fake.received()).toContain('typed-here');
    } finally {
      fake.server.close();
    }
    // A profile without a stored password has nothing to leak: its edits stay testable.
    const open = await ok<ProfileView>(dispatch('profiles.save', { profile: { ...standalone(), name: 'open' } }));
    const moved = await ok<{ ok: boolean }>(dispatch('profiles.test', { profile: cluster(), storedPasswordOf: open.id }));
    expect(moved.ok).toBe(true);
    const ghost = await dispatch('profiles.test', { profile: acl('admin'), storedPasswordOf: 'no-such-profile' });
    expect(ghost).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('removes nothing when secrets.json is corrupt, and names the file', async () => {
    const { dispatch, home, services } = setup();
    const saved = await ok<ProfileView>(dispatch('profiles.save', { profile: { ...standalone(), name: 'keeper' }, password: 'pw' }));
    writeFileSync(join(home, 'secrets.json'), '{"version":1,"passwords":{"keeper":', { mode: 0o600 });
    const before = readFileSync(join(home, 'profiles.json'), 'utf8');
    const removed = await dispatch('profiles.remove', { id: saved.id });
    expect(removed).toMatchObject({
      ok: false,
      error: { code: 'CORRUPT_FILE', message: expect.stringContaining(join(home, 'secrets.json')) },
    });
    expect(readFileSync(join(home, 'profiles.json'), 'utf8')).toBe(before);
    expect((await services.profiles.list()).map((p) => p.id)).toEqual(['keeper']);

    // A hand edit that leaves a password unquoted: the error names the file, never the bytes.
    writeFileSync(join(home, 'secrets.json'), '{"version":1,"passwords":{\n  "keeper": Sup3rSecret-Prod-Passw0rd,\n}}', { mode: 0o600 });
    const leaked = await dispatch('profiles.remove', { id: saved.id });
    expect(leaked).toMatchObject({ ok: false, error: { code: 'CORRUPT_FILE' } });
    expect(JSON.stringify(leaked)).not.toMatch(/Sup3r|Secret|Passw/);
  });

  it('asks for the name before a production profile is deleted, demoted or made writable, and rebuilds a live session on save', async () => {
    const { dispatch, services } = setup();
    const prod = await ok<ProfileView>(
      dispatch('profiles.save', { profile: { ...standalone(), name: 'prod guard', environment: 'production', readOnly: true } }),
    );
    const as = (changes: Partial<ProfileView>) => ({
      ...standalone(),
      name: 'prod guard',
      environment: 'production' as const,
      readOnly: true,
      id: prod.id,
      ...changes,
    });
    for (const input of [
      { profile: as({ environment: 'development' }) },
      { profile: as({ readOnly: false }) },
      { profile: as({ readOnly: false }), confirm: 'wrong' },
    ]) {
      expect(await dispatch('profiles.save', input)).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    }
    expect(await dispatch('profiles.remove', { id: prod.id })).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
    expect(await services.profiles.get(prod.id)).toMatchObject({ environment: 'production', readOnly: true });

    // Read-only is applied to a connection that is already open, not only to the next one.
    await ok(dispatch('connections.connect', { profileId: prod.id }));
    await ok(dispatch('profiles.save', { profile: as({ readOnly: false }), confirm: 'prod guard' }));
    await ok(dispatch('queues.enqueue', { profileId: prod.id, queue: 'guarded', task: { data: 1 } }));
    await ok(dispatch('profiles.save', { profile: as({ readOnly: true }) }));
    expect(await dispatch('queues.enqueue', { profileId: prod.id, queue: 'guarded', task: { data: 2 } })).toMatchObject({
      ok: false,
      error: { code: 'READ_ONLY' },
    });

    await ok(dispatch('profiles.remove', { id: prod.id, confirm: 'prod guard' }));
    expect(await services.profiles.list()).toEqual([]);
  });

  it('reports a file system failure as such, not as a Redis error', async () => {
    const { dispatch, home } = setup();
    // A folder where the home's lock file belongs: every change must fail, and say why.
    mkdirSync(join(home, '.lock'));
    const refused = await dispatch('profiles.save', { profile: { ...standalone(), name: 'blocked' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FILE_ERROR', message: expect.stringContaining(join(home, '.lock')) } });
  });

  it('reports a stored profile that breaks the schema with the file and the field', async () => {
    const { dispatch, home } = setup();
    const saved = await ok<ProfileView>(dispatch('profiles.save', { profile: { ...standalone(), name: 'hostless' } }));
    const doc = JSON.parse(readFileSync(join(home, 'profiles.json'), 'utf8')) as { profiles: { topology: Record<string, unknown> }[] };
    delete doc.profiles[0]?.topology.host;
    writeFileSync(join(home, 'profiles.json'), JSON.stringify(doc));
    for (const [op, input] of [
      ['profiles.list', {}],
      ['connections.connect', { profileId: saved.id }],
    ] as const) {
      const listed = await dispatch(op, input);
      expect(listed).toMatchObject({
        ok: false,
        error: {
          code: 'CORRUPT_FILE',
          message: expect.stringContaining(join(home, 'profiles.json')),
          details: { fields: [{ path: 'profiles.0.topology.host' }] },
        },
      });
    }
  });

  it('names a corrupt profiles, settings or secrets file with its own code, never INTERNAL', async () => {
    const { dispatch, home } = setup();
    await ok(dispatch('profiles.save', { profile: { ...standalone(), name: 'one' }, password: 'pw' }));
    const cases: [file: string, op: 'profiles.list' | 'alerts.thresholds' | 'profiles.save', input: unknown][] = [
      ['profiles.json', 'profiles.list', {}],
      ['settings.json', 'alerts.thresholds', {}],
      ['secrets.json', 'profiles.save', { profile: { ...standalone(), name: 'two' }, password: 'pw2' }],
    ];
    for (const [file, op, input] of cases) {
      const path = join(home, file);
      const good = (() => {
        try {
          return readFileSync(path, 'utf8');
        } catch {
          return undefined;
        }
      })();
      writeFileSync(path, '{ not json', { mode: 0o600 });
      expect(await dispatch(op, input), file).toMatchObject({
        ok: false,
        error: { code: 'CORRUPT_FILE', message: expect.stringContaining(path) },
      });
      if (good === undefined) writeFileSync(path, '{"version":1}', { mode: 0o600 });
      else writeFileSync(path, good, { mode: 0o600 });
    }
  });

  it('refuses to write a secrets file that others can read, and leaves its mode alone', async () => {
    const { dispatch, home } = setup();
    await ok(dispatch('profiles.save', { profile: { ...standalone(), name: 'first' }, password: 'pw' }));
    chmodSync(join(home, 'secrets.json'), 0o644);
    const refused = await dispatch('profiles.save', { profile: { ...standalone(), name: 'second' }, password: 'pw2' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('chmod 600') } });
    expect(statSync(join(home, 'secrets.json')).mode & 0o777).toBe(0o644);
    expect(readFileSync(join(home, 'secrets.json'), 'utf8')).not.toContain('pw2');
    expect(readFileSync(join(home, 'profiles.json'), 'utf8')).not.toContain('second');
  });
});
