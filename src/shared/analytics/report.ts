import type { AnalyticsResult } from './analyze';
import type { Point } from './stats';

/** A chart of the report or the page: one series, down-sampled, with what the analysis saw in it. */
export interface SeriesChart {
  /** The stored series and tag set, as `name{k=v,…}`. */
  series: string;
  unit: string;
  points: Point[];
  anomalies: Point[];
  /** The level an alert rule or maxmemory sets, if any. */
  threshold?: number;
}

export interface AnalyticsView {
  profileId: string;
  resolution: '1s' | '1m' | '1h';
  /** Series read for the analysis. */
  seriesRead: number;
  result: AnalyticsResult;
}

export interface AnalyticsReport extends AnalyticsView {
  profileName: string;
  generatedAt: number;
  charts: SeriesChart[];
}

/** `name{k=v,…}` — how every finding, chart and CLI line names one series and tag set. */
export function seriesLabel(series: string, tags: Record<string, string>): string {
  const keys = Object.keys(tags).sort();
  return keys.length === 0 ? series : `${series}{${keys.map((k) => `${k}=${tags[k] ?? ''}`).join(',')}}`;
}

/** The unit a built-in series is recorded in, read off its name. */
export function unitOf(series: string): string {
  if (series.endsWith('_ms')) return 'ms';
  if (series.endsWith('_bytes')) return 'bytes';
  if (series.endsWith('_per_sec')) return '/s';
  if (series.endsWith('_ratio')) return 'ratio';
  return '';
}
