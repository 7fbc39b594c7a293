import { describe, expect, it } from 'vitest';
import type { ChartModel, ScopedSeries } from '../../src/renderer/src/features/analytics/chart-model';
import { chartModel } from '../../src/renderer/src/features/analytics/chart-model';
import { formatValue, trendText } from '../../src/renderer/src/features/analytics/series-format';
import { seriesOption, thresholdsOf, type Threshold } from '../../src/renderer/src/features/analytics/series-option';
import { palette } from '../../src/renderer/src/styles/palette';
import type { AlertRule, MetricBucket } from '../../src/shared/model/metrics';

const T0 = 1_700_000_000_000;

interface SeriesLike {
  name: string;
  stack?: string;
  data: unknown[];
  lineStyle?: { opacity?: number; color?: string };
  markPoint?: {
    data: { coord: [number, number]; value: number; expected: string }[];
    tooltip: { formatter(p: { data?: { value?: number; expected?: string } }): string };
  };
  markLine?: { data: { yAxis: number; lineStyle: { color: string }; label: { formatter: string } }[] };
}
interface OptionLike {
  legend: { data: string[] };
  xAxis: { min: number; max: number };
  yAxis: { scale: boolean; min?: number; max?: number; name: string };
  series: SeriesLike[];
}

const model = (over: Partial<ChartModel> = {}): ChartModel => ({
  line: [
    [T0, 2],
    [T0 + 1000, 4],
  ],
  bandLower: [
    [T0, 1],
    [T0 + 1000, 1],
  ],
  bandWidth: [
    [T0, 3],
    [T0 + 1000, 3],
  ],
  anomalies: [],
  trend: { series: '', direction: 'unclear', perHour: 0, perHourMargin: Infinity, r2: 0, n: 2, mean: 3 },
  ...over,
});
const build = (m: ChartModel, thresholds: Threshold[] = [], unit = 'ms'): OptionLike =>
  seriesOption({ model: m, unit, thresholds, from: T0 - 60_000, to: T0 + 60_000 }) as unknown as OptionLike;
const byName = (o: OptionLike, name: string): SeriesLike | undefined => o.series.find((s) => s.name === name);

