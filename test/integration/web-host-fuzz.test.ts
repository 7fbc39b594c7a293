import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, FRAME_OVERHEAD_BYTES, MAX_FRAME_BYTES, OP_NAMES } from '../../src/shared/contract';
import { startWebHost, type WebHost } from '../../src/main/hosts/web/web-host';
import { harness, ROOT, tempHome } from '../support/bed';
import { prng, type Rng } from '../support/prng';
import { login, type WebLogin } from '../support/web-session';

/**
 * Thousands of malformed HTTP requests, handshakes and WebSocket frames, written as raw bytes
 * on TCP sockets, against the web host in this process and as `node out/main/serve.js`.
 * Replay a failure with SWARMDECK_FUZZ_SEED=<the printed seed>.
 */
const SEED = Number(process.env.SWARMDECK_FUZZ_SEED ?? 20261127);
const INPUTS_PER_TARGET = Number(process.env.SWARMDECK_FUZZ_INPUTS ?? 2500);
/** Sockets open at once; enough to overlap, few enough for a shared 2-core machine. */
const LANES = 16;
/** The built app; SWARMDECK_OUT_DIR points at another build of this tree. */
const BUILT = process.env.SWARMDECK_OUT_DIR ?? join(ROOT, 'out');

/** The newest change under a source folder, so a build older than it is known stale. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/**
 * `out/` when it was built from the sources as they are; otherwise a private build under
 * tmp/ (inside the tree, so the bundle still finds node_modules): a stale serve.js would
 * test yesterday's host, and rebuilding the shared out/ could pull it from under others.
 */
function serveBuild(): string {
  const serve = join(BUILT, 'main/serve.js');
  const sources = Math.max(newest(join(ROOT, 'src/main')), newest(join(ROOT, 'src/shared')));
  if (existsSync(serve) && statSync(serve).mtimeMs >= sources) return BUILT;
  const own = join(ROOT, 'tmp', `web-host-fuzz-${process.pid}`);
  console.log(`web host fuzz: ${existsSync(serve) ? 'out/ is older than src/' : 'out/ is not built'}; building into ${own}`);
  execFileSync('npx', ['electron-vite', 'build', '--outDir', own], { cwd: ROOT, stdio: 'ignore' });
  return own;
}

const int = (r: Rng, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rng, items: readonly T[]): T => items[int(r, items.length)] as T;
const bytes = (r: Rng, n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(r, 256)));

interface Target {
  port: number;
  token: string;
  /** A session and the static cookie, taken before the storm: its failed logins lock the machine out of new ones. */
  session: WebLogin;
}

function randomPath(r: Rng, t: Target): string {
  return pick(r, [
    () => '//',
    () => '///',
    () => '/%E0%A4%A',
    () => '/%',
    () => '/%zz',
    () => '/%C0%AF',
    () => '/%00',
    () => `/${bytes(r, 1 + int(r, 40)).toString('latin1')}`,
    () => '/..%2f..%2f..%2fetc%2fpasswd',
    () => '/../../../../etc/passwd',
    () => '/\\..\\..\\etc\\passwd',
    () => `/${'a/'.repeat(int(r, 5000))}`,
    () => `/${'%'.repeat(1 + int(r, 300))}`,
    () => `/?token=${t.token}`,
    () => `//evil.example/?token=${t.token}`,
    () => `/./..//?token=${t.token}%`,
    () => `/?token=%E0%A4%A&token=${t.token}`,
    () => '*',
    () => 'http://evil.example/',
    () => '',
    () => '/index.html',
    () => '/assets/../index.html',
    () => '/ws',
    () => `/ws?token=${t.token}`,
    () => `/ws?token=%${t.token}`,
    () => '/ws/../ws',
    () => `/${'x'.repeat(70_000)}`,
  ])();
}

