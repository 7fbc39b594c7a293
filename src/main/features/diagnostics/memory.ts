import { Cluster, type Redis } from 'ioredis';
import type { BigKey, MemoryAnalysis, NamespaceStats } from '../../../shared/model/diagnostics';
import type { RedisClient } from '../../redis/client-options';
import { nodeHandles, type NodeHandle } from '../../redis/nodes';
import type { JobContext } from '../jobs/job-registry';
import { Findings, bytes, pause, round } from './findings';

export const DEFAULT_OPS_PER_SECOND = 50_000;
const SCAN_COUNT = 1000;
const IN_FLIGHT = 4;
/** Commands sent per key: TYPE, PTTL, MEMORY USAGE and the type's size command. */
const OPS_PER_KEY = 4;

const SIZE_COMMAND: Record<string, { command: string; unit: BigKey['sizeUnit'] }> = {
  string: { command: 'strlen', unit: 'bytes' },
  list: { command: 'llen', unit: 'elements' },
  set: { command: 'scard', unit: 'elements' },
  zset: { command: 'zcard', unit: 'elements' },
  hash: { command: 'hlen', unit: 'entries' },
  stream: { command: 'xlen', unit: 'entries' },
};

/** A key is big when its size or its memory passes its type's threshold. */
const BIG: Record<string, { size: number; memory: number }> = {
  string: { size: 1024 * 1024, memory: 1024 * 1024 },
  list: { size: 10_000, memory: 10 * 1024 * 1024 },
  set: { size: 10_000, memory: 10 * 1024 * 1024 },
  zset: { size: 10_000, memory: 10 * 1024 * 1024 },
  hash: { size: 10_000, memory: 10 * 1024 * 1024 },
  stream: { size: 100_000, memory: 10 * 1024 * 1024 },
};
const CRITICAL_MEMORY = 100 * 1024 * 1024;

const TTL_BUCKETS: Array<[string, number]> = [
  ['under 1 minute', 60_000],
  ['under 1 hour', 3_600_000],
  ['under 1 day', 86_400_000],
  ['under 1 week', 7 * 86_400_000],
  ['a week or more', Infinity],
];

