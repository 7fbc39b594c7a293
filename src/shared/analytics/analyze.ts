import { detectAnomalies, type Anomaly } from './anomaly';
import { timeToReach } from './forecast';
import { median, type Point } from './stats';
import { trendOf, type Trend } from './trend';

/**
 * What the analysis reads: recorded series, grouped by the role they play, each with the name
 * it is stored under so that every finding can name the series that shows it.
 */
export interface NamedSeries {
  name: string;
  points: Point[];
}

export interface AnalyticsInput {
  from: number;
  to: number;
  /** Latency percentiles of one subject (a node's PING, a queue's wait time). */
  latency: { subject: string; p50: NamedSeries; p99: NamedSeries }[];
  queues: {
    queue: string;
    depth: NamedSeries;
    /** Completions per second. */
    throughput: NamedSeries;
    /** Tasks per second each consumer completed over the window. */
    consumers?: { consumer: string; series: string; rate: number }[];
  }[];
  memory: { node: string; used: NamedSeries; maxmemory: number | null; evictions?: NamedSeries }[];
  /** Every other series: trends and anomalies only. */
  other: NamedSeries[];
}

export type FindingKind = 'latency-variance' | 'queue-congestion' | 'memory-saturation' | 'evictions' | 'slow-consumer' | 'anomalies';
export type Severity = 'info' | 'warning' | 'critical';

export interface Finding {
  id: string;
  kind: FindingKind;
  severity: Severity;
  subject: string;
  title: string;
  /** The numbers that support the finding, as a sentence. */
  evidence: string;
  /** The stored series that show it. */
  series: string[];
}

export interface Forecast {
  kind: 'memory-full' | 'backlog-clears';
  subject: string;
  series: string;
  target: number;
  at: number;
  earliest: number;
  latest: number;
  perHour: number;
}

export interface Recommendation {
  rank: number;
  findingId: string;
  severity: Severity;
  action: string;
  why: string;
}

export interface AnalyticsResult {
  from: number;
  to: number;
  trends: Trend[];
  anomalies: { series: string; anomalies: Anomaly[] }[];
  findings: Finding[];
  forecasts: Forecast[];
  recommendations: Recommendation[];
}

/** p99 this many times p50 (as medians over the window) is a tail worth looking at. */
export const LATENCY_TAIL_RATIO = 5;
export const LATENCY_TAIL_CRITICAL_RATIO = 20;
/** Buckets of both percentiles a tail needs before it is called one: a connect's first slow beats are not a pattern. */
export const LATENCY_MIN_BUCKETS = 5;
export const MEMORY_WARN_RATIO = 0.75;
export const MEMORY_CRIT_RATIO = 0.9;
/** A consumer completing less than this fraction of its peers' median rate is slow. */
export const SLOW_CONSUMER_FRACTION = 0.25;
/** Memory forecast to be full within this horizon is a finding even below the warning ratio. */
const MEMORY_HORIZON_MS = 24 * 3_600_000;

const fmt = (v: number): string => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(3)).toString());
const pct = (r: number): string => `${Math.round(r * 100)} %`;
const last = (points: Point[]): number | undefined => points.at(-1)?.v;

function latencyFindings(input: AnalyticsInput): Finding[] {
  const out: Finding[] = [];
  for (const l of input.latency) {
    if (l.p50.points.length < LATENCY_MIN_BUCKETS || l.p99.points.length < LATENCY_MIN_BUCKETS) continue;
    const p50 = median(l.p50.points.map((p) => p.v));
    const p99 = median(l.p99.points.map((p) => p.v));
    if (!(p50 > 0) || !Number.isFinite(p99)) continue;
    const ratio = p99 / p50;
    if (ratio < LATENCY_TAIL_RATIO) continue;
    out.push({
      id: `latency-variance:${l.subject}`,
      kind: 'latency-variance',
      severity: ratio >= LATENCY_TAIL_CRITICAL_RATIO ? 'critical' : 'warning',
      subject: l.subject,
      title: `${l.subject}: p99 is ${fmt(ratio)}× p50`,
      evidence: `median p50 ${fmt(p50)} ms, median p99 ${fmt(p99)} ms over ${l.p99.points.length} buckets`,
      series: [l.p50.name, l.p99.name],
    });
  }
  return out;
}

