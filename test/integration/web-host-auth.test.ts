import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src/main/hosts/web/web-host';
import { SESSION_KEY, WebSocketTransport, type OpenSocket } from '../../src/renderer/src/transport/ws-transport';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { harness } from '../support/bed';
import { until } from '../support/harness';
import { login, openSession, refusal } from '../support/web-session';

/**
 * The web host's credential as an attacker sees it: a page on another loopback port (cookies
 * are scoped by host, not port), a local process with a raw client (it forges Origin), and one
 * that guesses. Then expiry, renewal and the failure limit.
 */
const h = harness();
const staticDir = mkdtempSync(join(tmpdir(), 'swarmdeck-static-'));
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Swarmdeck</title>');
const hosts: WebHost[] = [];

async function host(options: Partial<Parameters<typeof startWebHost>[0]> = {}): Promise<WebHost> {
  const started = await startWebHost({
    dispatch: h.dispatch,
    bus: h.services.bus,
    staticDir,
    log: () => undefined,
    announce: () => undefined,
    ...options,
  });
  hosts.push(started);
  return started;
}

afterAll(async () => {
  await Promise.all(hosts.map((started) => started.close()));
  await h.services.dispose();
});

/**
 * Everything a thief could try with what it holds, as a raw client: the values as the cookie,
 * as `?token=`, as the first frame, with the host's own Origin forged. True if any of it runs a
 * contract call.
 */
function reachesApi(port: number, stolen: { cookieHeader: string; value: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${encodeURIComponent(stolen.value)}`, {
      headers: { origin: `http://127.0.0.1:${port}`, cookie: stolen.cookieHeader },
    });
    const done = (reached: boolean): void => {
      clearTimeout(timer);
      ws.terminate();
      resolve(reached);
    };
    const timer = setTimeout(() => done(false), 10_000);
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: number; envelope?: { ok: boolean } };
      if (message.id === 99) done(message.envelope?.ok === true);
    });
    ws.once('open', () => {
      ws.send(JSON.stringify({ auth: stolen.value }));
      ws.send(JSON.stringify({ id: 99, op: 'app.info', input: {} }));
    });
    ws.once('close', () => done(false));
    ws.once('error', () => done(false));
  });
}

/** A GET from a chosen loopback source address (the host cannot tell 127.0.0.2 from 127.0.0.1's users). */
function getFrom(localAddress: string, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { localAddress }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).once('error', reject);
  });
}

