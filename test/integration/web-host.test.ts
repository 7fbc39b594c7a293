import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src/main/hosts/web/web-host';
import { harness, standalone } from '../support/bed';
import { login, openSession, refusal } from '../support/web-session';

const h = harness();
let host: WebHost;
/** A session of the shared host, made once: every socket below presents it. */
let secret = '';
const staticDir = mkdtempSync(join(tmpdir(), 'swarmdeck-static-'));
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Swarmdeck</title>');

beforeAll(async () => {
  host = await startWebHost({ dispatch: h.dispatch, bus: h.services.bus, staticDir });
  secret = (await login(host.loginUrl)).secret;
});
afterAll(async () => {
  await host.close();
  await h.services.dispose();
});

/** A socket of this host's origin that has presented the session. */
async function open(): Promise<WebSocket> {
  return (await openSession(host.port, secret)).ws;
}

function call(ws: WebSocket, id: number, op: string, input: unknown): Promise<{ ok: boolean; result?: unknown; error?: { code: string } }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const message = JSON.parse(data.toString()) as { id?: number; envelope?: { ok: boolean } };
      if (message.id === id) {
        ws.off('message', onMessage);
        resolve(message.envelope as { ok: boolean });
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, op, input }));
  });
}

/** Writes raw bytes, half-closes, and returns whatever came back before the host closed. */
function raw(bytes: string | Buffer, port = host.port): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.end(bytes);
  });
}