function queueFindings(input: AnalyticsInput, trends: Map<string, Trend>, forecasts: Forecast[]): Finding[] {
  const out: Finding[] = [];
  for (const q of input.queues) {
    const depth = trends.get(q.depth.name) ?? trendOf(q.depth.name, q.depth.points);
    const thr = trends.get(q.throughput.name) ?? trendOf(q.throughput.name, q.throughput.points);
    if (depth.direction === 'rising' && thr.direction !== 'rising') {
      const meanThr = thr.mean;
      out.push({
        id: `queue-congestion:${q.queue}`,
        kind: 'queue-congestion',
        severity: depth.perHour > Math.max(1, meanThr) * 3600 * 0.5 ? 'critical' : 'warning',
        subject: q.queue,
        title: `${q.queue}: backlog grows while throughput does not`,
        evidence: `depth ${depth.perHour >= 0 ? '+' : ''}${fmt(depth.perHour)}/h (R² ${depth.r2.toFixed(2)}); throughput ${thr.direction}, about ${fmt(Number.isFinite(meanThr) ? meanThr : 0)}/s`,
        series: [q.depth.name, q.throughput.name],
      });
    }
    if (depth.direction === 'falling') {
      const c = timeToReach(q.depth.points, 0);
      if (c)
        forecasts.push({
          kind: 'backlog-clears',
          subject: q.queue,
          series: q.depth.name,
          target: 0,
          at: c.at,
          earliest: c.earliest,
          latest: c.latest,
          perHour: c.perHour,
        });
    }
    const consumers = q.consumers ?? [];
    if (consumers.length >= 2) {
      for (const c of consumers) {
        const peers = median(consumers.filter((o) => o !== c).map((o) => o.rate));
        if (peers > 0 && c.rate < SLOW_CONSUMER_FRACTION * peers) {
          out.push({
            id: `slow-consumer:${q.queue}:${c.consumer}`,
            kind: 'slow-consumer',
            severity: 'warning',
            subject: `${q.queue}/${c.consumer}`,
            title: `${c.consumer} on ${q.queue} is slow`,
            evidence: `${fmt(c.rate)} tasks/s against a peer median of ${fmt(peers)} tasks/s (${pct(c.rate / peers)})`,
            series: [c.series],
          });
        }
      }
    }
  }
  return out;
}

function memoryFindings(input: AnalyticsInput, forecasts: Forecast[]): Finding[] {
  const out: Finding[] = [];
  for (const m of input.memory) {
    const used = last(m.used.points);
    let crossing: ReturnType<typeof timeToReach> = null;
    if (m.maxmemory && m.maxmemory > 0) {
      crossing = timeToReach(m.used.points, m.maxmemory);
      if (crossing && crossing.perHour > 0) {
        forecasts.push({
          kind: 'memory-full',
          subject: m.node,
          series: m.used.name,
          target: m.maxmemory,
          at: crossing.at,
          earliest: crossing.earliest,
          latest: crossing.latest,
          perHour: crossing.perHour,
        });
      } else crossing = null;
      const ratio = used === undefined ? 0 : used / m.maxmemory;
      const soon = crossing !== null && crossing.earliest - input.to < MEMORY_HORIZON_MS;
      if (ratio >= MEMORY_WARN_RATIO || soon) {
        out.push({
          id: `memory-saturation:${m.node}`,
          kind: 'memory-saturation',
          severity: ratio >= MEMORY_CRIT_RATIO ? 'critical' : 'warning',
          subject: m.node,
          title: `${m.node}: memory at ${pct(ratio)} of maxmemory`,
          evidence:
            `${fmt(used ?? 0)} of ${fmt(m.maxmemory)} bytes` +
            (crossing
              ? `; full at the current slope (${fmt(crossing.perHour)} B/h) between ${new Date(crossing.earliest).toISOString()} and ${new Date(crossing.latest).toISOString()}`
              : ''),
          series: [m.used.name],
        });
      }
    }
    if (m.evictions && m.evictions.points.length > 0) {
      // The series is a per-bucket count (a rate), so any positive bucket is an eviction.
      const evicted = m.evictions.points.reduce((s, p) => s + Math.max(0, p.v), 0);
      if (evicted > 0) {
        const ratio = used !== undefined && m.maxmemory ? used / m.maxmemory : 0;
        out.push({
          id: `evictions:${m.node}`,
          kind: 'evictions',
          severity: ratio >= MEMORY_CRIT_RATIO ? 'critical' : 'warning',
          subject: m.node,
          title: `${m.node}: keys evicted`,
          evidence: `${fmt(evicted)} keys evicted in the window` + (m.maxmemory ? ` with memory at ${pct(ratio)}` : ''),
          series: [m.evictions.name],
        });
      }
    }
  }
  return out;
}

