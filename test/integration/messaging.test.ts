import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import calculateSlot from 'cluster-key-slot';
import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, Keyring, newHeader } from '../../src/main/features/messaging/envelope';
import { Messaging, type Subscription } from '../../src/main/features/messaging/messaging';
import { matchesType, MessageRouter } from '../../src/main/features/messaging/router';
import { KEYS_FILE } from '../../src/main/features/messaging/service';
import type { RedisClient } from '../../src/main/redis/client-options';
import { duplicateSubscriber } from '../../src/main/redis/read-only-guard';
import { messageStreamKey, queueKeys } from '../../src/main/redis/keyspace';
import type { JobView } from '../../src/shared/model/job';
import type { ViewerMessage } from '../../src/shared/contract/messaging';
import { SwarmdeckError } from '../../src/shared/errors';
import { dispatchFor } from '../../src/main/api';
import { createServices } from '../../src/main/services';
import { BED_DIR, ROOT, bed, ok, redisTargets, standalone, tempHome } from '../support/bed';
import { ManualClock } from '../support/clock';
import { clientPool, refusal, until } from '../support/harness';

const run = `msg${process.pid}`;

/** Subscribers of a channel across every master (sharded counts live on the shard's node only). */
async function subscribers(client: RedisClient, channel: string): Promise<number> {
  if (!(client instanceof Cluster)) return Number(((await client.call('PUBSUB', 'NUMSUB', channel)) as [string, number])[1]);
  let total = 0;
  for (const node of client.nodes('master')) {
    total += Number(((await node.call('PUBSUB', 'SHARDNUMSUB', channel)) as [string, number])[1]);
    total += Number(((await node.call('PUBSUB', 'NUMSUB', channel)) as [string, number])[1]);
  }
  return total;
}

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const secret = randomBytes(32);

