import { Cluster, type Redis } from 'ioredis';
import type { BigKey, MemoryAnalysis } from '../../../shared/model/diagnostics';
import type { RedisClient } from '../../redis/client-options';
import { nodeHandles, type NodeHandle } from '../../redis/nodes';
import type { JobContext } from '../jobs/job-registry';
import { Findings, pause, round } from './findings';
import { MemoryTally, SIZE_COMMAND } from './memory-tally';

export const DEFAULT_OPS_PER_SECOND = 50_000;
const SCAN_COUNT = 1000;
const IN_FLIGHT = 4;
/** Commands sent per key: TYPE, PTTL, MEMORY USAGE and the type's size command. */
const OPS_PER_KEY = 4;

interface Options {
  opsPerSecond: number;
  useReplicas: boolean;
  maxKeys?: number;
}

type Parts = Record<string, { done: number; total?: number }>;

/** The progress of a whole analysis, shared by the scans of its nodes. */
interface Scan {
  job: JobContext;
  options: Options;
  tally: MemoryTally;
  nodes: NodeHandle[];
  parts: Parts;
  expected: number;
  total: number;
  partial: boolean;
}

export async function analyseMemory(client: RedisClient, findings: Findings, options: Options, job: JobContext): Promise<MemoryAnalysis> {
  const started = performance.now();
  const useReplicas = options.useReplicas && client instanceof Cluster && client.nodes('slave').length > 0;
  const nodes: NodeHandle[] = useReplicas
    ? (client as Cluster).nodes('slave').map((n) => ({ address: `${n.options.host}:${n.options.port}`, client: n }))
    : nodeHandles(client, 'master');
  const parts: Parts = {};
  for (const node of nodes) parts[node.address] = { done: 0, total: Number(await node.client.dbsize()) };
  const expected = Object.values(parts).reduce((a, p) => a + (p.total ?? 0), 0);
  const scan: Scan = { job, options, tally: new MemoryTally(), nodes, parts, expected, total: 0, partial: false };
  await Promise.all(nodes.map((node) => scanNode(scan, node, useReplicas)));
  const seconds = (performance.now() - started) / 1000;
  return {
    nodes: nodes.map((n) => n.address),
    scannedFrom: useReplicas ? 'replicas' : 'masters',
    keysScanned: scan.total,
    keysPerSecond: round(scan.total / Math.max(seconds, 0.001), 0),
    opsPerSecondBudget: options.opsPerSecond,
    partial: scan.partial,
    ...scan.tally.conclude(findings),
  };
}

/** One node's keys, a few batches at a time, never faster than the budget. */
async function scanNode(scan: Scan, node: NodeHandle, useReplicas: boolean): Promise<void> {
  const { job, options } = scan;
  if (useReplicas) await node.client.call('READONLY');
  const part = scan.parts[node.address] as { done: number; total?: number };
  const nodeStarted = performance.now();
  let ops = 0;
  let cursor = '0';
  // A few batches in flight hide the round trips; the budget below still bounds the rate.
  const inFlight = new Set<Promise<void>>();
  do {
    if (job.signal.aborted || (options.maxKeys !== undefined && part.done >= options.maxKeys)) {
      scan.partial = true;
      break;
    }
    const [next, keys] = await node.client.scanBuffer(cursor, 'COUNT', SCAN_COUNT);
    cursor = String(next);
    ops += 1 + keys.length * OPS_PER_KEY;
    if (keys.length > 0) {
      const batch: Promise<void> = inspect(node, keys, scan.tally).then(() => {
        inFlight.delete(batch);
        part.done += keys.length;
        scan.total += keys.length;
        const n = scan.nodes.length;
        job.progress({ done: scan.total, total: scan.expected, parts: scan.parts, detail: `scanning ${n} node${n === 1 ? '' : 's'}` });
      });
      inFlight.add(batch);
      if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    }
    // Hold to the budget: never more than opsPerSecond on this node, averaged since it began.
    const ahead = (ops / options.opsPerSecond) * 1000 - (performance.now() - nodeStarted);
    if (ahead > 0) await pause(ahead, job.signal);
  } while (cursor !== '0');
  await Promise.all(inFlight);
}

/** Type, TTL and memory of a batch in one pipeline, then each key's size by its type in a second. */
async function inspect(node: NodeHandle, keys: Buffer[], tally: MemoryTally): Promise<void> {
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
    const entry: BigKey = { key, type, size, sizeUnit: SIZE_COMMAND[type]?.unit ?? 'elements', memoryBytes, node: node.address };
    tally.add(entry, pttl);
  });
}
