import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src/main/hosts/web/web-host';
import { harness, standalone } from '../support/bed';

const h = harness();
let host: WebHost;
const staticDir = mkdtempSync(join(tmpdir(), 'swarmdeck-static-'));
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Swarmdeck</title>');

beforeAll(async () => {
  host = await startWebHost({ dispatch: h.dispatch, bus: h.services.bus, staticDir });
});
afterAll(async () => {
  await host.close();
  await h.services.dispose();
});

function open(headers: Record<string, string>, query = ''): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
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
  const login = await fetch(host.loginUrl, { redirect: 'manual' });
  return (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

describe('web host', () => {
  it('listens on loopback only', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('refuses pages without the token and trades the token for a strict cookie', async () => {
    expect((await fetch(host.url)).status).toBe(401);
    expect((await fetch(`${host.url}?token=wrong`)).status).toBe(401);
    const login = await fetch(host.loginUrl, { redirect: 'manual' });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(host.url, { headers: { cookie: cookie.split(';')[0] as string } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('Swarmdeck');
  });

  it('refuses sockets without the token or from another origin', async () => {
    await expect(open({})).rejects.toThrow(/401/);
    await expect(open({ origin: 'http://evil.example' }, `?token=${host.token}`)).rejects.toThrow(/401/);
  });

  it('runs contract calls and pushes events over one socket', async () => {
    const ws = await open({ origin: `http://127.0.0.1:${host.port}` }, `?token=${host.token}`);
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

  it('answers a path with a broken percent-encoding with a 400 once logged in', async () => {
    const cookie = await sessionCookie();
    const reply = await raw(`GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect((await fetch(host.url, { headers: { cookie } })).status).toBe(200);
  });

  it('finds its cookie among others, whatever their values hold', async () => {
    const cookie = await sessionCookie();
    const crowded = `other=a=b==; swarmdeck_token=stale-from-another-run; theme="dark"; ${cookie}; broken`;
    expect((await fetch(host.url, { headers: { cookie: crowded } })).status).toBe(200);
    expect((await fetch(host.url, { headers: { cookie: `${cookie}=; x` } })).status).toBe(401);
  });

  it('closes a socket whose frame is over the size limit with 1009 and a reason, and keeps serving', async () => {
    const origin = { origin: `http://127.0.0.1:${host.port}` };
    const ws = await open(origin, `?token=${host.token}`);
    const end = closed(ws);
    ws.on('error', () => undefined);
    ws.send('x'.repeat(5 * 1024 * 1024));
    expect(await end).toMatchObject({ code: 1009 });
    const again = await open(origin, `?token=${host.token}`);
    expect(await call(again, 1, 'app.info', {})).toMatchObject({ ok: true });
    again.close();
  });

  it('closes a socket that sends a binary frame with 1003 and a reason', async () => {
    const ws = await open({ origin: `http://127.0.0.1:${host.port}` }, `?token=${host.token}`);
    const end = closed(ws);
    ws.send(Buffer.from([0, 1, 2, 3]));
    const { code, reason } = await end;
    expect(code).toBe(1003);
    expect(reason).toMatch(/text/);
  });

  it('refuses an input over its operation\'s size cap, naming the limit, before validating it', async () => {
    const ws = await open({ origin: `http://127.0.0.1:${host.port}` }, `?token=${host.token}`);
    const reply = await call(ws, 1, 'app.info', { padding: 'x'.repeat(200 * 1024) });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringMatching(/app\.info.*KB/), details: { limit: 'maxInputBytes' } },
    });
    ws.close();
  });

  it('lets the largest inputs the schemas allow through the size caps', async () => {
    const ws = await open({ origin: `http://127.0.0.1:${host.port}` }, `?token=${host.token}`);
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
    const ws = await open({ origin: `http://127.0.0.1:${host.port}` }, `?token=${host.token}`);
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
    const ws = await open({ origin: `http://127.0.0.1:${host.port}` }, `?token=${host.token}`);
    const end = closed(ws);
    ws.pause();
    // Synchronous, so nothing drains meanwhile: ~40 MB of events for a reader that reads none.
    for (let i = 0; i < 1_000_000; i += 1) h.services.bus.emit({ type: 'profiles.changed' });
    ws.resume();
    expect(await end).toMatchObject({ code: 1008, reason: expect.stringMatching(/unread/) });
  });
});

describe('web host session hygiene', () => {
  it('names its cookie after its port and accepts no other', async () => {
    const login = await fetch(host.loginUrl, { redirect: 'manual' });
    expect(login.headers.get('set-cookie')).toMatch(new RegExp(`^swarmdeck_token_${host.port}=`));
    // Another server on 127.0.0.1 receives every cookie of the host; the unported name (or
    // another port's) must not unlock this one.
    for (const name of ['swarmdeck_token', `swarmdeck_token_${host.port + 1}`]) {
      expect((await fetch(host.url, { headers: { cookie: `${name}=${host.token}` } })).status).toBe(401);
      await expect(open({ cookie: `${name}=${host.token}`, origin: `http://127.0.0.1:${host.port}` })).rejects.toThrow(/401/);
    }
    expect((await fetch(host.url, { headers: { cookie: `swarmdeck_token_${host.port}=${host.token}` } })).status).toBe(200);
  });

  it('never writes the token into its log', async () => {
    const lines: string[] = [];
    const logged = await startWebHost({ dispatch: h.dispatch, bus: h.services.bus, staticDir, log: (line) => lines.push(line) });
    try {
      await raw(`GET http://evil/?token=${logged.token} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, logged.port);
      await raw(`GET /%E0%A4%A?x=${logged.token} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: swarmdeck_token_${logged.port}=${logged.token}\r\n\r\n`, logged.port);
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
    // Where it leads: a cookie for 127.0.0.1 and a socket from that origin.
    const login = await fetch(location, { redirect: 'manual' });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const ws = await open({ cookie, origin: `http://127.0.0.1:${host.port}` });
    expect(await call(ws, 1, 'app.info', {})).toMatchObject({ ok: true });
    ws.close();
  });
});