describe('a page on another loopback port', () => {
  let browser: Browser;
  let neighbour: Server;
  let target: WebHost;
  const heard: string[] = [];
  const refusedLogins: string[] = [];

  beforeAll(async () => {
    target = await host({ log: (line) => line.startsWith('refused a login a page caused') && refusedLogins.push(line) });
    // The neighbour: any local web server the operator's browser visits (a dev server, a tool).
    // Its page fetches its own origin, and its server writes down every Cookie header it gets.
    const page = `<!doctype html><title>neighbour</title><script>
      window.outcome = (async () => {
        await fetch('/collect', { credentials: 'include' });
        const socket = await new Promise((done) => {
          const ws = new WebSocket('ws://127.0.0.1:${target.port}/ws');
          ws.onopen = () => { ws.send(JSON.stringify({ id: 1, op: 'app.info', input: {} })); ws.onmessage = () => done('answered'); };
          ws.onclose = (event) => done('closed ' + event.code);
        });
        // And it tries to spend the operator's failed logins, six guesses in <img> tags.
        await Promise.all(Array.from({ length: 6 }, (_, i) => new Promise((done) => {
          const img = new Image(); img.onload = img.onerror = done; img.src = 'http://127.0.0.1:${target.port}/?token=guess-' + i;
        })));
        return socket;
      })();
    </script>`;
    neighbour = createServer((req, res) => {
      heard.push(req.headers.cookie ?? '');
      res.writeHead(req.url === '/' ? 200 : 204, { 'Content-Type': 'text/html' });
      res.end(req.url === '/' ? page : undefined);
    });
    await new Promise<void>((resolve) => neighbour.listen(0, '127.0.0.1', resolve));
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => neighbour?.close(resolve));
  });

  it('fetches its own origin and its server gets no credential that opens the socket or the login', async () => {
    const tab = await browser.newPage();
    await tab.goto(target.loginUrl);
    await tab.goto(`http://127.0.0.1:${(neighbour.address() as AddressInfo).port}/`);
    const socketFromPage = await tab.evaluate('window.outcome');

    // The premise: the neighbour's server does receive the host's cookie (same host, any port).
    const cookieHeader = heard.find((header) => header.includes('swarmdeck')) ?? '';
    expect(cookieHeader).not.toBe('');
    const values = cookieHeader.split(';').map((part) => part.slice(part.indexOf('=') + 1).trim());
    for (const value of values) {
      expect(await reachesApi(target.port, { cookieHeader, value })).toBe(false);
      expect((await fetch(`${target.url}?token=${encodeURIComponent(value)}`, { redirect: 'manual' })).status).not.toBe(303);
    }
    // The neighbour's page itself is refused by Origin before it can send a frame.
    expect(socketFromPage).toMatch(/^closed /);
    // Its <img> guesses were refused unread (a page cannot log in, nor lock the operator out).
    expect(refusedLogins.length).toBeGreaterThan(0);
    expect((await login(target.loginUrl)).secret).toMatch(/^s1\./);
    await tab.close();
  });

  it("gives the session to the host's own page only, which opens the socket with it", async () => {
    const tab = await browser.newPage();
    await tab.goto(target.loginUrl);
    // The fragment never reached a server (the neighbour's Cookie headers above never held it).
    const secret = new URL(tab.url()).hash.replace(/^#session=/, '');
    for (const header of heard) expect(header).not.toContain(secret);
    const answer = await tab.evaluate(`new Promise((done) => {
      const ws = new WebSocket('ws://' + location.host + '/ws');
      ws.onopen = () => {
        ws.send(JSON.stringify({ auth: ${JSON.stringify(secret)} }));
        ws.send(JSON.stringify({ id: 1, op: 'app.info', input: {} }));
      };
      ws.onmessage = (m) => { const data = JSON.parse(m.data); if (data.id === 1) done(data.envelope.ok); };
      ws.onclose = (event) => done('closed ' + event.code);
    })`);
    expect(answer).toBe(true);
    await tab.close();
  });
});