function randomCookie(r: Rng, t: Target): string {
  const name = `swarmdeck_static_${t.port}`;
  const value = t.session.cookie.slice(t.session.cookie.indexOf('=') + 1);
  return pick(r, [
    () => t.session.cookie,
    () => `${name}="${value}"`,
    () => `${name}=${value}=`,
    () => `a=b=c; ${name}=stale; ${name}=${value}`,
    () => name,
    () => `swarmdeck_token_${t.port}=${t.token}`,
    () => `${name}=${t.session.secret}`,
    () => `swarmdeck_token=${t.token}`,
    () => '=;=;;;==',
    () => `swarmdeck_token=${'A'.repeat(int(r, 20_000))}`,
    () =>
      bytes(r, int(r, 64))
        .toString('latin1')
        .replace(/[\r\n]/g, ''),
    () => `${'swarmdeck_token=x; '.repeat(int(r, 500))}${t.session.cookie}`,
  ])();
}

function randomHeaders(r: Rng, t: Target): string[] {
  const headers: string[] = [];
  if (r() < 0.9) headers.push(`Host: 127.0.0.1:${t.port}`);
  if (r() < 0.6) headers.push(`Cookie: ${randomCookie(r, t)}`);
  for (let i = int(r, 4); i > 0; i -= 1) {
    headers.push(
      pick(r, [
        () => `Origin: ${pick(r, ['null', `http://127.0.0.1:${t.port}`, 'http://evil.example', '', '%', 'file://'])}`,
        () => `Content-Length: ${pick(r, ['-1', '1e9', 'abc', '5', '99999999999999999999'])}`,
        () => 'Transfer-Encoding: chunked',
        () => 'Transfer-Encoding: chunked, identity',
        () =>
          `X-${bytes(r, 8).toString('hex')}: ${bytes(r, int(r, 200))
            .toString('latin1')
            .replace(/[\r\n]/g, '')}`,
        () =>
          `${bytes(r, 6)
            .toString('latin1')
            .replace(/[\r\n]/g, '')}: x`,
        () => ' folded: continuation',
        () => `Big: ${'b'.repeat(int(r, 100_000))}`,
        () => 'Expect: 100-continue',
        () => 'Connection: Upgrade',
        () => 'Upgrade: websocket',
        () => `Sec-WebSocket-Key: ${pick(r, ['', 'short', 'dGhlIHNhbXBsZSBub25jZQ=='])}`,
        () => `Sec-WebSocket-Version: ${pick(r, ['13', '8', 'x', ''])}`,
        () => `Sec-WebSocket-Protocol: ${pick(r, ['', ',', 'a, a', bytes(r, 10).toString('hex')])}`,
        () => `Sec-WebSocket-Extensions: ${pick(r, ['permessage-deflate; client_max_window_bits=99', 'x;;', 'permessage-deflate'])}`,
        () => `Sec-Fetch-Site: ${pick(r, ['none', 'same-site', 'cross-site', '', 'none, none'])}`,
      ])(),
    );
  }
  return headers;
}

