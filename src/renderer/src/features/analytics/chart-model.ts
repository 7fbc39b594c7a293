import { detectAnomalies, type Anomaly } from '../../../../shared/analytics/anomaly';
import { lttb } from '../../../../shared/analytics/lttb';
import { linearFit, type Point } from '../../../../shared/analytics/stats';
import { trendOf, type Trend } from '../../../../shared/analytics/trend';
import type { MetricBucket, Resolution, SeriesInfo, Tags } from '../../../../shared/model/metrics';

/** Points drawn per line: beyond this LTTB thins the line, keeping its spikes. */
export const MAX_DRAWN_POINTS = 600;

export interface ChartModel {
  line: [number, number][];
  /** p99 of each bucket, for latency series (their tail is the story). */
  p99?: [number, number][];
  /** The expected band: its lower edge and its width (stacked on the lower edge). */
  bandLower: [number, number][];
  bandWidth: [number, number][];
  anomalies: Anomaly[];
  trend: Trend;
  /** The fitted line's two ends, when the fit claims a direction or a steady level. */
  trendLine?: [[number, number], [number, number]];
}

/**
 * What one chart draws, from a query's buckets: the average per bucket (thinned with LTTB on
 * long ranges), the anomaly band and markers judged on every bucket — never on the thinned
 * line, which would hide the very spikes it is asked about — and the least-squares trend.
 */
export function chartModel(buckets: readonly MetricBucket[], withP99: boolean): ChartModel {
  const points: Point[] = buckets.map((b) => ({ t: b.start, v: b.avg }));
  const drawn = lttb(points, MAX_DRAWN_POINTS);
  const keep = new Set(drawn.map((p) => p.t));
  const { band, anomalies } = detectAnomalies(points);
  const shownBand = band.filter((b) => keep.has(b.t));
  const trend = trendOf('', points);
  const fit = linearFit(points);
  const claimed = trend.direction !== 'unclear' && fit !== null;
  return {
    line: drawn.map((p) => [p.t, p.v]),
    ...(withP99 ? { p99: buckets.filter((b) => keep.has(b.start)).map((b) => [b.start, b.p99] as [number, number]) } : {}),
    bandLower: shownBand.map((b) => [b.t, b.lower]),
    bandWidth: shownBand.map((b) => [b.t, b.upper - b.lower]),
    anomalies,
    trend,
    ...(claimed
      ? {
          trendLine: [
            [fit.firstT, fit.intercept + fit.slope * (fit.firstT - fit.t0)],
            [fit.lastT, fit.intercept + fit.slope * (fit.lastT - fit.t0)],
          ] as [[number, number], [number, number]],
        }
      : {}),
  };
}

export interface TimeRange {
  id: string;
  label: string;
  ms: number;
  resolution: Resolution;
}

/** 1 s buckets up to two hours (7,200 at most), 1 min up to a week: within a query's cap. */
export const RANGES: readonly TimeRange[] = [
  { id: '15m', label: '15 min', ms: 15 * 60_000, resolution: '1s' },
  { id: '1h', label: '1 h', ms: 3_600_000, resolution: '1s' },
  { id: '6h', label: '6 h', ms: 6 * 3_600_000, resolution: '1m' },
  { id: '24h', label: '24 h', ms: 24 * 3_600_000, resolution: '1m' },
  { id: '7d', label: '7 d', ms: 7 * 86_400_000, resolution: '1m' },
  { id: '30d', label: '30 d', ms: 30 * 86_400_000, resolution: '1h' },
];

export type ScopeKind = 'all' | 'node' | 'queue' | 'swarm' | 'other';

export interface Scope {
  key: string;
  kind: ScopeKind;
  label: string;
  /** The tag that selects this scope's tag sets (none for `all`). */
  tag?: { name: string; value: string };
}

export interface ScopedSeries {
  series: string;
  /** The tag set queried; none merges every tag set of the series. */
  tags?: Tags;
  label: string;
}

const TAG_SCOPES: [ScopeKind, string][] = [
  ['node', 'node'],
  ['queue', 'queue'],
  ['swarm', 'swarm'],
];

/** The drill-down choices the recorded series offer: everything, then each node, queue and swarm. */
export function scopesOf(series: readonly SeriesInfo[]): Scope[] {
  const out = new Map<string, Scope>([['all', { key: 'all', kind: 'all', label: 'Everything (merged)' }]]);
  for (const s of series) {
    for (const tags of s.tagSets) {
      for (const [kind, name] of TAG_SCOPES) {
        const value = tags[name];
        if (value !== undefined)
          out.set(`${kind}=${value}`, { key: `${kind}=${value}`, kind, label: `${kind} ${value}`, tag: { name, value } });
      }
    }
  }
  return [...out.values()].sort((a, b) => (a.kind === 'all' ? -1 : b.kind === 'all' ? 1 : a.key.localeCompare(b.key)));
}

/** The series (and tag sets) a scope shows: merged per series for `all`, else each tag set carrying the scope's tag. */
export function seriesInScope(series: readonly SeriesInfo[], scope: Scope): ScopedSeries[] {
  if (!scope.tag) return series.map((s) => ({ series: s.series, label: s.series })).sort((a, b) => a.series.localeCompare(b.series));
  const { name, value } = scope.tag;
  const out: ScopedSeries[] = [];
  for (const s of series) {
    for (const tags of s.tagSets) {
      if (tags[name] !== value) continue;
      const rest = Object.entries(tags).filter(([k]) => k !== name);
      out.push({ series: s.series, tags, label: rest.length ? `${s.series} {${rest.map(([k, v]) => `${k}=${v}`).join(', ')}}` : s.series });
    }
  }
  return out.sort((a, b) => a.label.localeCompare(b.label));
}

/** The scope a finding's subject drills into, if the series offer one. */
export function scopeForSubject(scopes: readonly Scope[], subject: string): Scope | undefined {
  const head = subject.split('/')[0] ?? subject;
  return scopes.find((s) => s.tag?.value === subject) ?? scopes.find((s) => s.tag?.value === head);
}

/** Tags of a rule match a chart when every tag the rule names has the chart's value. */
export function ruleApplies(rule: { series: string; tags?: Tags }, chart: ScopedSeries): boolean {
  if (rule.series !== chart.series) return false;
  return Object.entries(rule.tags ?? {}).every(([k, v]) => chart.tags?.[k] === v);
}
