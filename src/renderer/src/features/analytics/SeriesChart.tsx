import { useMemo } from 'react';
import { DataZoomSliderComponent, MarkPointComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { MetricBucket } from '../../../../shared/model/metrics';
import { useEChart } from '../../components/use-echart';
import { chartModel } from './chart-model';

// The shared chart hook registers what every page uses; the slider and the markers are this page's.
echarts.use([DataZoomSliderComponent, MarkPointComponent]);

const AXIS = {
  axisLine: { lineStyle: { color: '#30363d' } },
  axisLabel: { color: '#8b949e', fontSize: 10, hideOverlap: true },
  splitLine: { lineStyle: { color: '#21262d' } },
};
const fmt = (v: number): string => (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString() : Number(v.toPrecision(3)).toString());

export interface Threshold {
  value: number;
  label: string;
  severity: 'warning' | 'critical';
}

/**
 * One recorded series: average per bucket, p99 for latencies, the expected band, anomaly markers
 * (value and band in the tooltip), alert thresholds and the trend the fit supports.
 */
export function SeriesChart({
  title,
  unit,
  buckets,
  thresholds,
  from,
  to,
}: {
  title: string;
  unit: string;
  buckets: MetricBucket[];
  thresholds: Threshold[];
  from: number;
  to: number;
}) {
  const model = useMemo(() => chartModel(buckets, unit === 'ms'), [buckets, unit]);
  const option = useMemo(() => {
    // A flat series would get an axis of ±0.000001 around its value: anchor it at zero instead.
    const values = model.line.map(([, v]) => v);
    const flat = values.length > 0 && Math.min(...values) === Math.max(...values);
    const flatMax = flat ? Math.max(1, Math.abs(values[0] ?? 0) * 1.5) : undefined;
    return {
      animation: false,
      grid: { left: 54, right: 16, top: 30, bottom: 54 },
      tooltip: { trigger: 'axis', backgroundColor: '#161b22', borderColor: '#30363d', textStyle: { color: '#c9d1d9', fontSize: 11 } },
      legend: {
        top: 0,
        left: 50,
        textStyle: { color: '#8b949e', fontSize: 11 },
        itemWidth: 12,
        itemHeight: 4,
        data: ['avg', ...(model.p99 ? ['p99'] : []), 'expected', ...(model.trendLine ? ['trend'] : [])],
      },
      xAxis: { type: 'time', min: from, max: to, ...AXIS, splitLine: { show: false } },
      yAxis: {
        type: 'value',
        name: unit,
        scale: !flat,
        ...(flat ? { min: Math.min(0, values[0] ?? 0), max: flatMax } : {}),
        nameTextStyle: { color: '#8b949e', fontSize: 10 },
        ...AXIS,
      },
      dataZoom: [
        { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
        {
          type: 'slider',
          xAxisIndex: 0,
          height: 18,
          bottom: 6,
          filterMode: 'none',
          borderColor: '#30363d',
          textStyle: { color: '#8b949e', fontSize: 10 },
        },
      ],
      series: [
        // The band: an invisible lower edge with the width stacked on it and shaded.
        {
          name: 'band-lower',
          type: 'line',
          stack: 'band',
          symbol: 'none',
          lineStyle: { opacity: 0 },
          tooltip: { show: false },
          data: model.bandLower,
          silent: true,
        },
        {
          name: 'expected',
          type: 'line',
          stack: 'band',
          symbol: 'none',
          lineStyle: { opacity: 0 },
          areaStyle: { color: 'rgba(88,166,255,0.12)' },
          itemStyle: { color: 'rgba(88,166,255,0.4)' },
          tooltip: { show: false },
          data: model.bandWidth,
          silent: true,
        },
        {
          name: 'avg',
          type: 'line',
          showSymbol: false,
          lineStyle: { width: 1.5, color: '#58a6ff' },
          itemStyle: { color: '#58a6ff' },
          data: model.line,
          markPoint: {
            symbol: 'circle',
            symbolSize: 9,
            itemStyle: { color: '#f85149', borderColor: '#fff', borderWidth: 1 },
            label: { show: false },
            tooltip: {
              formatter: (p: { data?: { value?: number; expected?: string } }) =>
                `anomaly ${fmt(p.data?.value ?? 0)} ${unit}<br/>expected ${p.data?.expected ?? ''}`,
            },
            data: model.anomalies.map((a) => ({ coord: [a.t, a.value], value: a.value, expected: `${fmt(a.lower)} … ${fmt(a.upper)}` })),
          },
          markLine: thresholds.length
            ? {
                silent: true,
                symbol: 'none',
                data: thresholds.map((t) => ({
                  yAxis: t.value,
                  lineStyle: { color: t.severity === 'critical' ? '#f85149' : '#d29922', type: 'dashed' },
                  label: {
                    color: t.severity === 'critical' ? '#f85149' : '#d29922',
                    fontSize: 10,
                    formatter: t.label,
                    position: 'insideEndTop',
                  },
                })),
              }
            : undefined,
        },
        ...(model.p99
          ? [
              {
                name: 'p99',
                type: 'line',
                showSymbol: false,
                lineStyle: { width: 1, color: '#bc8cff' },
                itemStyle: { color: '#bc8cff' },
                data: model.p99,
              },
            ]
          : []),
        ...(model.trendLine
          ? [
              {
                name: 'trend',
                type: 'line',
                symbol: 'none',
                lineStyle: { width: 1, type: 'dashed', color: '#3fb950' },
                itemStyle: { color: '#3fb950' },
                tooltip: { show: false },
                data: model.trendLine,
              },
            ]
          : []),
      ],
    };
  }, [model, unit, thresholds, from, to]);
  const ref = useEChart(option);
  const t = model.trend;
  const trendText =
    t.direction === 'rising' || t.direction === 'falling'
      ? `${t.direction} ${t.perHour >= 0 ? '+' : ''}${fmt(t.perHour)} ${unit}/h (R² ${t.r2.toFixed(2)})`
      : t.direction === 'steady'
        ? 'steady'
        : 'no clear trend';
  return (
    <section className="panel series-panel" data-testid="series-chart" data-series={title} data-band={model.bandLower.length}>
      <header className="panel-head">
        <h3 className="mono series-title">{title}</h3>
        <span className="muted">
          {model.anomalies.length > 0 && (
            <span className="sev sev-critical" data-testid="anomaly-count">
              {model.anomalies.length} anomal{model.anomalies.length === 1 ? 'y' : 'ies'}
            </span>
          )}{' '}
          {trendText}
        </span>
      </header>
      <div ref={ref} className="chart series-chart" />
      {model.anomalies.length > 0 && (
        <ul className="anomaly-list muted" data-testid="anomaly-list">
          {model.anomalies.slice(-3).map((a) => (
            <li key={a.t}>
              {new Date(a.t).toLocaleTimeString()}: {fmt(a.value)} {unit}, expected {fmt(a.lower)} … {fmt(a.upper)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