/** Digits, a UUID or a long hex run: a segment that names one object, not a kind of object. */
const ID_SEGMENT = /^(\d+|[0-9a-f]{8,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Namespace of a key: up to its first two `:`-separated segments, hash tags kept whole; a
 * second segment that is an id folds into `*`, so `agent:543:memory` counts with every agent.
 */
export function namespaceOf(key: string): string {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of key) {
    if (ch === '{') depth += 1;
    if (ch === '}' && depth > 0) depth -= 1;
    if (ch === ':' && depth === 0) {
      parts.push(current);
      current = '';
      if (parts.length === 2) break;
    } else current += ch;
  }
  if (parts.length === 0) return '(no namespace)';
  if (parts.length === 2 && ID_SEGMENT.test(parts[1] as string)) parts.length = 1;
  return `${parts.join(':')}:*`;
}

interface Options {
  opsPerSecond: number;
  useReplicas: boolean;
  maxKeys?: number;
}

export async function analyseMemory(client: RedisClient, findings: Findings, options: Options, job: JobContext): Promise<MemoryAnalysis> {
  const started = performance.now();
  const useReplicas = options.useReplicas && client instanceof Cluster && client.nodes('slave').length > 0;
  const nodes: NodeHandle[] = useReplicas
    ? (client as Cluster).nodes('slave').map((n) => ({ address: `${n.options.host}:${n.options.port}`, client: n }))
    : nodeHandles(client, 'master');
  const namespaces = new Map<string, NamespaceStats>();
  const biggestBySize: Record<string, BigKey> = {};
  const biggestByMemory: Record<string, BigKey> = {};
  const bigKeys: BigKey[] = [];
  const ttl = new Map<string, number>([['no TTL', 0], ...TTL_BUCKETS.map(([b]) => [b, 0] as [string, number])]);
  const parts: Record<string, { done: number; total?: number }> = {};
  let total = 0;
  let partial = false;
  for (const node of nodes) parts[node.address] = { done: 0, total: Number(await node.client.dbsize()) };
  const expected = Object.values(parts).reduce((a, p) => a + (p.total ?? 0), 0);

  await Promise.all(
    nodes.map(async (node) => {
      if (useReplicas) await node.client.call('READONLY');
      const part = parts[node.address] as { done: number; total?: number };
      const nodeStarted = performance.now();
      let ops = 0;
      let cursor = '0';
      // A few batches in flight hide the round trips; the budget below still bounds the rate.
      const inFlight = new Set<Promise<void>>();
      do {
        if (job.signal.aborted || (options.maxKeys !== undefined && part.done >= options.maxKeys)) {
          partial = true;
          break;
        }
        const [next, keys] = await node.client.scanBuffer(cursor, 'COUNT', SCAN_COUNT);
        cursor = String(next);
        ops += 1 + keys.length * OPS_PER_KEY;
        if (keys.length > 0) {
          const batch: Promise<void> = inspect(node, keys).then(() => {
            inFlight.delete(batch);
            part.done += keys.length;
            total += keys.length;
            job.progress({ done: total, total: expected, parts, detail: `scanning ${nodes.length} node${nodes.length === 1 ? '' : 's'}` });
          });
          inFlight.add(batch);
          if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
        }
        // Hold to the budget: never more than opsPerSecond on this node, averaged since it began.
        const ahead = (ops / options.opsPerSecond) * 1000 - (performance.now() - nodeStarted);
        if (ahead > 0) await pause(ahead, job.signal);
      } while (cursor !== '0');
      await Promise.all(inFlight);
    }),
  );

  async function inspect(node: NodeHandle, keys: Buffer[]): Promise<void> {
    const r: Redis = node.client;
    const first = r.pipeline();
    for (const key of keys) {
      first.type(key);
      first.pttl(key);
      // Default sampling on purpose: SAMPLES 0 walks every element and blocks the server on big keys.
      first.call('MEMORY', 'USAGE', key);
    }
    const replies = (await first.exec()) ?? [];
    const second = r.pipeline();
    const types: string[] = [];
    keys.forEach((key, i) => {
      const type = String(replies[i * 3]?.[1] ?? 'none');
      types.push(type);
      const sizer = SIZE_COMMAND[type];
      if (sizer) second.call(sizer.command, key);
      else second.exists(key);
    });
    const sizes = (await second.exec()) ?? [];
    keys.forEach((raw, i) => {
      const type = types[i] as string;
      if (type === 'none') return;
      const key = raw.toString('utf8');
      const pttl = Number(replies[i * 3 + 1]?.[1] ?? -1);
      const memoryBytes = Number(replies[i * 3 + 2]?.[1] ?? 0);
      const size = Number(sizes[i]?.[1] ?? 0);
      const ns = namespaceOf(key);
      const stats = namespaces.get(ns) ?? { namespace: ns, keys: 0, bytes: 0, withoutTtl: 0 };
      stats.keys += 1;
      stats.bytes += memoryBytes;
      if (pttl < 0) stats.withoutTtl += 1;
      namespaces.set(ns, stats);
      const bucket = pttl < 0 ? 'no TTL' : (TTL_BUCKETS.find(([, limit]) => pttl < limit) as [string, number])[0];
      ttl.set(bucket, (ttl.get(bucket) ?? 0) + 1);
      const entry: BigKey = { key, type, size, sizeUnit: SIZE_COMMAND[type]?.unit ?? 'elements', memoryBytes, node: node.address };
      // Strictly greater, as redis-cli ranks: the first key seen keeps a tie.
      if (!biggestBySize[type] || size > (biggestBySize[type] as BigKey).size) biggestBySize[type] = entry;
      if (!biggestByMemory[type] || memoryBytes > (biggestByMemory[type] as BigKey).memoryBytes) biggestByMemory[type] = entry;
      const limit = BIG[type];
      if (limit && (size >= limit.size || memoryBytes >= limit.memory)) bigKeys.push(entry);
    });
  }

  bigKeys.sort((a, b) => b.memoryBytes - a.memoryBytes);
  for (const k of bigKeys.slice(0, 20)) {
    findings.add({
      id: 'big-key',
      severity: k.memoryBytes >= CRITICAL_MEMORY ? 'critical' : 'warning',
      title: `Big ${k.type}: ${k.key}`,
      detail: `${k.key} holds ${k.size} ${k.sizeUnit} in ${bytes(k.memoryBytes)} on ${k.node}; reading, deleting or migrating it blocks the server.`,
      recommendation:
        k.type === 'string'
          ? 'Split the value or store it outside Redis; delete it with UNLINK.'
          : 'Split it into smaller keys (by time or by id range) and read it with the SCAN family, never whole.',
      evidence: [
        {
          command: `MEMORY USAGE + ${SIZE_COMMAND[k.type]?.command.toUpperCase() ?? 'TYPE'}`,
          node: k.node,
          figures: { key: k.key, type: k.type, size: k.size, memoryBytes: k.memoryBytes },
        },
      ],
      node: k.node,
    });
  }
  const nsList = [...namespaces.values()].sort((a, b) => b.bytes - a.bytes);
  for (const ns of nsList) {
    // A namespace "should expire" when most of its keys do: the rest were probably written without a TTL by mistake.
    const expiring = ns.keys - ns.withoutTtl;
    if (ns.withoutTtl > 0 && ns.keys >= 10 && expiring / ns.keys >= 0.8) {
      findings.add({
        id: 'keys-without-ttl',
        severity: 'warning',
        title: `${ns.withoutTtl} keys without TTL in ${ns.namespace}`,
        detail: `${expiring} of the ${ns.keys} keys in ${ns.namespace} expire, but ${ns.withoutTtl} do not: they will stay forever and grow memory.`,
        recommendation:
          'Find the code path that writes these keys without EX/PX (or with a SET that dropped the TTL) and give them one; EXPIRE the existing ones.',
        evidence: [{ command: 'SCAN + PTTL', figures: { namespace: ns.namespace, keys: ns.keys, withoutTtl: ns.withoutTtl } }],
      });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    nodes: nodes.map((n) => n.address),
    scannedFrom: useReplicas ? 'replicas' : 'masters',
    keysScanned: total,
    keysPerSecond: round(total / Math.max(seconds, 0.001), 0),
    opsPerSecondBudget: options.opsPerSecond,
    partial,
    namespaces: nsList.slice(0, 200),
    bigKeys: bigKeys.slice(0, 100),
    biggestBySize,
    biggestByMemory,
    ttl: [...ttl.entries()].map(([bucket, keys]) => ({ bucket, keys })),
  };
}
