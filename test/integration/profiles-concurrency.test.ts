import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileLock } from '../../src/main/file-lock';
import { createServices } from '../../src/main/services';
import { bed, ROOT, standalone, tempHome } from '../support/bed';

/** The CLI as operators run it; SWARMDECK_TEST_CLI points at a private build when `out/` is someone else's. */
const CLI = process.env.SWARMDECK_TEST_CLI ?? join(ROOT, 'bin/swarmdeck.js');
const PROCESSES = 20;

interface Exit {
  code: number | null;
  stderr: string;
}

function swarmdeck(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function readSecrets(home: string): Record<string, string> {
  return (JSON.parse(readFileSync(join(home, 'secrets.json'), 'utf8')) as { passwords: Record<string, string> }).passwords;
}

describe('profiles under concurrency', () => {
  it(`keeps every profile and its own password when ${PROCESSES} CLI processes add and then remove at once`, async () => {
    expect(existsSync(CLI), 'build first ("npm run build") or set SWARMDECK_TEST_CLI').toBe(true);
    const home = tempHome();
    const names = Array.from({ length: PROCESSES }, (_, i) => `worker ${i}`);
    const added = await Promise.all(
      names.map((name, i) =>
        swarmdeck(['profiles', 'add', name, '--url', `redis://127.0.0.1:${bed.standalone.port}`, '--password-env', 'PW', '--home', home], {
          PW: `secret-${i}`,
        }),
      ),
    );
    console.log(`profiles add: ${added.length} processes in parallel`);
    expect(added.filter((r) => r.code !== 0)).toEqual([]);

    const services = createServices({ home, env: {} });
    const profiles = await services.profiles.list();
    expect(profiles.map((p) => p.name).sort()).toEqual([...names].sort());
    for (const p of profiles) expect(await services.secrets.password(p), p.id).toBe(`secret-${p.name.slice('worker '.length)}`);
    expect(Object.keys(readSecrets(home)).sort()).toEqual(profiles.map((p) => p.id).sort());

    const removed = await Promise.all(profiles.map((p) => swarmdeck(['profiles', 'remove', p.id, '--home', home])));
    console.log(`profiles remove: ${removed.length} processes in parallel`);
    expect(removed.filter((r) => r.code !== 0)).toEqual([]);
    expect(await services.profiles.list()).toEqual([]);
    expect(readSecrets(home)).toEqual({});
    expect(existsSync(join(home, '.lock'))).toBe(false);
    await services.dispose();
  }, 120_000);

  it('keeps every save when two sets of services share one home', async () => {
    const home = tempHome();
    const a = createServices({ home, env: {} });
    const b = createServices({ home, env: {} });
    await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) => (i % 2 ? a : b).profiles.save({ ...standalone(), name: `p${i}` }, `pw${i}`)),
    );
    const listed = await a.profiles.list();
    expect(listed).toHaveLength(PROCESSES);
    for (const p of listed) expect(await b.secrets.password(p)).toBe(`pw${p.name.slice(1)}`);
  });

  it('recovers a lock left by a dead process or held too long, and times out on a live one', async () => {
    const home = tempHome();
    const path = join(home, '.lock');
    const lock = (timeoutMs: number) => new FileLock(path, { timeoutMs, staleMs: 60_000 });

    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(path, JSON.stringify({ pid: Number(dead.stdout), host: hostname(), at: Date.now(), token: 'dead' }));
    expect(await lock(5_000).run(async () => 'after a dead holder')).toBe('after a dead holder');
    expect(existsSync(path)).toBe(false);

    writeFileSync(path, JSON.stringify({ pid: process.pid, at: Date.now() - 3_600_000, token: 'ancient' }));
    expect(await lock(5_000).run(async () => 'after an old holder')).toBe('after an old holder');

    writeFileSync(path, JSON.stringify({ pid: process.pid, at: Date.now(), token: 'alive' }));
    await expect(lock(300).run(async () => 'never')).rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining(path) });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ token: 'alive' });
  });
});
