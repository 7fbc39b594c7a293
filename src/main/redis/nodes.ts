import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from './client-options';

/** One server behind a client: the standalone server itself or one node of a cluster. */
export interface NodeHandle {
  address: string;
  client: Redis;
}

/**
 * Every node the client knows, for commands that must see all of them (INFO, SCAN, SLOWLOG…).
 * Never a random node: a cluster's answer is the union of its nodes' answers.
 */
export function nodeHandles(client: RedisClient, role: 'all' | 'master' = 'all'): NodeHandle[] {
  if (client instanceof Cluster) {
    return client.nodes(role).map((node) => ({
      address: `${node.options.host}:${node.options.port}`,
      client: node,
    }));
  }
  return [{ address: `${client.options.host}:${client.options.port}`, client }];
}

export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}