const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 100, warning: 10, info: 1 };
/** Within one severity, the kind that loses data or stops work first comes first. */
const KIND_WEIGHT: Record<FindingKind, number> = {
  evictions: 6,
  'memory-saturation': 5,
  'queue-congestion': 4,
  'slow-consumer': 3,
  'latency-variance': 2,
  anomalies: 1,
};

function actionFor(f: Finding): string {
  switch (f.kind) {
    case 'evictions':
      return `Raise maxmemory on ${f.subject} or shorten TTLs: data is being dropped to make room.`;
    case 'memory-saturation':
      return `Free memory on ${f.subject} (expire old keys, trim streams) or raise maxmemory before it fills.`;
    case 'queue-congestion':
      return `Add consumers to ${f.subject} or throttle producers: the backlog outgrows the work done.`;
    case 'slow-consumer':
      return `Inspect ${f.subject}: restart it or move it to a less loaded host.`;
    case 'latency-variance':
      return `Look for slow commands and big keys on ${f.subject} (SLOWLOG, Diagnostics): the tail is far from the median.`;
    case 'anomalies':
      return `Check what happened on ${f.subject} at the marked times.`;
  }
}

export function recommend(findings: readonly Finding[]): Recommendation[] {
  return [...findings]
    .sort(
      (a, b) =>
        SEVERITY_WEIGHT[b.severity] + KIND_WEIGHT[b.kind] - (SEVERITY_WEIGHT[a.severity] + KIND_WEIGHT[a.kind]) || a.id.localeCompare(b.id),
    )
    .map((f, i) => ({ rank: i + 1, findingId: f.id, severity: f.severity, action: actionFor(f), why: `${f.title} — ${f.evidence}` }));
}

function allSeries(input: AnalyticsInput): NamedSeries[] {
  const out: NamedSeries[] = [];
  for (const l of input.latency) out.push(l.p50, l.p99);
  for (const q of input.queues) out.push(q.depth, q.throughput);
  for (const m of input.memory) {
    out.push(m.used);
    if (m.evictions) out.push(m.evictions);
  }
  out.push(...input.other);
  const seen = new Set<string>();
  return out.filter((s) => (seen.has(s.name) ? false : (seen.add(s.name), true)));
}

export function analyze(input: AnalyticsInput): AnalyticsResult {
  const series = allSeries(input);
  const trends = series.map((s) => trendOf(s.name, s.points));
  const byName = new Map(trends.map((t) => [t.series, t]));
  const anomalies = series
    .map((s) => ({ series: s.name, anomalies: detectAnomalies(s.points).anomalies }))
    .filter((a) => a.anomalies.length > 0);
  const forecasts: Forecast[] = [];
  const findings = [...memoryFindings(input, forecasts), ...queueFindings(input, byName, forecasts), ...latencyFindings(input)];
  for (const a of anomalies) {
    const worst = a.anomalies.reduce((w, x) => (Math.abs(x.score) > Math.abs(w.score) ? x : w));
    findings.push({
      id: `anomalies:${a.series}`,
      kind: 'anomalies',
      severity: 'info',
      subject: a.series,
      title: `${a.series}: ${a.anomalies.length} anomalous point${a.anomalies.length === 1 ? '' : 's'}`,
      evidence: `worst ${fmt(worst.value)} at ${new Date(worst.t).toISOString()}, expected ${fmt(worst.lower)}…${fmt(worst.upper)}`,
      series: [a.series],
    });
  }
  return { from: input.from, to: input.to, trends, anomalies, findings, forecasts, recommendations: recommend(findings) };
}
