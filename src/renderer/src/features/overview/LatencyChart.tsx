import { useMemo } from 'react';
import type { LatencyPoint } from './latency-point';
import { useEChart } from '../../components/use-echart';
import { withHistory } from '../analytics/latency-history';
import { useRecordedLatency } from '../analytics/recorded-latency';
import { useConnections } from '../connections/connections-store';

const AXIS = {
  axisLine: { lineStyle: { color: '#30363d' } },
  axisLabel: { color: '#8b949e', fontSize: 10 },
  splitLine: { lineStyle: { color: '#21262d' } },
};

export function LatencyChart({ points: live, warnMs }: { points: LatencyPoint[]; warnMs?: number }) {
  // The stored history fills the minutes before this page started listening.
  const history = useRecordedLatency(useConnections((s) => s.activeId));
  const points = useMemo(() => withHistory(history, live), [history, live]);
  const option = useMemo(
    () => ({
      animation: false,
      // The legend sits on its own row above the axis names (nameGap 15 above the grid), not over them.
      grid: { left: 48, right: 52, top: 44, bottom: 24 },
      tooltip: { trigger: 'axis', backgroundColor: '#161b22', borderColor: '#30363d', textStyle: { color: '#c9d1d9', fontSize: 11 } },
      legend: { top: 0, left: 56, textStyle: { color: '#8b949e', fontSize: 11 }, itemWidth: 14, itemHeight: 2 },
      xAxis: { type: 'time', ...AXIS, splitLine: { show: false } },
      yAxis: [
        { type: 'value', name: 'ms', nameTextStyle: { color: '#8b949e', fontSize: 10 }, ...AXIS },
        { type: 'value', name: 'ops/s', nameTextStyle: { color: '#8b949e', fontSize: 10 }, ...AXIS, splitLine: { show: false } },
      ],
      series: [
        {
          name: 'PING p50',
          type: 'line',
          showSymbol: false,
          lineStyle: { width: 1.5, color: '#58a6ff' },
          itemStyle: { color: '#58a6ff' },
          areaStyle: { color: 'rgba(88,166,255,0.08)' },
          data: points.map((p) => [p.at, p.p50 ?? null]),
          ...(warnMs
            ? {
                markLine: {
                  silent: true,
                  symbol: 'none',
                  lineStyle: { color: '#d29922', type: 'dashed' },
                  label: { color: '#d29922', fontSize: 10, formatter: `warn ${warnMs} ms` },
                  data: [{ yAxis: warnMs }],
                },
              }
            : {}),
        },
        {
          name: 'PING p99',
          type: 'line',
          showSymbol: false,
          lineStyle: { width: 1.5, color: '#bc8cff' },
          itemStyle: { color: '#bc8cff' },
          data: points.map((p) => [p.at, p.p99 ?? null]),
        },
        {
          name: 'ops/s',
          type: 'line',
          yAxisIndex: 1,
          showSymbol: false,
          step: 'end',
          lineStyle: { width: 1, color: '#3fb950' },
          itemStyle: { color: '#3fb950' },
          data: points.map((p) => [p.at, p.opsPerSec ?? null]),
        },
      ],
    }),
    [points, warnMs],
  );
  const ref = useEChart(option);
  return <div ref={ref} className="chart" data-testid="latency-chart" data-points={points.length} />;
}
