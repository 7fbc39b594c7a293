/**
 * What a socket holds in main, and what it cannot take from others (issue 19): watches and
 * blocking console commands are capped per socket with a typed refusal, a closed socket gives
 * back everything it held (jobs, timers, Redis connections), and calls that wait on a
 * connection of their own do not hold the profile's slots in the web host's admission.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwarmRegistry } from '../../src/main/features/swarms/swarm-registry';
import { startWebHost, type WebHost } from '../../src/main/hosts/web/web-host';
import { bed, harness, standalone } from '../support/bed';
import { login, openSession } from '../support/web-session';

const h = harness();
const direct = new Redis(bed.standalone.port, '127.0.0.1');
let host: WebHost;
let secret = '';
const staticDir = mkdtempSync(join(tmpdir(), 'swarmdeck-static-'));
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Swarmdeck</title>');

beforeAll(async () => {
  host = await startWebHost({ dispatch: h.dispatch, bus: h.services.bus, staticDir, log: () => undefined });
  secret = (await login(host.loginUrl)).secret;
});
afterAll(async () => {
  await host.close();
  await h.services.dispose();
  direct.disconnect();
});

interface Reply {
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

let nextId = 1;
function call(ws: WebSocket, op: string, input: unknown): Promise<Reply> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const message = JSON.parse(data.toString()) as { id?: number; envelope?: Reply };
      if (message.id === id) {
        ws.off('message', onMessage);
        resolve(message.envelope as Reply);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, op, input }));
  });
}

async function open(): Promise<WebSocket> {
  const { ws } = await openSession(host.port, secret);
  ws.setMaxListeners(100);
  return ws;
}

function close(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState === ws.CLOSED) return resolve();
    ws.once('close', () => resolve());
    ws.close();
  });
}

/** Every connection the server has, as CLIENT LIST tells it. */
async function clients(): Promise<Record<string, string>[]> {
  const text = String(await direct.call('CLIENT', 'LIST'));
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) =>
      Object.fromEntries(
        line
          .trim()
          .split(' ')
          .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
      ),
    );
}
const subscribers = async (): Promise<number> => (await clients()).filter((c) => Number(c.sub) > 0 || Number(c.psub) > 0).length;
const blocked = async (): Promise<number> => (await clients()).filter((c) => (c.flags ?? '').includes('b')).length;

const runningJobs = (kind: string): number => h.services.jobs.list().filter((j) => j.kind === kind && j.state === 'running').length;

/** Opens `op` calls on one socket until one is refused (or `most` succeed); the answers in order. */
async function untilRefused(ws: WebSocket, most: number, input: (i: number) => [string, unknown]): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (let i = 0; i < most; i += 1) {
    const [op, body] = input(i);
    const reply = await call(ws, op, body);
    replies.push(reply);
    if (!reply.ok) break;
  }
  return replies;
}

describe('what a socket holds', () => {
  it('caps message watches per socket with a typed refusal, bounds the subscriber connections, and gives them all back when the socket closes', async () => {
    // The finding: a read-only socket opened 397 watches and took every connection the server had.
    const profileId = await h.connected(standalone({ name: 'held-watch', readOnly: true }));
    const baseClients = (await clients()).length;
    const baseSubscribers = await subscribers();
    const greedy = await open();
    const replies = await untilRefused(greedy, 200, (i) => ['messages.watch', { profileId, channel: `held.watch.${i}` }]);
    const refused = replies.at(-1) as Reply;
    expect(refused, `${replies.length} watches were opened and none refused`).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', details: { limit: 'messages.watch' } },
    });
    const cap = replies.length - 1;
    expect(cap).toBeGreaterThan(0);
    expect(refused.error?.details?.max).toBe(cap);
    // It names the cap and how to free one.
    expect(refused.error?.message).toContain(String(cap));
    expect(refused.error?.message).toMatch(/cancel|close/i);
    expect(await subscribers()).toBe(baseSubscribers + cap);
    expect(runningJobs('messages.watch')).toBe(cap);

    // Another socket is not refused for what the first one holds.
    const other = await open();
    expect(await call(other, 'messages.watch', { profileId, channel: 'held.watch.other' })).toMatchObject({ ok: true });
    expect(await subscribers()).toBe(baseSubscribers + cap + 1);

    await close(greedy);
    await expect.poll(() => runningJobs('messages.watch'), { timeout: 5000 }).toBe(1);
    await expect.poll(subscribers, { timeout: 5000 }).toBe(baseSubscribers + 1);
    await close(other);
    await expect.poll(() => runningJobs('messages.watch'), { timeout: 5000 }).toBe(0);
    await expect.poll(async () => (await clients()).length, { timeout: 5000 }).toBe(baseClients);
  });

  it('caps swarm watches per socket with a typed refusal, and stops them all when the socket closes', async () => {
    const profileId = await h.connected(standalone({ name: 'held-swarm', readOnly: true }));
    const swarmId = `held-${randomBytes(4).toString('hex')}`;
    await new SwarmRegistry(direct).create({ id: swarmId, name: 'held', topology: 'mesh', strategy: 'quorum', maxAgents: 4 });
    const greedy = await open();
    const replies = await untilRefused(greedy, 100, () => ['swarms.watch', { profileId, swarmId, count: 1 }]);
    const refused = replies.at(-1) as Reply;
    expect(refused, `${replies.length} swarm watches were opened and none refused`).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', details: { limit: 'swarms.watch' } },
    });
    const cap = replies.length - 1;
    expect(refused.error?.details?.max).toBe(cap);
    expect(refused.error?.message).toMatch(/unwatch|close/i);
    // Each accepted watch is still running: none was evicted to make room for a newer one.
    expect(h.services.swarmMonitor.count(profileId)).toBe(cap);

    await close(greedy);
    await expect.poll(() => h.services.swarmMonitor.count(profileId), { timeout: 5000 }).toBe(0);
  });

  it('caps console MONITOR jobs per socket, and ends them and their connections when the socket closes', async () => {
    const profileId = await h.connected(standalone({ name: 'held-monitor' }));
    const baseClients = (await clients()).length;
    const greedy = await open();
    const replies = await untilRefused(greedy, 20, () => ['console.monitor', { profileId, seconds: 600 }]);
    const refused = replies.at(-1) as Reply;
    expect(refused, `${replies.length} MONITOR jobs were started and none refused`).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE', details: { limit: 'console.monitor' } },
    });
    const cap = replies.length - 1;
    // Each one started: a MONITOR that failed (ioredis's race on a busy server) used to free its
    // place and keep its connection.
    expect(
      h.services.jobs
        .list()
        .filter((j) => j.kind === 'console.monitor' && j.state === 'failed')
        .map((j) => j.error?.message),
    ).toEqual([]);
    await expect.poll(async () => (await clients()).filter((c) => c.cmd === 'monitor').length, { timeout: 5000 }).toBe(cap);

    await close(greedy);
    await expect.poll(() => runningJobs('console.monitor'), { timeout: 5000 }).toBe(0);
    await expect.poll(async () => (await clients()).length, { timeout: 5000 }).toBe(baseClients);
  });
});

