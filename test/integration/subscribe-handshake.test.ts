import { once } from 'node:events';
import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient, type RedisClient } from '../../src/main/redis/client-options';
import { duplicateSubscriber } from '../../src/main/redis/read-only-guard';
import { cluster, standalone } from '../support/bed';
import { until } from '../support/harness';

/**
 * ioredis issue #2037: a SUBSCRIBE sent while the connection is still in its handshake put it
 * in subscriber mode before the INFO ready check, which then failed; the subscription heard
 * nothing. Each round opens a fresh connection and subscribes at the worst moment — the
 * instant it reports `connect`, before the ready check — as the read-only sweep's listener did.
 */
const ROUNDS = 100;

function product(kind: 'standalone' | 'cluster', readOnly: boolean): RedisClient {
  const profile = kind === 'standalone' ? standalone({ readOnly }) : cluster({ readOnly });
  return createClient({ profile }, { retry: () => 50 });
}

/** Opens a lazy connection and resolves the moment it is in its handshake (status `connect`). */
async function handshaking(client: Redis): Promise<void> {
  const connected = once(client, 'connect');
  if (client.status === 'wait') void client.connect().catch(() => undefined);
  await connected;
}

/** Watches every turn of the event loop until the connection is in its handshake or past it. */
async function subscriberStatus(current: () => Redis | null): Promise<'connect' | 'ready'> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const status = current()?.status;
    if (status === 'connect' || status === 'ready') return status;
    if (Date.now() > deadline) throw new Error(`the subscriber connection never connected (status ${status ?? 'none'})`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Errors a client reports, including the ones ioredis would print as "Unhandled error event". */
function errorsOf(client: Redis | Cluster): unknown[] {
  const errors: unknown[] = [];
  client.on('error', (e: unknown) => errors.push(e));
  client.on('node error', (e: unknown) => errors.push(e));
  return errors;
}

describe('a subscription made during the connection handshake', () => {
  const opened: (Redis | Cluster)[] = [];
  afterAll(() => {
    for (const c of opened) c.disconnect();
  });

  it.each([false, true])(
    `standalone (read-only %s): ${ROUNDS} fresh subscriber connections each hear their first message, with no error`,
    async (readOnly) => {
      const session = product('standalone', readOnly);
      const publisher = product('standalone', false);
      opened.push(session, publisher);
      for (let round = 0; round < ROUNDS; round += 1) {
        const sub = duplicateSubscriber(session) as Redis;
        opened.push(sub);
        const errors = errorsOf(sub);
        await handshaking(sub);
        expect(sub.status).toBe('connect');
        const channel = `sd:test:handshake:${readOnly}:${round}`;
        const heard = new Promise<string>((resolve) => sub.on('message', (_c: string, m: string) => resolve(m)));
        await sub.subscribe(channel);
        expect(await publisher.publish(channel, `first ${round}`)).toBe(1);
        expect(await heard).toBe(`first ${round}`);
        expect(sub.status).toBe('ready');
        expect(errors).toEqual([]);
        sub.disconnect();
      }
    },
  );

  it(`cluster: ${ROUNDS} fresh clients subscribing (global and pattern) while their subscriber connection shakes hands hear every first message`, async () => {
    const publisher = product('cluster', false);
    opened.push(publisher);
    let inWindow = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const client = product('cluster', false) as Cluster;
      opened.push(client);
      const errors = errorsOf(client);
      const heard: string[] = [];
      client.on('message', (_c: string, m: string) => heard.push(m));
      client.on('pmessage', (_p: string, _c: string, m: string) => heard.push(`p ${m}`));
      const channel = `sd:test:handshake:cluster:${round}`;
      // The first subscription opens the cluster's own subscriber connection (inside ioredis);
      // the second is made the moment that connection is in its handshake.
      const first = client.subscribe(channel);
      const inner = (client as unknown as { subscriber: { getInstance(): Redis | null } }).subscriber;
      const status = await subscriberStatus(() => inner.getInstance());
      if (status === 'connect') inWindow += 1;
      const second = client.psubscribe(`${channel}*`);
      await Promise.all([first, second]);
      await publisher.publish(channel, `first ${round}`);
      await until(`round ${round}'s messages`, () => (heard.length === 2 ? heard : undefined), 5_000);
      expect(heard.sort()).toEqual([`first ${round}`, `p first ${round}`]);
      expect(errors).toEqual([]);
      client.disconnect();
    }
    // Most rounds must really have subscribed inside the handshake, or the test proves nothing.
    expect(inWindow).toBeGreaterThan(ROUNDS / 2);
  }, 120_000);

  it('a subscription held for the handshake is refused, not left pending, when the client is closed first', async () => {
    const session = product('standalone', false);
    opened.push(session);
    const sub = duplicateSubscriber(session) as Redis;
    sub.on('error', () => undefined);
    await handshaking(sub);
    const pending = sub.subscribe('sd:test:handshake:closed');
    sub.disconnect();
    await expect(pending).rejects.toThrow('Connection is closed.');
  });
});
