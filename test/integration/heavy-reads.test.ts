import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskQueue } from '../../src/main/features/queues/task-queue';
import { startWebHost, type WebHost } from '../../src/main/hosts/web/web-host';
import type { TaskDetail } from '../../src/shared/model/task';
import { bed, harness, standalone } from '../support/bed';
import { login, openSession } from '../support/web-session';

const h = harness();
const lines: string[] = [];
let host: WebHost;
const staticDir = mkdtempSync(join(tmpdir(), 'swarmdeck-static-'));
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Swarmdeck</title>');
const redis = new Redis(bed.standalone.port, '127.0.0.1');
const queue = `heavy-${Date.now().toString(36)}`;
const PAYLOAD = 'p'.repeat(500 * 1024);
let profileId = '';
const started = new Map<number, number>();
let answered = 0;

beforeAll(async () => {
  // Counts the calls that reached the services, by page offset, to tell one flood from another.
  const dispatch: typeof h.dispatch = (op, input) => {
    const offset = (input as { offset?: unknown } | null)?.offset;
    if (op === 'queues.tasks' && typeof offset === 'number') started.set(offset, (started.get(offset) ?? 0) + 1);
    return h.dispatch(op, input).finally(() => (answered += 1));
  };
  host = await startWebHost({ dispatch, bus: h.services.bus, staticDir, log: (line) => lines.push(line) });
  const profile = await h.services.profiles.save({ ...standalone(), name: 'heavy reads', readOnly: true });
  await h.services.connections.connect(profile.id);
  profileId = profile.id;
  const q = new TaskQueue(redis, queue, { prefix: profile.keyPrefix });
  for (let i = 0; i < 200; i += 1) await q.enqueue({ id: `t${i}`, data: PAYLOAD });
});
afterAll(async () => {
  await host.close();
  await h.services.dispose();
  redis.disconnect();
});

async function open(): Promise<WebSocket> {
  return (await openSession(host.port, (await login(host.loginUrl)).secret)).ws;
}

function call<T>(ws: WebSocket, id: number, op: string, input: unknown): Promise<{ ok: boolean; result?: T; error?: { code: string } }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const message = JSON.parse(data.toString()) as { id?: number; envelope?: { ok: boolean } };
      if (message.id === id) {
        ws.off('message', onMessage);
        resolve(message.envelope as { ok: boolean; result?: T });
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, op, input }));
  });
}

async function clientMemory(): Promise<number> {
  const info = await redis.info('memory');
  return Number(/mem_clients_normal:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

describe('heavy reads through the web host', () => {
  it('returns big payloads truncated with their size in a page, and whole from queues.task', async () => {
    const ws = await open();
    const page = await call<TaskDetail[]>(ws, 1, 'queues.tasks', { profileId, queue, state: 'waiting', offset: 0, limit: 500 });
    expect(page.ok).toBe(true);
    const tasks = page.result ?? [];
    // The page keeps its count (the table pages by count) but not the payloads' bytes.
    expect(tasks).toHaveLength(200);
    expect(tasks[0]).toMatchObject({ id: 't0', state: 'waiting', truncated: { data: PAYLOAD.length + 2 } });
    expect(tasks[0]?.data).toBeUndefined();
    expect(JSON.stringify(tasks).length).toBeLessThan(2 * 1024 * 1024);
    const one = await call<TaskDetail>(ws, 2, 'queues.task', { profileId, queue, id: 't7' });
    expect(one.result?.data).toBe(PAYLOAD);
    expect(one.result?.truncated).toBeUndefined();
    ws.close();
  });

  it('keeps Redis client memory bounded when four sockets flood page reads and never read', async () => {
    const BOUND = 64 * 1024 * 1024;
    const sockets = await Promise.all([open(), open(), open(), open()]);
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await clientMemory());
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const closedBefore = lines.filter((line) => line.startsWith('closed a socket')).length;
    const answeredBefore = answered;
    for (const ws of sockets) {
      ws.on('error', () => undefined);
      ws.pause();
      for (let i = 0; i < 60; i += 1) {
        ws.send(JSON.stringify({ id: i, op: 'queues.tasks', input: { profileId, queue, state: 'waiting', offset: 0, limit: 500 } }));
      }
    }
    // Ends when the services have answered all 240 calls or the host has dropped all four
    // readers, or as soon as the bound is broken (so a failing run stops before it takes the
    // machine's memory).
    const over = (): boolean =>
      peak > BOUND ||
      answered - answeredBefore >= 240 ||
      lines.filter((line) => line.startsWith('closed a socket')).length - closedBefore >= 4;
    await expect.poll(over, { timeout: 120_000, interval: 50 }).toBe(true);
    sampling = false;
    await sampler;
    for (const ws of sockets) ws.terminate();
    expect(peak).toBeLessThan(BOUND);
    // The host goes on answering everyone else.
    const fresh = await open();
    expect(await call(fresh, 1, 'queues.summary', { profileId, queue })).toMatchObject({ ok: true });
    fresh.close();
  }, 180_000);

  it('drops the calls a closed socket left waiting before they reach Redis', async () => {
    const ws = await open();
    // Offset 7 marks this flood's calls among everything the services see.
    for (let i = 0; i < 60; i += 1)
      ws.send(JSON.stringify({ id: i, op: 'queues.tasks', input: { profileId, queue, state: 'waiting', offset: 7, limit: 500 } }));
    ws.terminate();
    // Calls of one profile start in the order they came: once a later socket's call is
    // answered, every call of the closed one has either started or been dropped.
    const later = await open();
    expect(await call(later, 1, 'queues.tasks', { profileId, queue, state: 'waiting', offset: 8, limit: 1 })).toMatchObject({ ok: true });
    later.close();
    expect(started.get(7) ?? 0).toBeLessThan(30);
  });
});
