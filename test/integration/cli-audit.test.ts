import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProfileView } from '../../src/shared/model/profile';
import type { StreamEntry } from '../../src/shared/model/task';
import { dispatchFor } from '../../src/main/api';
import { createServices } from '../../src/main/services';
import { ok, ROOT, standalone, tempHome } from '../support/bed';

const CLI = join(ROOT, 'bin/swarmdeck.js');

/**
 * The CLI reaches Redis only through the contract: its actions are validated, guarded,
 * confirmed and audited exactly as the window's are.
 */
describe('the CLI goes through the same contract as the UI', () => {
  const home = tempHome();
  const services = createServices({ home, env: {} });
  const dispatch = dispatchFor(services);
  afterAll(() => services.dispose());

  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--home', home], { encoding: 'utf8', timeout: 30_000 });
  // Everything but the moment and the host kind is the same, whoever acted.
  const shape = (e: StreamEntry) => {
    const { at: _at, via: _via, ...rest } = e.fields;
    return rest;
  };

  it('writes the same audit entry for a purge from the CLI as from the UI, and refuses the same things', async () => {
    const prefix = `cliaudit${Date.now()}`;
    const profile = await ok<ProfileView>(
      dispatch('profiles.save', { profile: standalone({ name: `audit ${prefix}`, keyPrefix: prefix, environment: 'production' }) }),
    );
    await ok(dispatch('connections.connect', { profileId: profile.id }));
    await ok(dispatch('queues.enqueue', { profileId: profile.id, queue: 'parity', task: { data: { n: 1 } } }));

    await ok(dispatch('queues.action', { profileId: profile.id, queue: 'parity', action: 'purge', state: 'waiting', confirm: 'parity' }));
    const fromUi = (await ok<StreamEntry[]>(dispatch('audit.recent', { profileId: profile.id, count: 10 })))[0];

    await ok(dispatch('queues.enqueue', { profileId: profile.id, queue: 'parity', task: { data: { n: 2 } } }));
    const before = (await ok<StreamEntry[]>(dispatch('audit.recent', { profileId: profile.id, count: 10 }))).length;
    // Production: the CLI is refused without the typed confirmation, like the window, and nothing is audited.
    const refused = cli('queue', 'purge', 'parity', '--state', 'waiting', '--profile', profile.id, '--json');
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stderr).error.code).toBe('CONFIRMATION_REQUIRED');
    expect(await ok<StreamEntry[]>(dispatch('audit.recent', { profileId: profile.id, count: 10 }))).toHaveLength(before);

    const done = cli('queue', 'purge', 'parity', '--state', 'waiting', '--confirm', 'parity', '--profile', profile.id, '--json');
    expect(done.stderr).toBe('');
    expect(JSON.parse(done.stdout)).toEqual({ affected: 1 });
    const trail = await ok<StreamEntry[]>(dispatch('audit.recent', { profileId: profile.id, count: 10 }));
    expect(trail).toHaveLength(before + 1);
    expect(fromUi).toBeDefined();
    expect(shape(trail[0] as StreamEntry)).toEqual(shape(fromUi as StreamEntry));
    // Who acted: the OS user and machine, and which host they acted from.
    expect(trail[0]?.fields).toMatchObject({ via: 'cli', user: expect.any(String), host: expect.any(String) });
    expect(fromUi?.fields.via).toBe('test');
    expect(fromUi?.fields.user).toBe(trail[0]?.fields.user);
  });
});
