import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bed, ROOT, tempHome } from '../support/bed';

const CLI = join(ROOT, 'bin/swarmdeck.js');
const where = ['--url', `redis://127.0.0.1:${bed.standalone.port}`, '--prefix', `exp-${randomBytes(3).toString('hex')}`];

interface Running {
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
}

const running: Running[] = [];
afterAll(async () => {
  for (const r of running) {
    if (r.child.exitCode === null) r.child.kill('SIGTERM');
    await r.exited;
  }
});

/** A real `swarmdeck exporter`, once it says where it serves. */
async function exporter(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Running> {
  const child = spawn(process.execPath, [CLI, 'exporter', ...args, ...where, '--home', tempHome()], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /serving http:\/\/\S+?:(\d+)\/metrics/.exec(err);
      if (m?.[1]) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error(`exporter exited: ${err}`)));
  });
  const r = { child, port, exited };
  running.push(r);
  return r;
}

/** GET with exactly these headers: fetch would not let a test set Host the way a rebinding browser does. */
function get(
  port: number,
  headers: Record<string, string>,
  path = '/metrics',
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers, setHost: false, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.once('error', reject);
    req.end();
  });
}

describe('the Prometheus exporter', () => {
  it('with --token-env answers only a request that carries the token, which never appears on its command line', async () => {
    const token = randomBytes(24).toString('base64url');
    const { child, port } = await exporter(['--listen', '127.0.0.1:0', '--token-env', 'SD_TEST_EXPORTER_TOKEN'], {
      SD_TEST_EXPORTER_TOKEN: token,
    });
    const host = `127.0.0.1:${port}`;
    expect(readFileSync(`/proc/${child.pid}/cmdline`, 'latin1')).not.toContain(token);

    const refused: Record<string, string>[] = [
      {},
      { authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` },
      { authorization: 'Bearer' },
      { authorization: `Bearer ${token.slice(0, -1)}` },
      // Same length, last character changed: a comparison that stops early would tell them apart.
      { authorization: `Bearer ${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` },
      { authorization: `Bearer ${token}x` },
    ];
    for (const headers of refused) {
      const res = await get(port, { host, ...headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(res.body).not.toContain('swarmdeck_');
    }
    // Nor does any other path answer without it.
    expect((await get(port, { host }, '/other')).status).toBe(401);

    const ok = await get(port, { host, authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatch(/^# HELP swarmdeck_node_up /m);
    expect((await get(port, { host: `localhost:${port}`, authorization: `bearer ${token}` })).status).toBe(200);
  });

  it('on a loopback address refuses a request naming another host (DNS rebinding), token or not', async () => {
    const token = randomBytes(24).toString('base64url');
    const configurations: [args: string[], auth: Record<string, string>][] = [
      [[], {}],
      [['--token-env', 'SD_TEST_EXPORTER_TOKEN'], { authorization: `Bearer ${token}` }],
    ];
    for (const [args, auth] of configurations) {
      const { port } = await exporter(['--listen', '127.0.0.1:0', ...args], { SD_TEST_EXPORTER_TOKEN: token });
      // What a page on attacker.example sends once its name resolves to 127.0.0.1.
      for (const host of [
        `attacker.example:${port}`,
        'attacker.example',
        `127.0.0.1.attacker.example:${port}`,
        `127.0.0.1:${port + 1}`,
        `[::1]:${port}`,
        `user@127.0.0.1:${port}`,
      ]) {
        const res = await get(port, { host, ...auth });
        expect(res.status, host).toBe(421);
        expect(res.body).not.toContain('swarmdeck_');
      }
      // No Host at all: Node's HTTP/1.1 parser refuses it before it reaches the exporter.
      expect((await get(port, auth)).status).toBe(400);
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`])
        expect((await get(port, { host, ...auth })).status, host).toBe(200);
    }
  });

  it('refuses a --token-env that names no variable, an empty one, or a malformed token, before it listens', () => {
    const cases: [string, NodeJS.ProcessEnv][] = [
      ['SD_TEST_NOT_SET', {}],
      ['SD_TEST_EMPTY', { SD_TEST_EMPTY: '' }],
      ['SD_TEST_SPACED', { SD_TEST_SPACED: 'two words' }],
      ['not a name', {}],
    ];
    for (const [name, env] of cases) {
      const r = spawnSync(
        process.execPath,
        [CLI, 'exporter', '--listen', '127.0.0.1:0', '--token-env', name, ...where, '--home', tempHome(), '--json'],
        { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 },
      );
      expect(r.status, r.stderr).toBe(2);
      expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'USAGE', message: expect.stringContaining('--token-env') } });
    }
  });

  it('will not listen beyond loopback without a token: no Host check there tells a rebinding page from a scraper', () => {
    const r = spawnSync(process.execPath, [CLI, 'exporter', '--listen', '0.0.0.0:0', ...where, '--home', tempHome(), '--json'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status, r.stderr).not.toBe(0);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'VALIDATION', message: expect.stringContaining('--token-env') } });
  });
});