describe('envelopes', () => {
  it('round-trips a payload through deflate above the threshold only', () => {
    const big = { text: 'swarm '.repeat(400), n: 1 };
    const wire = encodeEnvelope(newHeader('p', 'big'), big);
    expect(wire.readUInt8(4) & 1).toBe(1);
    expect(wire.length).toBeLessThan(JSON.stringify(big).length / 4);
    expect(decodeEnvelope(wire).payload).toEqual(big);
    const small = encodeEnvelope(newHeader('p', 'small'), { a: 1 });
    expect(small.readUInt8(4) & 1).toBe(0);
    expect(decodeEnvelope(small).payload).toEqual({ a: 1 });
    const threshold = encodeEnvelope(newHeader('p', 't'), 'x'.repeat(100), { compressAbove: 50 });
    expect(threshold.readUInt8(4) & 1).toBe(1);
    expect(decodeEnvelope(threshold).payload).toBe('x'.repeat(100));
  });

  it('rotates keys: old messages open until their key is retired; the secret is never on the wire', () => {
    const ring = new Keyring(secret, ['k1']);
    const old = encodeEnvelope(newHeader('p', 't'), { v: 1 }, { keyring: ring });
    ring.rotate('k2');
    const fresh = encodeEnvelope(newHeader('p', 't'), { v: 2 }, { keyring: ring, compressAbove: 0 });
    expect(decodeEnvelope(old, ring)).toMatchObject({ keyId: 'k1', payload: { v: 1 } });
    expect(decodeEnvelope(fresh, ring)).toMatchObject({ keyId: 'k2', payload: { v: 2 } });
    expect(old.includes(secret)).toBe(false);
    expect(old.includes(Buffer.from('{"v":1}'))).toBe(false);
    // Another process with the same secret and key ids opens both.
    expect(decodeEnvelope(old, new Keyring(secret, ['k1', 'k2'])).payload).toEqual({ v: 1 });
    ring.retire('k1');
    const retired = (() => {
      try {
        decodeEnvelope(old, ring);
      } catch (error) {
        return error as SwarmdeckError;
      }
      throw new Error('a retired key opened a message');
    })();
    expect(retired.code).toBe('BAD_MESSAGE');
    expect(retired.message).toMatch(/k1.*retired/);
    expect(decodeEnvelope(fresh, ring).payload).toEqual({ v: 2 });
    expect(() => ring.retire('k2')).toThrow(/current key/);
    // Another secret with the same key id: the seal does not open.
    expect(() => decodeEnvelope(fresh, new Keyring(randomBytes(32), ['k2']))).toThrow(/integrity/);
  });

  it('refuses a compressed body that would inflate past the payload limit, without inflating it', () => {
    const wire = encodeEnvelope(newHeader('p', 'bomb'), { x: 1 }, { compressAbove: 0 });
    const headLength = wire.readUInt16BE(5);
    const header = JSON.parse(wire.subarray(7, 7 + headLength).toString('utf8')) as { bytes: number };
    // 32 MiB of spaces deflate to about 32 KiB: a bomb as a hostile publisher would send it.
    const body = deflateRawSync(Buffer.alloc(32 * 1024 * 1024, 32));
    const head = Buffer.from(JSON.stringify({ ...header, bytes: body.length }));
    const prefix = Buffer.from(wire.subarray(0, 7));
    prefix.writeUInt16BE(head.length, 5);
    let error: unknown;
    try {
      decodeEnvelope(Buffer.concat([prefix, head, body]));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'BAD_MESSAGE', message: expect.stringMatching(/inflates past 16 MiB/) });
    expect(() => encodeEnvelope(newHeader('p', 'big'), 'x'.repeat(17 * 1024 * 1024))).toThrow(/at most 16 MiB/);
  });

  it('refuses every tampered, truncated or foreign message with BAD_MESSAGE, never garbage', () => {
    const ring = new Keyring(secret, ['k1']);
    const cases: [string, Buffer, Keyring | undefined][] = [];
    for (const [label, keyring, compressAbove] of [
      ['sealed', ring, 1024],
      ['sealed+deflated', ring, 0],
      ['plain', undefined, 1024],
      ['deflated', undefined, 0],
    ] as const) {
      const wire = encodeEnvelope(newHeader('p', 'order.created'), { amount: 12, items: ['a', 'b', 'c'] }, { keyring, compressAbove });
      const headerEnd = 7 + wire.readUInt16BE(5);
      const flipBody = Buffer.from(wire);
      flipBody[wire.length - 2] = (flipBody[wire.length - 2] as number) ^ 0x20;
      cases.push([`${label}: a body byte flipped`, flipBody, keyring]);
      cases.push([`${label}: truncated by one byte`, wire.subarray(0, wire.length - 1), keyring]);
      cases.push([`${label}: body cut away`, wire.subarray(0, headerEnd), keyring]);
      cases.push([`${label}: header cut`, wire.subarray(0, headerEnd - 3), keyring]);
      const padded = Buffer.concat([wire, Buffer.from('x')]);
      cases.push([`${label}: a byte appended`, padded, keyring]);
      if (keyring) {
        // A header changed in place (the type) must fail the seal, whose additional data it is.
        const retyped = Buffer.from(wire.toString('latin1').replace('order.created', 'order.deleted'), 'latin1');
        cases.push([`${label}: header retyped`, retyped, keyring]);
        cases.push([`${label}: no keyring`, wire, undefined]);
      }
    }
    cases.push(['not an envelope', Buffer.from('hello'), undefined]);
    cases.push(['empty', Buffer.alloc(0), undefined]);
    const accepted: string[] = [];
    for (const [label, wire, keyring] of cases) {
      try {
        const opened = decodeEnvelope(wire, keyring);
        accepted.push(`${label} → ${JSON.stringify(opened.payload)}`);
      } catch (error) {
        if (!(error instanceof SwarmdeckError) || error.code !== 'BAD_MESSAGE') accepted.push(`${label} → ${String(error)}`);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('matches types with * without a regular expression', () => {
    const table: [string, string, boolean][] = [
      ['task.*', 'task.created', true],
      ['task.*', 'task.', true],
      ['task.*', 'tasks.created', false],
      ['*.created', 'order.created', true],
      ['*', 'anything', true],
      ['a*b*c', 'abc', true],
      ['a*b*c', 'aXbYc', true],
      ['a*b*c', 'acb', false],
      ['ab*ba', 'aba', false],
      ['a.b', 'aXb', false],
      ['(.*)+', '(.x)+', true],
      ['(.*)+', '(x)+', false],
      ['exact', 'exact', true],
      ['exact', 'exactly', false],
    ];
    expect(table.filter(([m, t, want]) => matchesType(m, t) !== want)).toEqual([]);
  });
});

describe.each(redisTargets())('messaging on %s', (kind, connect) => {
  const { open, disconnect } = clientPool(connect);
  const closers: (() => Promise<unknown>)[] = [];
  const prefix = `${run}${kind}`;
  const port = kind === 'cluster' ? (bed.cluster.ports[0] as number) : bed.standalone.port;
  const messagingOn = (client: RedisClient, options: ConstructorParameters<typeof Messaging>[1] = {}): Messaging => {
    const m = new Messaging(client, { prefix, ...options });
    closers.push(() => m.close());
    return m;
  };
  afterAll(async () => {
    for (const close of closers) await close().catch(() => undefined);
    disconnect();
  });

  it('delivers envelopes to channel and pattern subscribers, on their own connection', async () => {
    const client = open();
    const a = messagingOn(client, { publisher: 'agent-a' });
    const b = messagingOn(open());
    const exact: unknown[] = [];
    const matched: string[] = [];
    await b.subscribe('orders.eu', (envelope, channel) => exact.push({ ...envelope, channel }));
    await b.psubscribe('orders.*', (envelope, channel) => matched.push(`${channel}:${envelope.type}`));
    const sent = await a.publish('orders.eu', 'order.created', { id: 7 });
    await a.publish('orders.us', 'order.created', { id: 8 });
    await until('both deliveries', () => (exact.length === 1 && matched.length === 2 ? true : undefined));
    expect(exact[0]).toMatchObject({ id: sent.id, publisher: 'agent-a', type: 'order.created', payload: { id: 7 } });
    // PUBLISH on a cluster counts only the pattern subscribers of the node it reached; SPUBLISH counts the shard's exactly.
    if (kind === 'standalone') expect(sent.receivers).toBe(2);
    else expect(sent.receivers).toBeGreaterThanOrEqual(1);
    expect(matched.sort()).toEqual([`${b.channel('orders.eu')}:order.created`, `${b.channel('orders.us')}:order.created`]);
    // The shared connection never entered subscriber mode: it still answers commands.
    expect(await client.ping()).toBe('PONG');
  });

  it('resubscribes after its subscriber connection is killed (channels, patterns and the reply channel)', async () => {
    const client = open();
    const sender = messagingOn(client);
    const listener = messagingOn(open());
    const got: string[] = [];
    await listener.subscribe('resub', (e) => got.push(`exact:${String(e.payload)}`));
    await listener.psubscribe('resub*', (e) => got.push(`pattern:${String(e.payload)}`));
    await messagingOn(open()).serve('resub.rpc', () => 'pong');
    expect((await listener.request('resub.rpc', 'ping', null)).payload).toBe('pong');
    const nodes = client instanceof Cluster ? client.nodes('master') : [client];
    let killed = 0;
    for (const node of nodes) killed += Number(await node.call('CLIENT', 'KILL', 'TYPE', 'pubsub'));
    expect(killed).toBeGreaterThanOrEqual(2);
    // Keep publishing until both subscriptions hear it again: resubscription takes a reconnect.
    await until('both subscriptions back', async () => {
      await sender.publish('resub', 'ping', 'after');
      return got.includes('exact:after') && got.includes('pattern:after') ? true : undefined;
    });
    // The responder resubscribes on its own schedule; a request sent before it is back is lost
    // (pub/sub keeps nothing), so ask until it answers — through the listener's reply channel.
    const answer = await until('the responder and the reply channel back', () =>
      listener.request('resub.rpc', 'ping', null, { timeoutMs: 300 }).then(
        (r) => r.payload,
        () => undefined,
      ),
    );
    expect(answer).toBe('pong');
    expect(listener.inFlight).toBe(0);
  });

  it('answers requests on one reply channel; 10,000 requests with timeouts leak no subscription, timer or pending request', async () => {
    const client = open();
    const server = messagingOn(open());
    const caller = messagingOn(client);
    await server.serve<{ n: number }>('math.double', (request) => {
      if (request.payload.n < 0) throw new SwarmdeckError('VALIDATION', 'negative');
      return { n: request.payload.n * 2 };
    });
    const baseline = timers();
    const replyChannel = caller.replyChannel;
    const outcomes = { ok: 0, timeout: 0, wrong: 0 };
    let maxSubscribers = 0;
    const total = 10_000;
    for (let start = 0; start < total; start += 500) {
      await Promise.all(
        Array.from({ length: 500 }, async (_, i) => {
          const n = start + i;
          // One in ten goes to a channel nobody serves and must time out.
          if (n % 10 === 0) {
            const error = await refusal(caller.request('math.nobody', 'double', { n }, { timeoutMs: 30 }));
            if (error.code === 'TIMEOUT') outcomes.timeout += 1;
            else outcomes.wrong += 1;
            return;
          }
          const reply = await caller.request<{ n: number }>('math.double', 'double', { n }, { timeoutMs: 10_000 });
          if (reply.payload.n === n * 2 && reply.type === 'double.reply') outcomes.ok += 1;
          else outcomes.wrong += 1;
        }),
      );
      maxSubscribers = Math.max(maxSubscribers, await subscribers(client, replyChannel));
    }
    expect(outcomes).toEqual({ ok: 9000, timeout: 1000, wrong: 0 });
    expect(maxSubscribers).toBe(1);
    expect(caller.inFlight).toBe(0);
    expect(timers()).toBeLessThanOrEqual(baseline);
    // A responder's typed error comes back typed.
    expect((await refusal(caller.request('math.double', 'double', { n: -1 }))).code).toBe('VALIDATION');
    await caller.close();
    await until('the reply channel to be gone', async () => ((await subscribers(client, replyChannel)) === 0 ? true : undefined));
  }, 120_000);

  it('a route set in this process applies in another process at once (version + wake-up)', async () => {
    const client = open();
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'test/support/route-worker.ts'), kind, String(port), prefix],
      {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    closers.push(async () => child.stdin?.end());
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await until('the router process', () => (out.includes('ready') ? true : undefined), 30_000);
    const router = new MessageRouter(client, messagingOn(client), { prefix });
    const publisher = messagingOn(client, { publisher: 'agent-x' });
    const stream = messageStreamKey(prefix, 'orders');
    await publisher.publish('in', 'order.created', { n: 0 });
    const { version } = await router.set({ name: 'orders', match: 'order.*', target: { kind: 'stream', stream: 'orders' } });
    await until(`the other process at version ${version}`, () => (out.includes(`version ${version}\n`) ? true : undefined));
    await publisher.publish('in', 'order.created', { n: 1 });
    await publisher.publish('in', 'invoice.created', { n: 2 });
    const entries = await until('the routed message', async () => {
      const e = await client.xrange(stream, '-', '+');
      return e.length >= 1 ? e : undefined;
    });
    const deleted = await router.delete('orders');
    expect(deleted.deleted).toBe(true);
    await until(`the other process at version ${deleted.version}`, () => (out.includes(`version ${deleted.version}\n`) ? true : undefined));
    await publisher.publish('in', 'order.created', { n: 3 });
    // A marker sent after: once it is routed by a catch-all, n=3 would have been too.
    const marker = await router.set({ name: 'marker', match: 'marker', target: { kind: 'stream', stream: 'orders' } });
    await until(`the other process at version ${marker.version}`, () => (out.includes(`version ${marker.version}\n`) ? true : undefined));
    await publisher.publish('in', 'marker', {});
    const after = await until('the marker', async () => {
      const e = await client.xrange(stream, '-', '+');
      return e.length >= 2 ? e : undefined;
    });
    const bodies = after.map(([, fields]) => decodeEnvelope(Buffer.from(fields[fields.indexOf('message') + 1] as string, 'latin1')));
    expect(entries.length).toBe(1);
    expect(after.map(([, f]) => f[f.indexOf('type') + 1])).toEqual(['order.created', 'marker']);
    expect(bodies[0]?.publisher).toBe('agent-x');
    await router.delete('marker');
    child.stdin?.end();
  }, 60_000);

  it('filters by content and size, and delivers to pub/sub and a task queue', async () => {
    const client = open();
    const messaging = messagingOn(client);
    const router = new MessageRouter(client, messaging, { prefix });
    await router.set({
      name: 'eu',
      match: 'order.*',
      target: { kind: 'queue', queue: `${run}eu` },
      filters: { field: { path: 'address.region', equals: 'eu' }, maxBytes: 400 },
    });
    await router.set({
      name: 'vip',
      match: 'order.*',
      target: { kind: 'pubsub', channel: 'vip' },
      filters: { field: { path: 'customer', contains: 'VIP' } },
    });
    const vip: unknown[] = [];
    await messagingOn(open()).subscribe('vip', (e) => vip.push(e.payload));
    const wire = (payload: unknown): Buffer => messaging.encode('order.created', payload).wire;
    const outcomes = [
      await router.route(wire({ address: { region: 'eu' }, customer: 'VIP Ltd' })),
      await router.route(wire({ address: { region: 'us' }, customer: 'plain' })),
      await router.route(wire({ address: { region: 'eu' }, customer: 'x'.repeat(500) })),
      await router.route(wire({ address: 'eu', customer: 7 })),
    ];
    expect(outcomes).toEqual([
      [
        { route: 'eu', delivered: true },
        { route: 'vip', delivered: true },
      ],
      [
        { route: 'eu', delivered: false, filtered: 'content' },
        { route: 'vip', delivered: false, filtered: 'content' },
      ],
      [
        { route: 'eu', delivered: false, filtered: 'size' },
        { route: 'vip', delivered: false, filtered: 'content' },
      ],
      [
        { route: 'eu', delivered: false, filtered: 'content' },
        { route: 'vip', delivered: false, filtered: 'content' },
      ],
    ]);
    expect(await client.zcard(queueKeys(prefix, `${run}eu`).wait)).toBe(1);
    await until('the vip message', () => (vip.length === 1 ? true : undefined));
    await router.delete('eu');
    await router.delete('vip');
  });

  it('limits each publisher exactly at the window boundaries (one script, injected clock)', async () => {
    const client = open();
    const clock = new ManualClock(1_000_000 * 1000 + 1000 - 3);
    const a = messagingOn(client, { publisher: 'a' });
    const b = messagingOn(client, { publisher: 'b' });
    const router = new MessageRouter(client, a, { prefix, clock });
    await router.set({
      name: `rate${kind}`,
      match: 'tick',
      target: { kind: 'stream', stream: `rate${kind}` },
      filters: { rate: { limit: 3, windowMs: 1000 } },
    });
    const send = async (from: Messaging): Promise<boolean> => (await router.route(from.encode('tick', {}).wire))[0]?.delivered === true;
    const seen: string[] = [];
    // 3 ms before a boundary: three pass, the fourth does not; b has its own count.
    for (let i = 0; i < 4; i += 1) seen.push(`a@-3:${await send(a)}`);
    seen.push(`b@-3:${await send(b)}`);
    clock.advance(2); // the window's last millisecond
    seen.push(`a@-1:${await send(a)}`);
    clock.advance(1); // the first millisecond of the next window
    for (let i = 0; i < 4; i += 1) seen.push(`a@0:${await send(a)}`);
    clock.advance(999); // still the same window
    seen.push(`a@999:${await send(a)}`);
    clock.advance(1);
    seen.push(`a@1000:${await send(a)}`);
    expect(seen).toEqual([
      'a@-3:true',
      'a@-3:true',
      'a@-3:true',
      'a@-3:false',
      'b@-3:true',
      'a@-1:false',
      'a@0:true',
      'a@0:true',
      'a@0:true',
      'a@0:false',
      'a@999:false',
      'a@1000:true',
    ]);
    await router.delete(`rate${kind}`);
  });

  it('refuses bad input with typed errors and never delivers garbage', async () => {
    const client = open();
    const m = messagingOn(client);
    const router = new MessageRouter(client, m, { prefix });
    const codes = [
      (await refusal(m.publish('bad channel', 't', 1))).code,
      (await refusal(m.publish('{slot}', 't', 1))).code,
      (await refusal(m.publish('ok', 'bad type!', 1))).code,
      (await refusal(m.subscribe('a b', () => undefined))).code,
      (await refusal(m.request('ok', 't', 1, { timeoutMs: 0 }))).code,
      (await refusal(router.set({ name: 'x', match: 'a(b', target: { kind: 'pubsub', channel: 'c' } }))).code,
      (await refusal(router.set({ name: 'x', match: 'a', target: { kind: 'stream', stream: 'a b' } }))).code,
      (await refusal(router.delete('no such/route'))).code,
      (await refusal(router.route(Buffer.from('garbage')))).code,
    ];
    expect(codes).toEqual([
      'VALIDATION',
      'VALIDATION',
      'VALIDATION',
      'VALIDATION',
      'VALIDATION',
      'VALIDATION',
      'VALIDATION',
      'VALIDATION',
      'BAD_MESSAGE',
    ]);
    const delivered: unknown[] = [];
    const rejected: string[] = [];
    const ring = new Keyring(secret, ['k1']);
    await messagingOn(open(), { keyring: ring }).subscribe(
      'guarded',
      (e) => delivered.push(e.payload),
      (error) => rejected.push(error.code),
    );
    const sealed = messagingOn(client, { keyring: ring }).encode('t', { ok: true }).wire;
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
    await m.publishRaw(m.channel('guarded'), Buffer.from('not an envelope'));
    await m.publishRaw(m.channel('guarded'), tampered);
    await m.publishRaw(m.channel('guarded'), sealed);
    await until('three messages', () => (delivered.length + rejected.length === 3 ? true : undefined));
    expect({ delivered, rejected }).toEqual({ delivered: [{ ok: true }], rejected: ['BAD_MESSAGE', 'BAD_MESSAGE'] });
  });
});

describe('live viewer through the contract', () => {
  const home = tempHome();
  const services = createServices({ home, env: {} });
  const h = { services, dispatch: dispatchFor(services) };
  const subs: Subscription[] = [];
  afterAll(async () => {
    for (const s of subs) await s.close();
    await h.services.dispose();
  });

  it('watches a channel on its own connection, opens sealed messages with the home keyring, and a read-only profile may watch but not publish', async () => {
    writeFileSync(join(home, KEYS_FILE), JSON.stringify({ secret: secret.toString('base64'), keys: ['k1', 'k2'] }), { mode: 0o600 });
    const { id: profileId } = await ok<{ id: string }>(
      h.dispatch('profiles.save', { profile: standalone({ name: `viewer-${run}`, keyPrefix: `${run}v`, readOnly: true }) }),
    );
    await ok(h.dispatch('connections.connect', { profileId }));
    // The profile's own connections refuse SUBSCRIBE; its subscriber connection may subscribe and still never publish.
    const session = h.services.connections.session(profileId);
    const plain = session.client.duplicate();
    const subscriber = duplicateSubscriber(session.client);
    try {
      expect((await refusal(plain.subscribe('x'))).code).toBe('READ_ONLY');
      expect(await subscriber.subscribe('x')).toBe(1);
      expect((await refusal(session.client.publish('x', 'y'))).code).toBe('READ_ONLY');
      await subscriber.unsubscribe('x');
      expect((await refusal(subscriber.publish('x', 'y'))).code).toBe('READ_ONLY');
      expect((await refusal(subscriber.set('x', 'y'))).code).toBe('READ_ONLY');
    } finally {
      plain.disconnect();
      subscriber.disconnect();
    }
    const job = await ok<JobView>(h.dispatch('messages.watch', { profileId, pattern: 'agents.*' }));
    const refused = await h.dispatch('messages.publish', { profileId, channel: 'agents.one', type: 'hello', payload: '{}' });
    expect(refused.ok ? 'published' : refused.error.code).toBe('READ_ONLY');
    const agent = new Redis(bed.standalone.port, '127.0.0.1');
    const sender = new Messaging(agent, { prefix: `${run}v`, publisher: 'agent-1', keyring: new Keyring(secret, ['k1', 'k2']) });
    await sender.publish('agents.one', 'hello', { greeting: 'hi' });
    await sender.publishRaw(sender.channel('agents.two'), Buffer.from('junk'));
    const foreign = new Messaging(agent, { prefix: `${run}v`, keyring: new Keyring(randomBytes(32), ['k9']) });
    await foreign.publish('agents.one', 'secret', { hidden: true });
    const read = await until('three messages', async () => {
      const r = await ok<{ messages: ViewerMessage[] }>(h.dispatch('messages.read', { jobId: job.id }));
      return r.messages.length === 3 ? r.messages : undefined;
    });
    expect(read[0]).toMatchObject({
      seq: 1,
      channel: 'agents.one',
      sealed: true,
      header: { type: 'hello', publisher: 'agent-1', keyId: 'k2' },
    });
    expect(JSON.parse(read[0]?.payload ?? 'null')).toEqual({ greeting: 'hi' });
    expect(read[1]).toMatchObject({ channel: 'agents.two', error: { code: 'BAD_MESSAGE' } });
    expect(read[2]).toMatchObject({ header: { type: 'secret', keyId: 'k9' }, error: { code: 'BAD_MESSAGE' } });
    expect(read[2]?.payload).toBeUndefined();
    expect(
      (await ok<{ messages: ViewerMessage[] }>(h.dispatch('messages.read', { jobId: job.id, after: 2 }))).messages.map((m) => m.seq),
    ).toEqual([3]);
    await ok(h.dispatch('jobs.cancel', { jobId: job.id }));
    await h.services.jobs.settled(job.id);
    expect(Number(((await agent.call('PUBSUB', 'NUMPAT')) as number) ?? 0)).toBe(0);
    await sender.close();
    await foreign.close();
    agent.disconnect();
  });
});

describe('messaging across a cluster failover', () => {
  const clients: RedisClient[] = [];
  const instances: Messaging[] = [];
  const prefix = `${run}fo`;
  afterAll(async () => {
    for (const m of instances) await m.close().catch(() => undefined);
    for (const c of clients) c.disconnect();
    // Bring the killed node back; it rejoins as a replica of its successor.
    execFileSync(process.execPath, [join(ROOT, 'scripts/test-redis.mjs'), 'start'], { stdio: 'inherit' });
  });

  it('resubscribes sharded and pattern subscriptions and answers requests after the master of their slot dies', async () => {
    const open = (): Cluster => {
      const c = new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }]);
      clients.push(c);
      return c;
    };
    const messaging = (client: RedisClient): Messaging => {
      const m = new Messaging(client, { prefix });
      instances.push(m);
      return m;
    };
    const admin = open();
    await admin.ping();
    const seed = `127.0.0.1:${bed.cluster.ports[0]}`;
    // A channel whose slot a master other than the seed owns, so discovery from the seed survives.
    const probe = messaging(admin);
    const channel = Array.from({ length: 200 }, (_, i) => `failover.${i}`).find((name) => {
      const owner = admin.slots[calculateSlot(probe.channel(name))]?.[0];
      return owner !== undefined && owner !== seed;
    }) as string;
    const victim = admin.slots[calculateSlot(probe.channel(channel))]?.[0] as string;
    const listener = messaging(open());
    const got: string[] = [];
    await listener.subscribe(channel, (e) => got.push(`exact:${String(e.payload)}`));
    await listener.psubscribe('failover.*', (e) => got.push(`pattern:${String(e.payload)}`));
    await messaging(open()).serve(channel, () => 'pong');
    expect((await listener.request(channel, 'ping', null)).payload).toBe('pong');

    const pid = Number(readFileSync(join(BED_DIR, `cluster-${victim.split(':')[1]}`, 'redis.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    const sender = messaging(open());
    let n = 0;
    await until(
      'both subscriptions to hear a message published after the failover',
      async () => {
        n += 1;
        await sender.publish(channel, 'ping', `after-${n}`).catch(() => undefined);
        return got.some((g) => g.startsWith('exact:after')) && got.some((g) => g.startsWith('pattern:after')) ? true : undefined;
      },
      60_000,
    );
    // The slot's master now, as a surviving node sees it: the replica took over.
    const slot = calculateSlot(probe.channel(channel));
    const seedNode = new Redis(bed.cluster.ports[0] as number, '127.0.0.1');
    clients.push(seedNode);
    const ranges = (await seedNode.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    const range = ranges.find(([from, to]) => from <= slot && slot <= to);
    expect(range && `${range[2][0]}:${range[2][1]}`).not.toBe(victim);
    const answer = await until(
      'a request answered after the failover',
      () =>
        listener.request(channel, 'ping', null, { timeoutMs: 500 }).then(
          (r) => r.payload,
          () => undefined,
        ),
      30_000,
    );
    expect(answer).toBe('pong');
    expect(listener.inFlight).toBe(0);
  }, 120_000);
});

describe('messages CLI', () => {
  const cli = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [join(ROOT, 'bin/swarmdeck.js'), '--url', `redis://127.0.0.1:${bed.standalone.port}`, '--prefix', `${run}cli`, ...args],
      { encoding: 'utf8', timeout: 30_000 },
    );

  it('adds, lists and deletes a route through the contract; bad input exits 2 naming the field', () => {
    const added = cli('messages', 'route', 'orders', 'order.*', 'queue:orders', '--json');
    expect(added.status).toBe(0);
    expect(JSON.parse(added.stdout)).toEqual({ version: 1 });
    const listed = JSON.parse(cli('messages', 'routes', '--json').stdout) as { version: number; routes: unknown[] };
    expect(listed).toEqual({ version: 1, routes: [{ name: 'orders', match: 'order.*', target: { kind: 'queue', queue: 'orders' } }] });
    const bad = cli('messages', 'route', 'x', 'a(b', 'stream:o');
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringContaining('route.match')]);
    expect(cli('messages', 'route', 'x', 'y', 'bogus').status).toBe(2);
    expect(cli('messages', 'unroute', 'orders').status).toBe(0);
    expect(cli('messages', 'unroute', 'orders').status).toBe(1);
  });
});

describe('a subscription the server refuses', () => {
  it('rejects with a typed error and leaves nothing behind, so the next attempt asks the server again', async () => {
    const client = new Redis(bed.acl.port, '127.0.0.1', { username: 'reader', password: bed.acl.users.reader });
    const m = new Messaging(client, { prefix: `${run}acl` });
    try {
      const first = await refusal(m.subscribe('news', () => undefined));
      const second = await refusal(m.subscribe('news', () => undefined));
      expect([first.code, second.code]).toEqual(['AUTH_FAILED', 'AUTH_FAILED']);
    } finally {
      await m.close();
      client.disconnect();
    }
  });
});
