/** What restore tests compare: every key of a plan, as the target holds it (value and exact expiry). */
import { samePayloadContent } from '../../src/main/features/backup';
import type { RedisClient } from '../../src/main/redis/client-options';

export type Held = { payload: Buffer; expireAt: number } | null;

export const under = (prefix: string, name: string): Buffer => Buffer.concat([Buffer.from(prefix), Buffer.from(name)]);

/** DUMP and PEXPIRETIME of each key, concurrently (a cluster client routes each). */
export async function holdings(client: RedisClient, keys: Buffer[]): Promise<Held[]> {
  return Promise.all(
    keys.map(async (k) => {
      const [payload, at] = await Promise.all([client.dumpBuffer(k), client.call('PEXPIRETIME', k)]);
      return payload === null ? null : { payload, expireAt: Number(at) };
    }),
  );
}

/** The keys whose holdings differ (value by content, expiry to the millisecond), with what each side held. */
export function differences(keys: Buffer[], expected: Held[], actual: Held[]): string[] {
  const out: string[] = [];
  keys.forEach((k, i) => {
    const a = expected[i] ?? null;
    const b = actual[i] ?? null;
    const same = a === null || b === null ? a === b : samePayloadContent(a.payload, b.payload) && a.expireAt === b.expireAt;
    if (!same)
      out.push(
        `${k.toString('latin1')}: expected ${a ? `value ttl ${a.expireAt}` : 'absent'}, found ${b ? `value ttl ${b.expireAt}` : 'absent'}`,
      );
  });
  return out;
}

/** Source keys of several kinds (strings, expiring strings, a hash-table hash and set), `count` in all. */
export async function seedSource(client: RedisClient, prefix: string, count: number): Promise<Buffer[]> {
  const keys: Buffer[] = [];
  for (let i = 0; i < count; i += 1) {
    const k = under(prefix, `k${i}`);
    keys.push(k);
    if (i % 50 === 7) await client.hset(k, Object.fromEntries(Array.from({ length: 200 }, (_, j) => [`f${j}`, `v${j}-${i}`])));
    else if (i % 50 === 8) await client.sadd(k, ...Array.from({ length: 300 }, (_, j) => `m${j}-${i}`));
    else if (i % 4 === 1) await client.set(k, `source-${i}`, 'PX', 3_600_000 + i);
    else await client.set(k, `source-${i}-${'s'.repeat(i % 13)}`);
  }
  return keys;
}

/** A target under `prefix` where a third of the keys are absent, a third hold other strings with an expiry, a third lists. */
export async function seedTarget(client: RedisClient, prefix: string, count: number): Promise<Buffer[]> {
  const keys: Buffer[] = [];
  for (let i = 0; i < count; i += 1) {
    const k = under(prefix, `k${i}`);
    keys.push(k);
    if (i % 3 === 1) await client.set(k, `before-${i}`, 'PX', 7_200_000 + i);
    else if (i % 3 === 2) await client.rpush(k, `before-${i}`, 'second');
  }
  return keys;
}

export async function drop(client: RedisClient, keys: Buffer[]): Promise<void> {
  await Promise.all(keys.map((k) => client.unlink(k)));
}