/** Every string in the option that looks like a colour. */
function coloursIn(value: unknown): string[] {
  if (typeof value === 'string') return /^(#|rgba?\()/.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(coloursIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(coloursIn);
  return [];
}

describe('the option of one recorded series', () => {
  it('spans the chosen window, not just the buckets read', () => {
    const o = build(model());
    expect([o.xAxis.min, o.xAxis.max]).toEqual([T0 - 60_000, T0 + 60_000]);
    expect(o.yAxis).toMatchObject({ name: 'ms', scale: true });
  });

  it('draws the band as an invisible lower edge with its width stacked on it', () => {
    const o = build(model());
    const lower = byName(o, 'band-lower');
    const width = byName(o, 'expected');
    expect(lower?.stack).toBe('band');
    expect(width?.stack).toBe('band');
    expect(lower?.lineStyle?.opacity).toBe(0);
    expect(lower?.data).toEqual(model().bandLower);
    expect(width?.data).toEqual(model().bandWidth);
  });

  it('adds the p99 and the trend to the lines and the legend only when the model has them', () => {
    expect(build(model()).legend.data).toEqual(['avg', 'expected']);
    expect(build(model()).series.map((s) => s.name)).toEqual(['band-lower', 'expected', 'avg']);
    const full = build(
      model({
        p99: [[T0, 9]],
        trendLine: [
          [T0, 1],
          [T0 + 1000, 2],
        ],
      }),
    );
    expect(full.legend.data).toEqual(['avg', 'p99', 'expected', 'trend']);
    expect(full.series.map((s) => s.name)).toEqual(['band-lower', 'expected', 'avg', 'p99', 'trend']);
  });

  it('anchors a flat series at zero instead of a hair-thin axis around its value', () => {
    const flat = model({
      line: [
        [T0, 4],
        [T0 + 1000, 4],
      ],
    });
    expect(build(flat).yAxis).toMatchObject({ scale: false, min: 0, max: 6 });
    const zero = model({ line: [[T0, 0]] });
    expect(build(zero).yAxis).toMatchObject({ scale: false, min: 0, max: 1 });
    expect(build(model()).yAxis.min).toBeUndefined();
  });
});

describe('what the option marks on a series', () => {
  it('marks each anomaly on the average line, its tooltip the value and the band it left', () => {
    const o = build(
      model({ anomalies: [{ t: T0 + 1000, value: 1234.5, expected: 2, lower: 1, upper: 3.14159, score: 9, direction: 'high' }] }),
    );
    const marker = byName(o, 'avg')?.markPoint;
    expect(marker?.data).toEqual([{ coord: [T0 + 1000, 1234.5], value: 1234.5, expected: '1 … 3.14' }]);
    const tip = marker?.tooltip.formatter({ data: marker.data[0] });
    expect(tip).toBe(`anomaly ${(1235).toLocaleString()} ms<br/>expected 1 … 3.14`);
  });

  it('draws each threshold as a dashed line in its severity colour, and no line when no rule applies', () => {
    expect(byName(build(model()), 'avg')?.markLine).toBeUndefined();
    const lines = byName(
      build(model(), [
        { value: 200, label: 'PING spike (max)', severity: 'critical' },
        { value: 50, label: 'slow (avg)', severity: 'warning' },
      ]),
      'avg',
    )?.markLine?.data;
    expect(lines?.map((l) => [l.yAxis, l.lineStyle.color, l.label.formatter])).toEqual([
      [200, palette.bad, 'PING spike (max)'],
      [50, palette.warn, 'slow (avg)'],
    ]);
  });

  it('takes every colour from the palette', () => {
    const o = build(
      model({
        p99: [[T0, 9]],
        trendLine: [
          [T0, 1],
          [T0 + 1000, 2],
        ],
        anomalies: [{ t: T0, value: 9, expected: 2, lower: 1, upper: 3, score: 9, direction: 'high' }],
      }),
      [{ value: 1, label: 'x', severity: 'warning' }],
    );
    const colours = coloursIn(o);
    const known = new Set<string>(Object.values(palette));
    expect(colours.length).toBeGreaterThan(10);
    expect(colours.filter((c) => !known.has(c))).toEqual([]);
  });

  it('builds from real buckets: a rising series gets its trend line', () => {
    const buckets: MetricBucket[] = Array.from({ length: 60 }, (_, i) => {
      const v = 10 + i;
      return { start: T0 + i * 1000, count: 1, sum: v, min: v, max: v, avg: v, p50: v, p95: v, p99: v };
    });
    const o = build(chartModel(buckets, false), [], 'ops');
    expect(o.legend.data).toEqual(['avg', 'expected', 'trend']);
    expect(byName(o, 'avg')?.data).toHaveLength(60);
  });
});

describe('thresholds of a chart', () => {
  const rule = (over: Partial<AlertRule>): AlertRule => ({
    id: 'r',
    name: 'PING spike',
    series: 'redis.ping_ms',
    stat: 'max',
    windowSec: 60,
    op: 'gt',
    threshold: 200,
    forSec: 0,
    hysteresis: 0,
    severity: 'critical',
    enabled: true,
    ...over,
  });
  const chart: ScopedSeries = { series: 'redis.ping_ms', tags: { node: 'a' }, label: 'redis.ping_ms' };

  it('are the enabled rules on its series whose tags it carries', () => {
    const rules = [
      rule({}),
      rule({ id: 'off', enabled: false }),
      rule({ id: 'other', series: 'queue.depth' }),
      rule({ id: 'b', tags: { node: 'b' } }),
      rule({ id: 'a', name: 'slow', stat: 'avg', threshold: 50, severity: 'warning', tags: { node: 'a' } }),
    ];
    expect(thresholdsOf(rules, chart)).toEqual([
      { value: 200, label: 'PING spike (max)', severity: 'critical' },
      { value: 50, label: 'slow (avg)', severity: 'warning' },
    ]);
  });
});

describe('the trend in words', () => {
  const trend = { series: '', perHourMargin: 1, n: 60, mean: 1 };
  it('names a direction with its rate and fit, and nothing the fit does not support', () => {
    expect(trendText({ ...trend, direction: 'rising', perHour: 3600, r2: 0.987 }, 'ops')).toBe(
      `rising +${formatValue(3600)} ops/h (R² 0.99)`,
    );
    expect(trendText({ ...trend, direction: 'falling', perHour: -0.5, r2: 0.9 }, 'ms')).toBe('falling -0.5 ms/h (R² 0.90)');
    expect(trendText({ ...trend, direction: 'steady', perHour: 0, r2: 0 }, 'ms')).toBe('steady');
    expect(trendText({ ...trend, direction: 'unclear', perHour: 9, r2: 0.1 }, 'ms')).toBe('no clear trend');
  });
});
