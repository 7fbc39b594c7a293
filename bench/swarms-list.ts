/**
 * The swarms page with 500 swarms: how long one `swarms.list` takes, and proof that it never
 * scans the keyspace (SCAN/KEYS counted from INFO commandstats). The peer is the way a
 * console without a registry finds swarms — SCAN every master for swarm hashes — followed by
 * the very same per-swarm reads, over the same 500 swarms among 200,000 unrelated keys (a
 * Redis that also holds queues, caches and memories). Standalone and cluster. One JSON line.
 */
import { SwarmRegistry } from '../src/main/features/swarms/swarm-registry';
import { SwarmService } from '../src/main/features/swarms/swarm-service';
import { percentile } from '../src/main/features/health/latency-window';
import type { RedisClient } from '../src/main/redis/client-options';
import { Session } from '../src/main/redis/connection-manager';
import { swarmKeys } from '../src/main/redis/keyspace';
import { nodeHandles } from '../src/main/redis/nodes';
import { defaultProfileInput, type Profile } from '../src/shared/model/profile';
import { bed } from '../test/support/bed';

const SWARMS = 500;
const NOISE = 200_000;
const ROUNDS = 20;
const PREFIX = 'bl';

async function scans(client: RedisClient): Promise<number> {
  let n = 0;
  for (const node of nodeHandles(client, 'master')) {
    const stats = await node.client.info('commandstats');
    for (const m of stats.matchAll(/cmdstat_(scan|keys):calls=(\d+)/g)) n += Number(m[2]);
  }
  return n;
}

async function seed(client: RedisClient): Promise<void> {
  const registry = new SwarmRegistry(client, PREFIX);
  for (let i = 0; i < SWARMS; i += 1) {
    const id = `s${i}`;
    await registry.create({ id, name: `swarm ${i}`, topology: 'mesh', strategy: 'quorum', maxAgents: 20 });
    for (let a = 0; a < 10; a += 1) await registry.register(id, { id: `a${a}`, ttlMs: 3_600_000 });
    await registry.heartbeatMany(
      id,
      Array.from({ length: 10 }, (_, a) => ({ agentId: `a${a}` })),
    );
  }
  for (let i = 0; i < NOISE; i += 5000) {
    await Promise.all(Array.from({ length: 5000 }, (_, j) => client.set(`noise:${i + j}`, 'x')));
  }
}

/** Without a registry: SCAN every master for swarm hashes, then the same reads as ours. */
async function scanList(client: RedisClient, registry: SwarmRegistry): Promise<number> {
  const pattern = swarmKeys(PREFIX, '*').swarm;
  const [head = '', tail = ''] = pattern.split('*');
  const ids: string[] = [];
  for (const node of nodeHandles(client, 'master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      ids.push(...keys.map((k) => k.slice(head.length, k.length - tail.length)));
    } while (cursor !== '0');
  }
  return (await registry.summariesOf(ids)).length;
}

async function time(work: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const started = performance.now();
    await work();
    out.push(performance.now() - started);
  }
  return out.sort((a, b) => a - b);
}

async function run(kind: 'standalone' | 'cluster') {
  const profile: Profile = {
    ...defaultProfileInput(),
    id: `bench-${kind}`,
    name: `bench ${kind}`,
    keyPrefix: PREFIX,
    topology:
      kind === 'standalone'
        ? { kind: 'standalone', host: '127.0.0.1', port: bed.standalone.port, db: 12 }
        : { kind: 'cluster', seeds: [{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }] },
  } as Profile;
  const session = new Session(profile, undefined, () => undefined);
  await session.open();
  const client = session.client;
  for (const node of nodeHandles(client, 'master')) await node.client.flushdb();
  await seed(client);
  const service = new SwarmService();
  const listed = (await service.list(session)).swarms.length;
  const before = await scans(client);
  const ours = await time(() => service.list(session));
  const scansDuringList = (await scans(client)) - before;
  const registry = new SwarmRegistry(client, PREFIX);
  const peerListed = await scanList(client, registry);
  const peer = await time(() => scanList(client, registry));
  for (const node of nodeHandles(client, 'master')) await node.client.flushdb();
  session.close();
  const r = (v: number | undefined) => Math.round((v ?? 0) * 10) / 10;
  return {
    listed,
    peerListed,
    listP50Ms: r(percentile(ours, 50)),
    listP95Ms: r(percentile(ours, 95)),
    scanCallsDuringList: scansDuringList,
    peerScanListP50Ms: r(percentile(peer, 50)),
    speedup: r((percentile(peer, 50) ?? 0) / (percentile(ours, 50) ?? 1)),
  };
}

const standalone = await run('standalone');
const cluster = await run('cluster');
console.log(JSON.stringify({ bench: 'swarms-list', swarms: SWARMS, agentsPerSwarm: 10, unrelatedKeys: NOISE, standalone, cluster }));
process.exit(0);