describe('a raw client with a stolen cookie', () => {
  it("is refused even with the host's Origin forged, whatever it does with the value", async () => {
    const target = await host();
    // Whatever cookie the login sets, as a neighbour's server or a local process would read it.
    const cookie = ((await fetch(target.loginUrl, { redirect: 'manual' })).headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(cookie).toMatch(/^swarmdeck_/);
    const value = cookie.slice(cookie.indexOf('=') + 1);
    expect(await reachesApi(target.port, { cookieHeader: cookie, value })).toBe(false);
    // Nor does yesterday's cookie, the token itself under the old name.
    expect(await reachesApi(target.port, { cookieHeader: `swarmdeck_token_${target.port}=${target.token}`, value: target.token })).toBe(
      false,
    );
  });
});

describe('expiry and renewal', () => {
  it('expires the login URL, prints a fresh one, and on request another', async () => {
    const announced: { url: string; why: string }[] = [];
    const target = await host({ auth: { loginTtlMs: 300 }, announce: (url, why) => announced.push({ url, why }) });
    const first = target.loginUrl;
    // Printed by the host's own timer, with no request to trigger it.
    await expect.poll(() => announced.length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(announced[0]).toMatchObject({
      why: 'expired',
      url: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:${target.port}/\\?token=`)),
    });
    const old = await fetch(first, { redirect: 'manual' });
    expect(old.status).toBe(401);
    expect(await old.text()).toMatch(/expired/);
    expect((await login(announced.at(-1)?.url ?? '')).secret).toMatch(/^s1\./);

    const steady = await host({ announce: (url, why) => announced.push({ url, why }) });
    const before = steady.loginUrl;
    const renewed = steady.renewLogin();
    expect(announced.at(-1)).toEqual({ url: renewed, why: 'requested' });
    expect(steady.loginUrl).toBe(renewed);
    expect((await fetch(before, { redirect: 'manual' })).status).toBe(401);
    expect((await login(renewed)).secret).toMatch(/^s1\./);
  });

  it('refuses an expired session, and the page renews its own before expiry so a reconnect still works', async () => {
    const target = await host({ auth: { sessionTtlMs: 1200 } });
    const issuedAt = Date.now();
    const { secret: first } = await login(target.loginUrl);
    const kept: string[] = [];
    const memory = new Map<string, string>([[SESSION_KEY, first]]);
    const store = {
      getItem: (key: string) => memory.get(key) ?? null,
      setItem: (key: string, value: string) => {
        kept.push(value);
        memory.set(key, value);
      },
      removeItem: (key: string) => void memory.delete(key),
    };
    const sockets: WebSocket[] = [];
    // The browser's WebSocket, played by `ws`: the same transport the tab runs.
    const open: OpenSocket = (url, handlers) => {
      const ws = new WebSocket(url, { headers: { origin: `http://127.0.0.1:${target.port}` } });
      sockets.push(ws);
      ws.on('open', () => handlers.open());
      ws.on('message', (data) => handlers.message(data.toString()));
      ws.on('close', (code, reason) => handlers.close(code, reason.toString()));
      ws.on('error', () => undefined);
      return ws;
    };
    const transport = new WebSocketTransport(`ws://127.0.0.1:${target.port}/ws`, { open, store });
    try {
      expect(await transport.call('app.info', {})).toMatchObject({ version: expect.any(String) });
      // The secret from the login expires 1.2 s after it was issued …
      await expect.poll(() => Date.now() - issuedAt, { timeout: 5000 }).toBeGreaterThan(1400);
      expect(await refusal(target.port, [JSON.stringify({ auth: first })])).toMatchObject({ code: 4401, reason: /expired/, heard: [] });
      // … but the page renewed over its socket meanwhile (the auth's answer, then at half-life).
      expect(kept.length).toBeGreaterThanOrEqual(2);
      expect(new Set(kept).size).toBe(kept.length);
      // The host goes away and comes back under the page's feet: it reconnects with what it kept.
      sockets.at(-1)?.terminate();
      await expect
        .poll(
          () =>
            transport.call('app.info', {}).then(
              () => 'answered',
              (error: Error) => error.message,
            ),
          { timeout: 5000 },
        )
        .toBe('answered');
      expect(sockets.length).toBeGreaterThanOrEqual(2);
      expect(memory.get(SESSION_KEY)).not.toBe(first);
    } finally {
      transport.close();
    }
  });

  it('signs the page out, without retrying, when the host refuses its session', async () => {
    const target = await host();
    const memory = new Map<string, string>([[SESSION_KEY, 's1.000000000000.zz.nonce.mac']]);
    const store = {
      getItem: (k: string) => memory.get(k) ?? null,
      setItem: (k: string, v: string) => void memory.set(k, v),
      removeItem: (k: string) => void memory.delete(k),
    };
    let opened = 0;
    const open: OpenSocket = (url, handlers) => {
      opened += 1;
      const ws = new WebSocket(url, { headers: { origin: `http://127.0.0.1:${target.port}` } });
      ws.on('open', () => handlers.open());
      ws.on('message', (data) => handlers.message(data.toString()));
      ws.on('close', (code, reason) => handlers.close(code, reason.toString()));
      ws.on('error', () => undefined);
      return ws;
    };
    const transport = new WebSocketTransport(`ws://127.0.0.1:${target.port}/ws`, { open, store });
    await expect(transport.call('app.info', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: /earlier run.*login URL/ });
    await expect(transport.call('app.info', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(opened).toBe(1);
    // Forgotten, so a reload does not present it again.
    expect(memory.has(SESSION_KEY)).toBe(false);
  });
});

describe('sockets that have not presented a session', () => {
  it("are bounded, so half-sent frames cannot fill the host's memory, and the operator still gets in", async () => {
    const target = await host();
    const origin = `http://127.0.0.1:${target.port}`;
    const open = (): Promise<WebSocket> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${target.port}/ws`, { headers: { origin } });
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    const waiting = await Promise.all(Array.from({ length: 16 }, open));
    // The seventeenth is dropped at once, without a frame read.
    const extra = await open();
    const closed = await new Promise<number>((resolve) => extra.once('close', (code) => resolve(code)));
    expect(closed).toBe(1006);
    for (const ws of waiting) ws.terminate();
    await until(
      'the waiting sockets to be gone',
      async () => {
        try {
          const { ws } = await openSession(target.port, (await login(target.loginUrl)).secret);
          ws.close();
          return true;
        } catch {
          return undefined;
        }
      },
      10_000,
    );
  });
});

describe('failed attempts', () => {
  it('locks the machine out for 15 minutes after 5 failures, and never the tabs it already has', async () => {
    let skew = 0;
    const lines: string[] = [];
    const target = await host({ now: () => Date.now() + skew, log: (line) => lines.push(line) });
    // The operator's tab, logged in before anyone failed.
    const tab = await fetch(target.loginUrl, { redirect: 'manual' });
    for (let i = 0; i < 5; i += 1) expect((await fetch(`${target.url}?token=guess-${i}`, { redirect: 'manual' })).status).toBe(401);
    // The sixth attempt is refused unread, even with the right token.
    const locked = await fetch(target.loginUrl, { redirect: 'manual' });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    expect(await locked.text()).toMatch(/too many failed logins.*restart the host/);
    expect(lines.some((line) => line.startsWith('locked out loopback'))).toBe(true);
    // The operator's open tab is not locked out: a session is 256 random bits, not a guess.
    const { ws } = await openSession(target.port, new URLSearchParams(tab.headers.get('location')?.split('#')[1]).get('session') ?? '');
    ws.close();
    // Still locked a minute before the end; open again after it.
    skew += 14 * 60_000;
    expect((await fetch(target.loginUrl, { redirect: 'manual' })).status).toBe(429);
    skew += 60_000 + 1000;
    expect((await login(target.loginUrl)).secret).toMatch(/^s1\./);
  });

  it('counts every loopback address as one client, and never a wrong session (a page can plant one through the fragment)', async () => {
    const target = await host();
    // Were these counted, the guesses below would meet a lockout before their fifth.
    for (let i = 0; i < 6; i += 1)
      expect(await refusal(target.port, [JSON.stringify({ auth: `planted-${i}` })])).toMatchObject({ code: 4401 });
    for (let i = 0; i < 4; i += 1) expect((await fetch(`${target.url}?token=guess-${i}`, { redirect: 'manual' })).status).toBe(401);
    // Any local process may pick its source address in 127.0.0.0/8: that is no other client.
    expect(await getFrom('127.0.0.2', `${target.url}?token=guess-5`)).toBe(401);
    expect(await getFrom('127.0.0.3', target.loginUrl)).toBe(429);
    expect((await fetch(target.loginUrl, { redirect: 'manual' })).status).toBe(429);
  });

  it('counts nothing an honest tab does: no session, an expired one, one of an earlier run, an expired URL', async () => {
    let skew = 0;
    const target = await host({ now: () => Date.now() + skew });
    const earlier = await host();
    const { secret: ofEarlierRun } = await login(earlier.loginUrl);
    const { secret: willExpire } = await login(target.loginUrl);
    const expiredUrl = target.loginUrl;
    target.renewLogin();
    skew += 16 * 60_000;
    for (let i = 0; i < 6; i += 1) {
      expect(await refusal(target.port, [JSON.stringify({ id: 1, op: 'app.info', input: {} })])).toMatchObject({ code: 4401 });
      expect(await refusal(target.port, [JSON.stringify({ auth: ofEarlierRun })])).toMatchObject({ code: 4401, reason: /earlier run/ });
      expect(await refusal(target.port, [JSON.stringify({ auth: willExpire })])).toMatchObject({ code: 4401, reason: /expired/ });
      expect((await fetch(expiredUrl, { redirect: 'manual' })).status).toBe(401);
      expect((await fetch(target.url, { redirect: 'manual' })).status).toBe(401);
    }
    expect((await login(target.loginUrl)).secret).toMatch(/^s1\./);
  });
});
