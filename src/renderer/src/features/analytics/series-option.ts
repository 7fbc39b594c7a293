import type { AlertRule } from '../../../../shared/model/metrics';
import type { ChartOption } from '../../components/chart-option';
import { palette } from '../../styles/palette';
import { ruleApplies, type ChartModel, type ScopedSeries } from './chart-model';
import { formatValue } from './series-format';

export interface Threshold {
  value: number;
  label: string;
  severity: 'warning' | 'critical';
}

export interface SeriesOptionInput {
  model: ChartModel;
  unit: string;
  thresholds: readonly Threshold[];
  /** The window the axis spans, whether or not the buckets fill it. */
  from: number;
  to: number;
}

/** The enabled alert rules that watch this chart, drawn as lines at their thresholds. */
export function thresholdsOf(rules: readonly AlertRule[], chart: ScopedSeries): Threshold[] {
  return rules
    .filter((r) => r.enabled && ruleApplies(r, chart))
    .map((r) => ({ value: r.threshold, label: `${r.name} (${r.stat})`, severity: r.severity }));
}

const AXIS = {
  axisLine: { lineStyle: { color: palette.border } },
  axisLabel: { color: palette.muted, fontSize: 10, hideOverlap: true },
  splitLine: { lineStyle: { color: palette.borderSoft } },
};

const severityColour = (t: Threshold): string => (t.severity === 'critical' ? palette.bad : palette.warn);

/** A flat series would get an axis of ±0.000001 around its value: anchor it at zero instead. */
function valueAxis(model: ChartModel, unit: string): Record<string, unknown> {
  const values = model.line.map(([, v]) => v);
  const flat = values.length > 0 && Math.min(...values) === Math.max(...values);
  const flatMax = flat ? Math.max(1, Math.abs(values[0] ?? 0) * 1.5) : undefined;
  return {
    type: 'value',
    name: unit,
    scale: !flat,
    ...(flat ? { min: Math.min(0, values[0] ?? 0), max: flatMax } : {}),
    nameTextStyle: { color: palette.muted, fontSize: 10 },
    ...AXIS,
  };
}

/** The band: an invisible lower edge with the width stacked on it and shaded. */
function bandSeries(model: ChartModel): Record<string, unknown>[] {
  const edge = { type: 'line', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, tooltip: { show: false }, silent: true };
  return [
    { name: 'band-lower', ...edge, data: model.bandLower },
    {
      name: 'expected',
      ...edge,
      areaStyle: { color: palette.accentA12 },
      itemStyle: { color: palette.accentA40 },
      data: model.bandWidth,
    },
  ];
}

/** Each anomaly as a marker on the average line, its tooltip the value and the band it left. */
function anomalyMarkers(model: ChartModel, unit: string): Record<string, unknown> {
  return {
    symbol: 'circle',
    symbolSize: 9,
    itemStyle: { color: palette.bad, borderColor: palette.white, borderWidth: 1 },
    label: { show: false },
    tooltip: {
      formatter: (p: { data?: { value?: number; expected?: string } }) =>
        `anomaly ${formatValue(p.data?.value ?? 0)} ${unit}<br/>expected ${p.data?.expected ?? ''}`,
    },
    data: model.anomalies.map((a) => ({
      coord: [a.t, a.value],
      value: a.value,
      expected: `${formatValue(a.lower)} … ${formatValue(a.upper)}`,
    })),
  };
}

function thresholdLines(thresholds: readonly Threshold[]): Record<string, unknown> | undefined {
  if (thresholds.length === 0) return undefined;
  return {
    silent: true,
    symbol: 'none',
    data: thresholds.map((t) => ({
      yAxis: t.value,
      lineStyle: { color: severityColour(t), type: 'dashed' },
      label: { color: severityColour(t), fontSize: 10, formatter: t.label, position: 'insideEndTop' },
    })),
  };
}

function averageSeries({ model, unit, thresholds }: SeriesOptionInput): Record<string, unknown> {
  return {
    name: 'avg',
    type: 'line',
    showSymbol: false,
    lineStyle: { width: 1.5, color: palette.accent },
    itemStyle: { color: palette.accent },
    data: model.line,
    markPoint: anomalyMarkers(model, unit),
    markLine: thresholdLines(thresholds),
  };
}

/** The p99 line (latencies only) and the fitted trend (only where the fit claims one). */
function extraLines(model: ChartModel): Record<string, unknown>[] {
  const p99 = model.p99
    ? [
        {
          name: 'p99',
          type: 'line',
          showSymbol: false,
          lineStyle: { width: 1, color: palette.purple },
          itemStyle: { color: palette.purple },
          data: model.p99,
        },
      ]
    : [];
  const trend = model.trendLine
    ? [
        {
          name: 'trend',
          type: 'line',
          symbol: 'none',
          lineStyle: { width: 1, type: 'dashed', color: palette.ok },
          itemStyle: { color: palette.ok },
          tooltip: { show: false },
          data: model.trendLine,
        },
      ]
    : [];
  return [...p99, ...trend];
}

/**
 * One recorded series' chart: average per bucket, p99 for latencies, the expected band, anomaly
 * markers, alert thresholds and the trend, over the chosen window with a zoom slider.
 */
export function seriesOption(input: SeriesOptionInput): ChartOption {
  const { model, unit, from, to } = input;
  return {
    animation: false,
    grid: { left: 54, right: 16, top: 30, bottom: 54 },
    tooltip: {
      trigger: 'axis',
      backgroundColor: palette.panel,
      borderColor: palette.border,
      textStyle: { color: palette.text, fontSize: 11 },
    },
    legend: {
      top: 0,
      left: 50,
      textStyle: { color: palette.muted, fontSize: 11 },
      itemWidth: 12,
      itemHeight: 4,
      data: ['avg', ...(model.p99 ? ['p99'] : []), 'expected', ...(model.trendLine ? ['trend'] : [])],
    },
    xAxis: { type: 'time', min: from, max: to, ...AXIS, splitLine: { show: false } },
    yAxis: valueAxis(model, unit),
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      {
        type: 'slider',
        xAxisIndex: 0,
        height: 18,
        bottom: 6,
        filterMode: 'none',
        borderColor: palette.border,
        textStyle: { color: palette.muted, fontSize: 10 },
      },
    ],
    series: [...bandSeries(model), averageSeries(input), ...extraLines(model)],
  };
}
