import { SwarmdeckError } from '../../../shared/errors';
import type { HealthSnapshot } from '../../../shared/model/health';
import type { Tags } from '../../../shared/model/metrics';
import type { QueueSummary } from '../../../shared/model/task';
import type { Session } from '../../redis/connection-manager';
import { parseInfo } from '../../redis/info';
import { nodeHandles } from '../../redis/nodes';
import type { SwarmService } from '../swarms/swarm-service';
import type { Metrics } from './metrics';

/** What the built-in series keep per connected profile. */
export interface Collector {
  /** Absent on a read-only profile: nothing is written to its Redis. */
  recorder?: Metrics;
  /** Last reading of each cumulative counter, to turn it into a rate. */
  counters: Map<string, { value: number; at: number }>;
}

/** Redis figures from the health snapshot the health monitor already pushed. */
export function noteHealth(collector: Collector | undefined, snapshot: HealthSnapshot): void {
  for (const node of snapshot.nodes) {
    const tags = { node: node.address };
    note(collector, 'redis.ping_ms', node.latency.lastMs, tags);
    note(collector, 'redis.ops_per_sec', node.opsPerSec, tags);
    note(collector, 'redis.memory_bytes', node.usedMemory, tags);
    if (node.maxMemory && node.usedMemory !== undefined) note(collector, 'redis.memory_ratio', node.usedMemory / node.maxMemory, tags);
    note(collector, 'redis.clients', node.connectedClients, tags);
    if (node.role === 'replica') note(collector, 'redis.repl_lag_bytes', node.replicationLagBytes, tags);
  }
}

/** Queue figures from the summaries the queue monitor already pushed. */
export function noteQueues(collector: Collector | undefined, queues: QueueSummary[], now: number): void {
  if (!collector?.recorder) return;
  for (const q of queues) {
    const tags = { queue: q.name };
    const life = q.counts.lifetime;
    note(collector, 'queue.depth', q.counts.waiting + q.counts.delayed, tags);
    note(collector, 'queue.active', q.counts.active, tags);
    note(collector, 'queue.dead', q.counts.dead, tags);
    note(collector, 'queue.enqueued_per_sec', rate(collector, `q:${q.name}:enq`, life.enqueued, now), tags);
    note(collector, 'queue.completed_per_sec', rate(collector, `q:${q.name}:done`, life.completed, now), tags);
    // Every failure either schedules a retry or dead-letters the task.
    note(collector, 'queue.failed_per_sec', rate(collector, `q:${q.name}:fail`, life.retried + life.dead, now), tags);
    const minute = q.minutes.at(-1);
    note(collector, 'queue.wait_ms', minute?.waitMsAvg, tags);
    note(collector, 'queue.process_ms', minute?.processMsAvg, tags);
  }
}

/** What no monitor pushes: Redis counters the health snapshot lacks, and the swarms. */
export async function collectOwn(session: Session, collector: Collector, swarms: SwarmService, now: number): Promise<void> {
  await Promise.all(
    nodeHandles(session.client).map(async (node) => {
      const info = parseInfo(await node.client.info('stats'));
      const tags = { node: node.address };
      const n = (field: string): number | undefined => (info[field] === undefined ? undefined : Number(info[field]));
      note(collector, 'redis.evictions_per_sec', rate(collector, `${node.address}:ev`, n('evicted_keys'), now), tags);
      note(collector, 'redis.hits_per_sec', rate(collector, `${node.address}:hit`, n('keyspace_hits'), now), tags);
      note(collector, 'redis.misses_per_sec', rate(collector, `${node.address}:miss`, n('keyspace_misses'), now), tags);
    }),
  );
  for (const swarm of (await swarms.list(session)).swarms) {
    const tags = { swarm: swarm.id };
    note(collector, 'swarm.live_agents', swarm.liveAgents, tags);
    // Time since the swarm last showed a sign of life (heartbeat, event or message).
    note(collector, 'swarm.heartbeat_lag_ms', Math.max(0, now - swarm.lastActivity), tags);
  }
}

function note(collector: Collector | undefined, series: string, value: number | undefined, tags: Tags): void {
  if (!collector?.recorder || value === undefined || !Number.isFinite(value)) return;
  try {
    collector.recorder.record(series, value, tags);
  } catch (error) {
    // A queue or swarm named outside the tag alphabet, or a cap reached: that series goes
    // unrecorded, which `metrics.series` shows; the beat must go on for the others.
    if (!(error instanceof SwarmdeckError)) throw error;
  }
}

/** Per-second rate of a cumulative counter since its last reading (none on the first, or after a reset). */
function rate(collector: Collector, key: string, value: number | undefined, now: number): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const last = collector.counters.get(key);
  collector.counters.set(key, { value, at: now });
  if (!last || value < last.value || now <= last.at) return undefined;
  return ((value - last.value) * 1000) / (now - last.at);
}
