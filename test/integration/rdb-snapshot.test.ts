/**
 * Snapshots read as a replica reads them, from the bed's real servers: standalone by both
 * framings (diskless `$EOF:` and on-disk `$<length>`), every cluster master at once, and the
 * refusals a caller falls back on (an ACL user without +psync, a wrong password, silence).
 * A diskless transfer starts only after the master's repl-diskless-sync-delay (5 s by default).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { isReplicationRefused, masterEndpoints, openSnapshot, readSnapshots, type Snapshot } from '../../src/main/redis/replication';
import type { RdbRecord } from '../../src/main/redis/rdb';
import { SwarmdeckError } from '../../src/shared/errors';
import { bed } from '../support/bed';
import { expectMatchesServer, keysOf } from '../support/rdb-check';

const client = new Redis(bed.standalone.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
const local = { host: '127.0.0.1', port: bed.standalone.port };
afterAll(() => client.disconnect());

async function recordsOf(snapshot: Snapshot): Promise<RdbRecord[]> {
  const out: RdbRecord[] = [];
  for await (const batch of snapshot.records) out.push(...batch);
  return out;
}

async function failure(p: Promise<unknown>): Promise<SwarmdeckError | string> {
  try {
    await p;
    return 'resolved';
  } catch (error) {
    return error instanceof SwarmdeckError ? error : `threw ${String(error)}`;
  }
}

async function seed(r: Redis): Promise<void> {
  await r.flushall();
  await r.set('plain', 'value');
  await r.set('ttl', 'x', 'PX', 600_000);
  await r.rpush('list', 'a', 'b', 'c');
  await r.sadd('set', 'a', 1);
  await r.zadd('zset', 1, 'a');
  await r.hset('hash', 'f', 'v');
  await r.xadd('stream', '1-1', 'f', 'v');
  await r.mset(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`bulk:${i}`, `v${i}`])));
}

describe('a standalone server’s snapshot', () => {
  for (const diskless of ['yes', 'no']) {
    it(`repl-diskless-sync ${diskless}: every key as DUMP has it, and the instant it holds`, async () => {
      const before = ((await client.config('GET', 'repl-diskless-sync')) as string[])[1] as string;
      await client.config('SET', 'repl-diskless-sync', diskless);
      try {
        await seed(client);
        const snapshot = await openSnapshot(local);
        expect(snapshot.framing).toBe(diskless === 'yes' ? 'eof' : 'length');
        expect(snapshot.replicationId).toMatch(/^[0-9a-f]{40}$/);
        const keys = keysOf(await recordsOf(snapshot));
        expect(keys.length).toBe(await client.dbsize());
        await expectMatchesServer(
          client,
          keys.filter((k) => !k.key.toString().startsWith('bulk:')),
        );
      } finally {
        await client.config('SET', 'repl-diskless-sync', before);
      }
    });
  }
});

describe('a cluster’s snapshots', () => {
  it('every master at once (each waits for all to be open), keys summing to DBSIZE', async () => {
    const cluster = new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }], {
      redisOptions: { maxRetriesPerRequest: 1 },
    });
    try {
      await new Promise((resolve) => cluster.once('ready', resolve));
      const masters = cluster.nodes('master');
      await Promise.all(masters.map((m) => m.flushall()));
      for (let i = 0; i < 3000; i += 100) await Promise.all(Array.from({ length: 100 }, (_, j) => cluster.set(`k:${i + j}`, i + j)));
      const endpoints = masterEndpoints(cluster);
      expect(endpoints.length).toBe(3);
      let open = 0;
      let allOpen: () => void = () => undefined;
      const barrier = new Promise<void>((resolve) => (allOpen = resolve));
      const counts = await readSnapshots(endpoints, async (snapshot) => {
        open += 1;
        if (open === endpoints.length) allOpen();
        await barrier;
        return { address: snapshot.address, keys: keysOf(await recordsOf(snapshot)).length };
      });
      const sizes = await Promise.all(
        masters.map(async (m) => ({ address: `${m.options.host}:${m.options.port}`, keys: await m.dbsize() })),
      );
      expect(counts.sort((a, b) => a.address.localeCompare(b.address))).toEqual(sizes.sort((a, b) => a.address.localeCompare(b.address)));
      expect(counts.reduce((n, c) => n + c.keys, 0)).toBe(3000);
    } finally {
      cluster.disconnect();
    }
  });

  it('one master failing cancels the others', async () => {
    const endpoints = [local, { host: '127.0.0.1', port: bed.acl.port, username: 'reader', password: bed.acl.users.reader }];
    const error = await failure(readSnapshots(endpoints, recordsOf));
    expect(isReplicationRefused(error)).toBe(true);
  });
});

describe('servers that will not hand out a snapshot', () => {
  const acl = { host: '127.0.0.1', port: bed.acl.port };

  it('an ACL user without +psync: UNAUTHORIZED, marked as a refusal to fall back on', async () => {
    const error = await failure(openSnapshot({ ...acl, username: 'reader', password: bed.acl.users.reader }));
    expect(error instanceof SwarmdeckError && [error.code, error.details?.refusal]).toEqual(['UNAUTHORIZED', 'acl']);
    expect(isReplicationRefused(error)).toBe(true);
    expect(String(error)).toMatch(/\+psync/);
  });

  it('the same server to a user with +@all: the snapshot', async () => {
    const snapshot = await openSnapshot({ ...acl, username: 'admin', password: bed.acl.users.admin });
    expect(Array.isArray(await recordsOf(snapshot))).toBe(true);
  });

  it('a wrong password: AUTH_FAILED, not a refusal', async () => {
    const error = await failure(openSnapshot({ ...acl, username: 'admin', password: 'wrong' }));
    expect(error instanceof SwarmdeckError && error.code).toBe('AUTH_FAILED');
    expect(isReplicationRefused(error)).toBe(false);
  });

  it('a peer that never answers: TIMEOUT after the silence allowed', async () => {
    const held: Socket[] = [];
    const silent: Server = createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const error = await failure(openSnapshot({ host: '127.0.0.1', port, password: 'x' }, { timeoutMs: 300 }));
      expect(error instanceof SwarmdeckError && error.code).toBe('TIMEOUT');
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