async function sessionCookie(): Promise<string> {
  return (await login(host.loginUrl)).cookie;
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

describe('web host', () => {
  it('listens on loopback only', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('refuses pages without the token and trades the token for a session in the fragment and a strict cookie', async () => {
    expect((await fetch(host.url)).status).toBe(401);
    expect((await fetch(`${host.url}?token=wrong`)).status).toBe(401);
    const res = await fetch(host.loginUrl, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/#session=s1\./);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    // The cookie is neither the token nor the session: it opens the files, nothing else.
    expect(cookie).not.toContain(host.token);
    expect(cookie).not.toContain(res.headers.get('location')?.split('=')[1]);
    const page = await fetch(host.url, { headers: { cookie: cookie.split(';')[0] as string } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('Swarmdeck');
  });

  it('refuses sockets from another origin, and those that present no session first', async () => {
    const own = { origin: `http://127.0.0.1:${host.port}` };
    expect(await refusal(host.port, [JSON.stringify({ auth: secret })], { origin: 'http://evil.example' })).toMatchObject({ code: 401 });
    expect(await refusal(host.port, [JSON.stringify({ id: 1, op: 'app.info', input: {} })], own)).toMatchObject({ code: 4401, heard: [] });
    expect(await refusal(host.port, [JSON.stringify({ auth: 'not-a-session' })], own)).toMatchObject({
      code: 4401,
      reason: /Unknown session/,
      heard: [],
    });
    // The login token opens the login, not the socket.
    expect(await refusal(host.port, [JSON.stringify({ auth: host.token })], own, `?token=${host.token}`)).toMatchObject({
      code: 4401,
      heard: [],
    });
  });

  it('runs contract calls and pushes events over one socket', async () => {
    const ws = await open();
    const events: string[] = [];
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { event?: { type: string } };
      if (m.event) events.push(m.event.type);
    });
    const saved = await call(ws, 1, 'profiles.save', { profile: { ...standalone(), name: 'over ws' } });
    expect(saved.ok).toBe(true);
    const bad = await call(ws, 2, 'profiles.save', { profile: { name: 3 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const connected = await call(ws, 3, 'connections.connect', { profileId: 'over-ws' });
    expect(connected.ok).toBe(true);
    await expect.poll(() => events, { timeout: 5000 }).toEqual(expect.arrayContaining(['profiles.changed', 'connection.status', 'health']));
    ws.send('not json');
    ws.close();
  });
});

describe('web host error boundaries', () => {
  it('answers a raw "GET //" without the token with a 401, not an unhandled rejection', async () => {
    const reply = await raw('GET // HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 401 /);
    expect((await fetch(host.loginUrl, { redirect: 'manual' })).status).toBe(303);
  });

  it('answers a login a page caused (Sec-Fetch-Site) with a 403 before looking at the token', async () => {
    for (const site of ['same-site', 'cross-site', 'same-origin']) {
      const res = await fetch(host.loginUrl, { redirect: 'manual', headers: { 'sec-fetch-site': site } });
      expect(res.status).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    expect((await fetch(host.loginUrl, { redirect: 'manual', headers: { 'sec-fetch-site': 'none' } })).status).toBe(303);
  });

  it('answers a path with a broken percent-encoding with a 400 once logged in', async () => {
    const cookie = await sessionCookie();
    const reply = await raw(`GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect((await fetch(host.url, { headers: { cookie } })).status).toBe(200);
  });

  it('finds its cookie among others, whatever their values hold', async () => {
    const cookie = await sessionCookie();
    const crowded = `other=a=b==; swarmdeck_static=stale-from-another-run; theme="dark"; ${cookie}; broken`;
    expect((await fetch(host.url, { headers: { cookie: crowded } })).status).toBe(200);
    expect((await fetch(host.url, { headers: { cookie: `${cookie}=; x` } })).status).toBe(401);
  });

  it('closes a socket whose frame is over the size limit with 1009 and a reason, and keeps serving', async () => {
    const ws = await open();
    const end = closed(ws);
    ws.on('error', () => undefined);
    ws.send('x'.repeat(5 * 1024 * 1024));
    expect(await end).toMatchObject({ code: 1009 });
    const again = await open();
    expect(await call(again, 1, 'app.info', {})).toMatchObject({ ok: true });
    again.close();
  });

  it('closes a socket that sends a binary frame with 1003 and a reason', async () => {
    const ws = await open();
    const end = closed(ws);
    ws.send(Buffer.from([0, 1, 2, 3]));
    const { code, reason } = await end;
    expect(code).toBe(1003);
    expect(reason).toMatch(/text/);
  });

  it("refuses an input over its operation's size cap, naming the limit, before validating it", async () => {
    const ws = await open();
    const reply = await call(ws, 1, 'app.info', { padding: 'x'.repeat(200 * 1024) });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringMatching(/app\.info.*KB/), details: { limit: 'maxInputBytes' } },
    });
    ws.close();
  });

  it('lets the largest inputs the schemas allow through the size caps', async () => {
    const ws = await open();
    const id64 = (i: number): string => `${i}-`.padEnd(64, 'v');
    const voters = Array.from({ length: 10_000 }, (_, i) => id64(i));
    const proposal = { title: 't'.repeat(200), detail: 'd'.repeat(4000), ttlMs: 60_000, voters };
    const propose = await call(ws, 1, 'swarms.propose', { profileId: 'not-connected', swarmId: id64(0), proposal });
    const ids = Array.from({ length: 1000 }, (_, i) => `${i}-`.padEnd(64, 'p'));
    const exported = await call(ws, 2, 'profiles.export', { ids });
    for (const reply of [propose, exported]) expect(reply).not.toMatchObject({ error: { details: { limit: 'maxInputBytes' } } });
    expect(exported).toMatchObject({ ok: true });
    ws.close();
  });

  it('answers every call of a flood, refusing those past the in-flight limit by name', async () => {
    const ws = await open();
    ws.setMaxListeners(400);
    const flood = Array.from({ length: 300 }, (_, i) => call(ws, 100 + i, 'profiles.list', {}));
    const replies = await Promise.all(flood);
    const refused = replies.filter((reply) => !reply.ok);
    expect(refused.length).toBeGreaterThan(0);
    for (const reply of refused) expect(reply).toMatchObject({ error: { code: 'UNAVAILABLE', details: { limit: 'callsInFlight' } } });
    expect(await call(ws, 1, 'profiles.list', {})).toMatchObject({ ok: true });
    ws.close();
  });

  it('closes a socket whose client stopped reading, instead of buffering without bound', async () => {
    const ws = await open();
    const end = closed(ws);
    ws.pause();
    // Synchronous, so nothing drains meanwhile: ~40 MB of events for a reader that reads none.
    for (let i = 0; i < 1_000_000; i += 1) h.services.bus.emit({ type: 'profiles.changed' });
    ws.resume();
    expect(await end).toMatchObject({ code: 1008, reason: expect.stringMatching(/unread/) });
  });
});

describe('web host session hygiene', () => {
  it('names its cookie after its port and accepts no other name, nor the token as its value', async () => {
    const { cookie } = await login(host.loginUrl);
    const [name, value] = cookie.split('=') as [string, string];
    expect(name).toBe(`swarmdeck_static_${host.port}`);
    // Two hosts on 127.0.0.1 receive each other's cookies; the unported name (or another
    // port's) must not unlock this one, and the token (yesterday's cookie value) is not the value.
    for (const other of ['swarmdeck_static', `swarmdeck_static_${host.port + 1}`]) {
      expect((await fetch(host.url, { headers: { cookie: `${other}=${value}` } })).status).toBe(401);
    }
    expect((await fetch(host.url, { headers: { cookie: `${name}=${host.token}` } })).status).toBe(401);
    expect((await fetch(host.url, { headers: { cookie } })).status).toBe(200);
  });

  it('never writes the token into its log', async () => {
    const lines: string[] = [];
    const logged = await startWebHost({ dispatch: h.dispatch, bus: h.services.bus, staticDir, log: (line) => lines.push(line) });
    try {
      await raw(`GET http://evil/?token=${logged.token} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, logged.port);
      const { cookie } = await login(logged.loginUrl);
      await raw(`GET /%E0%A4%A?x=${logged.token} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\n\r\n`, logged.port);
      await raw(`GET http://evil/?token=not-the-token-but-still-a-secret HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, logged.port);
      for (const line of lines) {
        expect(line).not.toContain(logged.token);
        expect(line).not.toContain('still-a-secret');
      }
      expect(lines.filter((line) => line.startsWith('refused GET'))).toHaveLength(3);
      expect(lines.join('\n')).toContain('token=<redacted>');
    } finally {
      await logged.close();
    }
  });

  it('sends a localhost visit to 127.0.0.1 before the token exchange, so its socket is not refused', async () => {
    const reply = await raw(`GET /?token=${host.token} HTTP/1.1\r\nHost: localhost:${host.port}\r\nConnection: close\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 307 /);
    expect(reply).not.toMatch(/set-cookie/i);
    const location = /\r\nLocation: (\S+)\r\n/i.exec(reply)?.[1] ?? '';
    expect(location).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    // Where it leads: a session for 127.0.0.1 and a socket from that origin.
    const { ws } = await openSession(host.port, (await login(location)).secret);
    expect(await call(ws, 1, 'app.info', {})).toMatchObject({ ok: true });
    ws.close();
  });
});
