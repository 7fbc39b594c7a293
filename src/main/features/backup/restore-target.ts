/**
 * The restore's view of its target: which node owns each key, what the target holds for a
 * batch of keys (read per node, pipelined), and whether it accepts the backup's payloads.
 */
import type { Redis } from 'ioredis';
import { SwarmdeckError } from '../../../shared/errors';
import type { RedisClient } from '../../redis/client-options';
import { isCluster, nodeHandles } from '../../redis/nodes';
import { keySlot } from './format';
import { ident } from './restore-plan';
import type { OpenBackup } from './reader';
import { acceptedRdbVersion, readTopology, ready } from './topology';

/** Routes keys to the node that owns their slot, since one pipeline must stay on one node. */
export class Router {
  private readonly byAddress: Map<string, Redis>;
  /** Whether keys of one call must also share a slot. */
  readonly cluster: boolean;
  constructor(private readonly client: RedisClient) {
    this.byAddress = new Map(nodeHandles(client, 'master').map((h) => [h.address, h.client]));
    this.cluster = isCluster(client);
  }

  group<T extends { key: Buffer }>(list: T[]): Map<string, T[]> {
    const out = new Map<string, T[]>();
    const client = this.client;
    for (const it of list) {
      let address: string;
      if (isCluster(client)) {
        const owner = client.slots[keySlot(it.key)]?.[0];
        if (owner === undefined) throw new SwarmdeckError('CLUSTER_FAILED', `No node serves the slot of a key being restored`);
        address = owner;
      } else address = [...this.byAddress.keys()][0] as string;
      const g = out.get(address) ?? [];
      g.push(it);
      out.set(address, g);
    }
    return out;
  }

  node(address: string): Redis {
    const n = this.byAddress.get(address);
    if (!n) throw new SwarmdeckError('CLUSTER_FAILED', `The node ${address} is not among the known masters`);
    return n;
  }
}

export interface TargetState {
  payload: Buffer | null;
  expireAt: number;
}

/** DUMP and absolute expiry of the target keys, grouped per node, in the order of `list`. */
export async function readTarget(router: Router, list: { key: Buffer }[], pexpiretime: boolean): Promise<Map<string, TargetState>> {
  const out = new Map<string, TargetState>();
  await Promise.all(
    [...router.group(list)].map(async ([address, group]) => {
      const p = router.node(address).pipeline();
      for (const it of group) {
        p.dumpBuffer(it.key);
        if (pexpiretime) p.call('PEXPIRETIME', it.key);
        else p.pttl(it.key);
      }
      const replies = (await p.exec()) ?? [];
      const now = Date.now();
      group.forEach((it, i) => {
        const [e1, payload] = replies[2 * i] ?? [new Error('missing reply'), null];
        const [e2, t] = replies[2 * i + 1] ?? [new Error('missing reply'), null];
        if (e1 ?? e2) throw e1 ?? e2;
        const ttl = Number(t);
        out.set(ident(it.key), { payload: (payload as Buffer | null) ?? null, expireAt: ttl < 0 ? -1 : pexpiretime ? ttl : now + ttl });
      });
    }),
  );
  return out;
}

/** Which of the keys exist in the target: one small reply per key, for the common empty target. */
export async function existing(router: Router, list: { key: Buffer }[]): Promise<Set<string>> {
  const out = new Set<string>();
  await Promise.all(
    [...router.group(list)].map(async ([address, group]) => {
      const p = router.node(address).pipeline();
      for (const it of group) p.exists(it.key);
      const replies = (await p.exec()) ?? [];
      group.forEach((it, i) => {
        const [err, n] = replies[i] ?? [new Error('missing reply'), 0];
        if (err) throw err;
        if (Number(n) > 0) out.add(ident(it.key));
      });
    }),
  );
  return out;
}

/** Refuses a target that cannot take the backup's payloads; says whether it answers PEXPIRETIME (RDB 10, Redis 7). */
export async function checkTarget(backup: OpenBackup, target: RedisClient): Promise<{ pexpiretime: boolean }> {
  await ready(target);
  const rdb = acceptedRdbVersion(await readTopology(target));
  if (backup.manifest.rdbVersion !== null && backup.manifest.rdbVersion > rdb) {
    throw new SwarmdeckError(
      'VALIDATION',
      `The backup's payloads are RDB version ${backup.manifest.rdbVersion}; the target accepts up to ${rdb}`,
      { reason: 'rdb-version' },
    );
  }
  return { pexpiretime: rdb >= 10 };
}

/** Runs `fn` on each chunk with at most `limit` running; the first failure stops the feed and is thrown. */
export async function boundedEach<T>(source: AsyncIterable<T>, limit: number, fn: (value: T) => Promise<void>): Promise<void> {
  const running = new Set<Promise<void>>();
  let failure: unknown;
  let failed = false;
  for await (const value of source) {
    if (failed) break;
    while (running.size >= limit) await Promise.race(running);
    const job: Promise<void> = fn(value).then(
      () => void running.delete(job),
      (error: unknown) => {
        running.delete(job);
        if (!failed) [failed, failure] = [true, error];
      },
    );
    running.add(job);
  }
  await Promise.all(running);
  if (failed) throw failure;
}
