import type { Cluster, Redis } from 'ioredis';
import { SwarmdeckError } from '../../../shared/errors';
import type { RedisClient } from '../../redis/client-options';
import { parseClusterNodes, parseInfo } from '../../redis/info';
import { isCluster, nodeHandles, type NodeHandle } from '../../redis/nodes';
import { rdbVersionOfRedis, type SlotRange, type TopologyNode } from './format';

export interface TopologySnapshot {
  kind: 'standalone' | 'cluster';
  nodes: TopologyNode[];
}

/** Waits for a lazily connecting client so that a cluster knows its masters. */
export async function ready(client: RedisClient): Promise<void> {
  if (client.status === 'ready') return;
  await client.ping();
  if (isCluster(client) && client.nodes('master').length === 0)
    throw new SwarmdeckError('CLUSTER_FAILED', 'The cluster reports no master node');
}

function parseSlots(ranges: string[]): SlotRange[] {
  return ranges.map((r) => {
    const [a, b] = r.split('-').map(Number);
    return { from: a as number, to: (b ?? a) as number };
  });
}

/** What a node's version reads as when the client cannot reach that node. */
const UNREAD = 'unknown';

async function serverFacts(node: Redis): Promise<{ redisVersion: string; runId: string }> {
  const info = parseInfo(String(await node.info('server')));
  return { redisVersion: info.redis_version ?? UNREAD, runId: info.run_id ?? '' };
}

/** Every master's address, role, slot ranges, version and run id: what a backup depends on. */
export async function readTopology(client: RedisClient): Promise<TopologySnapshot> {
  await ready(client);
  const handles = nodeHandles(client, 'master');
  if (!isCluster(client)) {
    const h = handles[0] as NodeHandle;
    return { kind: 'standalone', nodes: [{ address: h.address, role: 'standalone', slots: [], ...(await serverFacts(h.client)) }] };
  }
  const first = (handles[0] as NodeHandle).client;
  const lines = parseClusterNodes(String(await first.call('CLUSTER', 'NODES')));
  // Replicas too: their versions decide what a restore may send after a failover.
  const byAddress = new Map(nodeHandles(client, 'all').map((h) => [h.address, h]));
  const nodes: TopologyNode[] = [];
  for (const line of lines) {
    if (line.flags.includes('fail') || line.flags.includes('noaddr')) continue;
    const master = line.flags.includes('master');
    const handle = byAddress.get(line.address);
    const facts = handle ? await serverFacts(handle.client) : { redisVersion: UNREAD, runId: '' };
    nodes.push({
      address: line.address,
      id: line.id,
      role: master ? 'master' : 'replica',
      masterId: line.masterId,
      slots: master ? parseSlots(line.slots) : [],
      ...facts,
    });
  }
  return { kind: 'cluster', nodes: nodes.sort((a, b) => a.address.localeCompare(b.address)) };
}

/**
 * The highest RDB version every node of the target accepts. A replica the client does not know
 * yet has no version read: CLUSTER SLOTS leaves a rejoined replica out until its first sync is
 * gossiped. Such a replica serves nothing, so it does not decide; a master unread does.
 */
export function acceptedRdbVersion(t: TopologySnapshot): number {
  const unreadMaster = t.nodes.find((n) => n.role !== 'replica' && n.redisVersion === UNREAD);
  if (unreadMaster)
    throw new SwarmdeckError('CLUSTER_FAILED', `The version of the master ${unreadMaster.address} could not be read`, {
      node: unreadMaster.address,
    });
  return Math.min(...redisVersions(t).map(rdbVersionOfRedis));
}

/** The distinct versions read from the target's nodes, for a manifest. */
export function redisVersions(t: TopologySnapshot): string[] {
  return [...new Set(t.nodes.map((n) => n.redisVersion).filter((v) => v !== UNREAD))];
}

const masterMap = (t: TopologySnapshot): string =>
  JSON.stringify(t.nodes.filter((n) => n.role !== 'replica').map((n) => [n.address, n.runId, n.slots]));

/**
 * A failover, a restart or a resharding during the run means the keys read may not be the
 * keys that exist: the caller must fail rather than publish a backup with a silent gap.
 */
export async function assertSameTopology(client: RedisClient, before: TopologySnapshot, what: string): Promise<void> {
  let after: TopologySnapshot;
  try {
    after = await readTopology(client);
    if (isCluster(client)) await assertMastersAgree(client as Cluster, before);
  } catch (error) {
    if (error instanceof SwarmdeckError) throw error;
    throw new SwarmdeckError('CLUSTER_FAILED', `${what}: the topology could not be re-read (${(error as Error).message})`);
  }
  if (masterMap(after) !== masterMap(before)) {
    throw new SwarmdeckError('CLUSTER_FAILED', `${what}: the topology changed during the run (failover, restart or resharding)`, {
      before: before.nodes.filter((n) => n.role !== 'replica').map((n) => n.address),
      after: after.nodes.filter((n) => n.role !== 'replica').map((n) => n.address),
    });
  }
}

/** Every master must still call itself a master and see the same slot map as the first. */
async function assertMastersAgree(cluster: Cluster, before: TopologySnapshot): Promise<void> {
  const expected = JSON.stringify(before.nodes.filter((n) => n.role === 'master').map((n) => [n.address, n.slots]));
  for (const h of nodeHandles(cluster, 'master')) {
    const role = (await h.client.call('ROLE')) as unknown[];
    const lines = parseClusterNodes(String(await h.client.call('CLUSTER', 'NODES')));
    const seen = JSON.stringify(
      lines
        .filter((l) => l.flags.includes('master') && !l.flags.includes('fail'))
        .map((l) => [l.address, parseSlots(l.slots)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    if (role[0] !== 'master' || seen !== expected) {
      throw new SwarmdeckError('CLUSTER_FAILED', `The node ${h.address} no longer agrees with the slot map the run started with`, {
        node: h.address,
      });
    }
  }
}

/** ioredis reply errors for a slot that moved or is moving: a resharding under our feet. */
export function isRedirect(error: Error): boolean {
  return /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN)\b/.test(error.message);
}