describe('blocking console commands', () => {
  it("do not take the profile's call slots: another socket's config.get answers while nine BLPOP … 0 still block", async () => {
    const profileId = await h.connected(standalone({ name: 'held-blocking' }));
    const key = `held:block:${randomBytes(4).toString('hex')}`;
    const sockets = await Promise.all([open(), open(), open()]);
    let answered = 0;
    const blockers = sockets.flatMap((ws) =>
      Array.from({ length: 3 }, () =>
        call(ws, 'console.exec', { profileId, line: `BLPOP ${key} 0` }).then((reply) => {
          answered += 1;
          return reply;
        }),
      ),
    );
    // At least the eight the old admission let through are blocked in Redis now.
    await expect.poll(blocked, { timeout: 10_000 }).toBeGreaterThanOrEqual(8);

    const tab = await open();
    const config = await call(tab, 'config.get', { profileId, scope: 'global' });
    expect(config).toMatchObject({ ok: true });
    // The order is the proof: config.get came back while every blocker was still waiting.
    expect(answered).toBe(0);
    await expect.poll(blocked, { timeout: 10_000 }).toBe(9);

    await direct.rpush(key, ...Array.from({ length: 9 }, (_, i) => `v${i}`));
    const replies = await Promise.all(blockers);
    for (const reply of replies) expect(reply).toMatchObject({ ok: true, result: { results: [{ command: 'BLPOP', dedicated: true }] } });
    await Promise.all([...sockets, tab].map(close));
  });

  it("are bounded per socket with a typed refusal, and a closed socket's blocked commands let go of their connections", async () => {
    const profileId = await h.connected(standalone({ name: 'held-blocking-cap' }));
    const key = `held:cap:${randomBytes(4).toString('hex')}`;
    const baseClients = (await clients()).length;
    const ws = await open();
    const pending = Array.from({ length: 12 }, () => call(ws, 'console.exec', { profileId, line: `BLPOP ${key} 0` }));
    // The first answer is a refusal: every call that was let through is still blocked.
    const first = await Promise.race(pending);
    expect(first).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', details: { limit: 'console.blocking' } } });
    const cap = first.error?.details?.max as number;
    expect(cap).toBeGreaterThan(0);
    expect(cap).toBeLessThan(12);
    expect(first.error?.message).toContain(String(cap));
    await expect.poll(blocked, { timeout: 10_000 }).toBe(cap);
    expect((await clients()).length).toBe(baseClients + cap);

    await close(ws);
    await expect.poll(blocked, { timeout: 5000 }).toBe(0);
    await expect.poll(async () => (await clients()).length, { timeout: 5000 }).toBe(baseClients);
    // Nothing was popped by a connection nobody listens to any more.
    await direct.rpush(key, 'kept');
    expect(await direct.lrange(key, 0, -1)).toEqual(['kept']);
    await direct.del(key);
  });
});