function httpInput(r: Rng, t: Target): Buffer {
  if (r() < 0.1) return bytes(r, 1 + int(r, 2000));
  const method = pick(r, ['GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'BREW', 'G\u0000T', '']);
  const version = pick(r, ['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP', '']);
  const head = `${method} ${randomPath(r, t)} ${version}\r\n${randomHeaders(r, t).join('\r\n')}\r\n\r\n`;
  const body = r() < 0.2 ? bytes(r, int(r, 5000)) : Buffer.alloc(0);
  const whole = Buffer.concat([Buffer.from(head, 'latin1'), body]);
  // A request cut anywhere: the host must not wait on it or choke on the rest.
  return r() < 0.15 ? whole.subarray(0, int(r, whole.length)) : whole;
}

/** One WebSocket frame from a client, with every field open to corruption. */
function frame(
  r: Rng,
  opcode: number,
  payload: Buffer,
  options: { fin?: boolean; masked?: boolean; rsv?: number; lie?: bigint } = {},
): Buffer {
  const fin = options.fin ?? true;
  const masked = options.masked ?? true;
  const first = (fin ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | (opcode & 0x0f);
  const length = options.lie ?? BigInt(payload.length);
  let header: Buffer;
  if (length < 126n) header = Buffer.from([first, (masked ? 0x80 : 0) | Number(length)]);
  else if (length < 65536n) {
    header = Buffer.alloc(4);
    header.writeUInt8(first, 0);
    header.writeUInt8((masked ? 0x80 : 0) | 126, 1);
    header.writeUInt16BE(Number(length), 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(first, 0);
    header.writeUInt8((masked ? 0x80 : 0) | 127, 1);
    header.writeBigUInt64BE(length, 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = bytes(r, 4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i += 1) body[i] = (body[i] as number) ^ (mask[i % 4] as number);
  return Buffer.concat([header, mask, body]);
}

function randomJsonValue(r: Rng, depth = 0): unknown {
  const leaf = (): unknown =>
    pick(r, [null, true, 0, -1, 1e308, 2 ** 53 + 1, '', 'x'.repeat(int(r, 300)), '__proto__', '\ud800', '127.0.0.1', 'standalone']);
  if (depth > 4 || r() < 0.4) return leaf();
  if (r() < 0.3) return Array.from({ length: int(r, 5) }, () => randomJsonValue(r, depth + 1));
  const keys = [
    'profileId',
    'profile',
    'id',
    'name',
    'queue',
    'swarmId',
    'count',
    'json',
    'topology',
    'kind',
    'port',
    'host',
    'task',
    'data',
    '__proto__',
    'constructor',
    'prototype',
  ];
  return Object.fromEntries(Array.from({ length: int(r, 5) }, () => [pick(r, keys), randomJsonValue(r, depth + 1)]));
}

function callPayload(r: Rng): Buffer {
  const op = r() < 0.7 ? pick(r, OP_NAMES) : pick(r, ['__proto__', 'constructor', 'toString', '', 'profiles', 'x'.repeat(5000)]);
  const id = pick(r, [1, -1, 0.5, 2 ** 60, 'one', null]);
  const text = pick(r, [
    () => JSON.stringify({ id, op, input: randomJsonValue(r) }),
    () => `{"id":1,"op":"${op}","input":${'['.repeat(int(r, 20_000))}`,
    () => `{"id":1,"op":"${op}","input":${'['.repeat(3000)}${']'.repeat(3000)}}`,
    () => `{"id":1,"op":"${op}","__proto__":{"id":2},"input":{}}`,
    () => `{"id":1,"op":"${op}","input":"${'y'.repeat(int(r, 300_000))}"}`,
    () => 'null',
    () => '[]',
    () => '"just a string"',
  ])();
  return Buffer.from(text);
}

/** The first frame of a socket: mostly the session (so the frames after it reach the calls), or not. */
function authFrame(r: Rng, t: Target): Buffer[] {
  return pick(r, [
    () => [frame(r, 1, Buffer.from(JSON.stringify({ auth: t.session.secret })))],
    () => [frame(r, 1, Buffer.from(JSON.stringify({ auth: t.session.secret })))],
    () => [frame(r, 1, Buffer.from(JSON.stringify({ auth: t.session.secret })))],
    () => [frame(r, 1, Buffer.from(JSON.stringify({ auth: t.token })))],
    () => [frame(r, 1, Buffer.from(JSON.stringify({ auth: `${t.session.secret.slice(0, -2)}AA` })))],
    () => [frame(r, 1, Buffer.from(JSON.stringify({ auth: 'x'.repeat(int(r, 3000)) })))],
    () => [frame(r, 1, Buffer.from(JSON.stringify({ auth: randomJsonValue(r) })))],
    () => [frame(r, 1, Buffer.from(JSON.stringify({ renew: true })))],
    () => [],
  ])();
}

/** A handshake (mostly valid), its auth frame, then frames (mostly not). */
function wsInput(r: Rng, t: Target): Buffer {
  const auth = r() < 0.5 ? `Cookie: ${randomCookie(r, t)}\r\n` : '';
  const path = pick(r, ['/ws', '/ws', `/ws?token=${t.token}`, `/ws?session=${t.session.secret}`]);
  const origin =
    r() < 0.9 ? `Origin: http://127.0.0.1:${t.port}\r\n` : `Origin: ${pick(r, ['null', 'http://evil.example', 'http://127.0.0.1:1'])}\r\n`;
  const key = r() < 0.95 ? bytes(r, 16).toString('base64') : 'not-a-key';
  const extensions = r() < 0.2 ? 'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n' : '';
  const handshake = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${origin}${auth}${extensions}\r\n`;
  const frames: Buffer[] = authFrame(r, t);
  if (r() < 0.3) frames.push(frame(r, 1, Buffer.from(JSON.stringify({ renew: true }))));
  for (let i = 1 + int(r, 4); i > 0; i -= 1) {
    frames.push(
      pick(r, [
        () => frame(r, 1, callPayload(r)),
        () => frame(r, 1, callPayload(r)),
        () => frame(r, 1, bytes(r, int(r, 500))),
        () => frame(r, 2, bytes(r, int(r, 500))),
        () => frame(r, int(r, 16), bytes(r, int(r, 200))),
        () => frame(r, 1, callPayload(r), { masked: false }),
        () => frame(r, 1, callPayload(r), { rsv: 1 + int(r, 7) }),
        () => frame(r, 1, Buffer.alloc(0), { lie: pick(r, [5n * 1024n * 1024n, 2n ** 63n, 2n ** 64n - 1n]) }),
        () => frame(r, 9, bytes(r, 126 + int(r, 200))),
        () => frame(r, 9, bytes(r, 10), { fin: false }),
        () => frame(r, 8, Buffer.from([0x03, 0xe8, 0xff, 0xfe])),
        () => frame(r, 8, Buffer.from([int(r, 256), int(r, 256)])),
        () => frame(r, 8, Buffer.from([0x00])),
        () =>
          Buffer.concat([frame(r, 1, Buffer.from('{"id":1,'), { fin: false }), frame(r, 0, Buffer.from('"op":"app.info","input":{}}'))]),
        () => Buffer.concat([frame(r, 1, Buffer.from('{"id":'), { fin: false }), frame(r, 1, Buffer.from('1}'))]),
        () => frame(r, 0, bytes(r, int(r, 100))),
        () => Buffer.concat(Array.from({ length: 1 + int(r, 300) }, () => frame(r, 0, Buffer.from('a'), { fin: false }))),
        () => frame(r, 1, Buffer.from([0xc3, 0x28, 0xed, 0xa0, 0x80])),
        () => bytes(r, 1 + int(r, 30)),
      ])(),
    );
  }
  // Rarely, one real text frame over the limit: 5 MB is enough, more only slows the run.
  if (r() < 0.004) frames.push(frame(r, 1, Buffer.alloc(5 * 1024 * 1024, 0x61)));
  const whole = Buffer.concat([Buffer.from(handshake, 'latin1'), ...frames]);
  return r() < 0.1 ? whole.subarray(0, int(r, whole.length)) : whole;
}

/**
 * Writes one input and half-closes, then waits for the host to close. A host that neither
 * answers nor closes is dropped after a while: this test is about survival, not manners.
 */
function deliver(port: number, input: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const giveUp = setTimeout(() => socket.destroy(), 5000);
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve();
    });
    socket.end(input);
  });
}

async function fuzz(target: Target, seed: number): Promise<number> {
  const r = prng(seed);
  const inputs = Array.from({ length: INPUTS_PER_TARGET }, () => (r() < 0.5 ? httpInput(r, target) : wsInput(r, target)));
  let next = 0;
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (next < inputs.length) await deliver(target.port, inputs[next++] as Buffer);
    }),
  );
  return inputs.length;
}

/** A well-behaved client after the storm (its session taken before it): one socket, one call. */
function validCall(target: Target): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${target.port}/ws`, { headers: { origin: `http://127.0.0.1:${target.port}` } });
    ws.once('error', reject);
    ws.once('close', (code, reason) => reject(new Error(`closed ${code} ${reason.toString()}`)));
    ws.once('open', () => {
      ws.send(JSON.stringify({ auth: target.session.secret }));
      ws.send(JSON.stringify({ id: 1, op: 'app.info', input: {} }));
    });
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: number; envelope?: unknown };
      if (message.id === 1) {
        ws.close();
        resolve(message.envelope);
      }
    });
  });
}

