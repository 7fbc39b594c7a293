import type { HealthSnapshot } from '../../../shared/model/health';
import type { MetricBucket, Tags } from '../../../shared/model/metrics';
import type { SwarmList } from '../../../shared/model/swarm';
import type { QueueSummary } from '../../../shared/model/task';

/**
 * The Prometheus text exposition format (version 0.0.4): one HELP and one TYPE line per family,
 * then its samples. Label values escape backslash, double quote and newline; HELP text escapes
 * backslash and newline — anything else a swarm's name holds passes through as UTF-8.
 */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: { labels: Record<string, string>; value: number }[];
}

export const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
/** Metric and label names: `[a-zA-Z_:][a-zA-Z0-9_:]*` (label names without the colon). */
export const metricName = (raw: string): string => raw.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/^([^a-zA-Z_:])/, '_$1');
const labelName = (raw: string): string => {
  const n = raw.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^([^a-zA-Z_])/, '_$1');
  // `__` is reserved for Prometheus' own labels.
  return n.startsWith('__') ? `x${n}` : n;
};

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

export function render(families: readonly Family[]): string {
  const out: string[] = [];
  for (const f of families) {
    if (f.samples.length === 0) continue;
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${labelName(k)}="${escapeLabel(v)}"`);
      out.push(`${f.name}${labels.length ? `{${labels.join(',')}}` : ''} ${formatValue(s.value)}`);
    }
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** What one scrape reads through the contract. */
export interface Scrape {
  health?: HealthSnapshot;
  queues?: QueueSummary[];
  swarms?: SwarmList;
  /** The latest bucket of each recorded series and tag set. */
  series: { series: string; tags: Tags; bucket: MetricBucket }[];
}

const RECORDED_STATS = ['count', 'sum', 'min', 'max', 'avg', 'p50', 'p95', 'p99'] as const;
/** Labels the exporter sets on recorded series itself. */
const RESERVED = new Set(['series', 'stat', 'tag_series', 'tag_stat']);

export function familiesOf(s: Scrape): Family[] {
  return [
    ...(s.health ? nodeFamilies(s.health.nodes) : []),
    ...(s.queues ? queueFamilies(s.queues) : []),
    ...(s.swarms ? swarmFamilies(s.swarms.swarms) : []),
    ...seriesFamilies(s.series),
  ];
}

const gauge = (name: string, help: string, samples: Family['samples']): Family => ({ name, help, type: 'gauge', samples });

type HealthNode = HealthSnapshot['nodes'][number];

function nodeFamilies(nodes: HealthNode[]): Family[] {
  const l = (n: HealthNode) => ({ node: n.address, role: n.role });
  const opt = (name: string, help: string, pick: (n: HealthNode) => number | undefined): Family =>
    gauge(
      name,
      help,
      nodes.flatMap((n) => {
        const v = pick(n);
        return v === undefined ? [] : [{ labels: l(n), value: v }];
      }),
    );
  return [
    gauge(
      'swarmdeck_node_up',
      'Whether the node answers (1) or its link is down (0)',
      nodes.map((n) => ({ labels: l(n), value: n.link === 'connected' ? 1 : 0 })),
    ),
    opt('swarmdeck_node_memory_used_bytes', 'used_memory of the node', (n) => n.usedMemory),
    opt('swarmdeck_node_memory_max_bytes', 'maxmemory of the node (0: no limit)', (n) => n.maxMemory),
    opt('swarmdeck_node_ops_per_second', 'instantaneous_ops_per_sec of the node', (n) => n.opsPerSec),
    opt('swarmdeck_node_connected_clients', 'connected_clients of the node', (n) => n.connectedClients),
    opt('swarmdeck_node_ping_p50_milliseconds', 'Median PING round trip from Swarmdeck', (n) => n.latency.p50Ms),
    opt('swarmdeck_node_ping_p99_milliseconds', '99th percentile PING round trip from Swarmdeck', (n) => n.latency.p99Ms),
    opt('swarmdeck_node_replication_lag_bytes', 'How far a replica is behind its master', (n) => n.replicationLagBytes),
  ];
}

function queueFamilies(queues: QueueSummary[]): Family[] {
  const states = ['waiting', 'delayed', 'active', 'finished', 'dead'] as const;
  return [
    gauge(
      'swarmdeck_queue_tasks',
      'Tasks in the queue, by state',
      queues.flatMap((q) => states.map((state) => ({ labels: { queue: q.name, state }, value: q.counts[state] }))),
    ),
    gauge(
      'swarmdeck_queue_paused',
      'Whether the queue is paused',
      queues.map((q) => ({ labels: { queue: q.name }, value: q.counts.paused ? 1 : 0 })),
    ),
    {
      name: 'swarmdeck_queue_completed_total',
      help: "Tasks completed over the queue's life",
      type: 'counter',
      samples: queues.map((q) => ({ labels: { queue: q.name }, value: q.counts.lifetime.completed })),
    },
    {
      name: 'swarmdeck_queue_enqueued_total',
      help: "Tasks enqueued over the queue's life",
      type: 'counter',
      samples: queues.map((q) => ({ labels: { queue: q.name }, value: q.counts.lifetime.enqueued })),
    },
  ];
}

function swarmFamilies(swarms: SwarmList['swarms']): Family[] {
  const l = (w: SwarmList['swarms'][number]) => ({ swarm: w.id, name: w.name, status: w.status });
  return [
    gauge(
      'swarmdeck_swarm_agents',
      'Agents registered in the swarm',
      swarms.map((w) => ({ labels: l(w), value: w.agents })),
    ),
    gauge(
      'swarmdeck_swarm_live_agents',
      'Agents of the swarm with a live heartbeat',
      swarms.map((w) => ({ labels: l(w), value: w.liveAgents })),
    ),
    gauge(
      'swarmdeck_swarm_findings',
      'Problems found in the swarm',
      swarms.map((w) => ({ labels: l(w), value: w.findings })),
    ),
  ];
}

/**
 * One family per metric name: `agent.x` and `agent_x` both become `swarmdeck_series_agent_x`,
 * so each sample names its series, and `stat` says which figure of the latest bucket it is.
 * A tag called `series` or `stat` is renamed rather than overwritten (two samples with one
 * label set would make the whole scrape invalid).
 */
function seriesFamilies(series: Scrape['series']): Family[] {
  const byName = new Map<string, Scrape['series']>();
  for (const r of series) {
    const name = metricName(`swarmdeck_series_${r.series}`);
    byName.set(name, [...(byName.get(name) ?? []), r]);
  }
  return [...byName]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, rows]) => {
      const names = [...new Set(rows.map((r) => r.series))].join(', ');
      return gauge(
        name,
        `Recorded series ${names}: the latest 1 min bucket's figures (stat label)`,
        rows.flatMap((r) => {
          const tags = Object.fromEntries(Object.entries(r.tags).map(([k, v]) => [RESERVED.has(k) ? `tag_${k}` : k, v]));
          return RECORDED_STATS.map((stat) => ({ labels: { ...tags, series: r.series, stat }, value: r.bucket[stat] }));
        }),
      );
    });
}