describe('web host under fuzz', () => {
  it("keeps every op's input cap below the frame limit", () => {
    for (const name of OP_NAMES) expect(contract[name].maxInputBytes).toBeLessThanOrEqual(MAX_FRAME_BYTES - FRAME_OVERHEAD_BYTES);
  });

  describe('in process, over the real dispatch', () => {
    const h = harness();
    const staticDir = mkdtempSync(join(tmpdir(), 'swarmdeck-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Swarmdeck</title>');
    let host: WebHost;
    let target: Target;
    const logged: string[] = [];
    const escaped: unknown[] = [];
    const onEscape = (error: unknown): void => void escaped.push(error);

    beforeAll(async () => {
      host = await startWebHost({ dispatch: h.dispatch, bus: h.services.bus, staticDir, log: (line) => logged.push(line) });
      target = { port: host.port, token: host.token, session: await login(host.loginUrl) };
      process.on('uncaughtException', onEscape);
      process.on('unhandledRejection', onEscape);
    });
    afterAll(async () => {
      process.off('uncaughtException', onEscape);
      process.off('unhandledRejection', onEscape);
      await host.close();
      await h.services.dispose();
    });

    it('survives thousands of malformed requests and frames, and still answers a valid call', async () => {
      const sent = await fuzz(target, SEED);
      const kinds = new Map<string, number>();
      for (const line of logged) kinds.set(line.split(/[:"]/)[0] as string, (kinds.get(line.split(/[:"]/)[0] as string) ?? 0) + 1);
      console.log(`web host fuzz (in process): ${sent} inputs, seed ${SEED}; problems logged:`, Object.fromEntries(kinds));
      expect(escaped).toEqual([]);
      // "failed" is a 500: a bug of ours, not a bad input.
      expect(logged.filter((line) => line.startsWith('failed'))).toEqual([]);
      expect(await validCall(target)).toMatchObject({ ok: true });
      // The refusals were reported, not swallowed.
      expect(logged.length).toBeGreaterThan(0);
    });
  });

  describe('as a child process (node out/main/serve.js)', () => {
    let child: ChildProcess;
    let target: Target;
    let out = BUILT;
    let stderr = '';

    beforeAll(async () => {
      out = serveBuild();
      const token = `fuzz-${SEED}`;
      child = spawn(process.execPath, [join(out, 'main/serve.js'), '--port', '0', '--home', tempHome()], {
        env: { ...process.env, SWARMDECK_TOKEN: token },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // Drained so a chatty host never blocks on a full pipe; the tail explains a death.
      child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const found = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
          if (found) resolve(Number(found[1]));
        });
        child.once('exit', (code) => reject(new Error(`serve.js exited with ${code}: ${stderr}`)));
      });
      target = { port, token, session: await login(`http://127.0.0.1:${port}/?token=${token}`) };
    });
    afterAll(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (out !== BUILT) rmSync(out, { recursive: true, force: true });
    });

    it('survives the same storm and still answers a valid call', async () => {
      const sent = await fuzz(target, SEED);
      console.log(`web host fuzz (child process ${child.pid}): ${sent} inputs, seed ${SEED}`);
      expect({ exitCode: child.exitCode, signal: child.signalCode, stderr: child.exitCode === null ? '' : stderr }).toEqual({
        exitCode: null,
        signal: null,
        stderr: '',
      });
      expect(await validCall(target)).toMatchObject({ ok: true });
    });
  });
});
