import { useMemo } from 'react';
import type { MinuteStats } from '../../../../shared/model/task';
import { useEChart } from '../../components/use-echart';

const AXIS = {
  axisLine: { lineStyle: { color: '#30363d' } },
  axisLabel: { color: '#8b949e', fontSize: 10, hideOverlap: true },
  splitLine: { lineStyle: { color: '#21262d' } },
};
const TOOLTIP = { trigger: 'axis', backgroundColor: '#161b22', borderColor: '#30363d', textStyle: { color: '#c9d1d9', fontSize: 11 } };
const LEGEND = { top: 0, left: 40, textStyle: { color: '#8b949e', fontSize: 11 }, itemWidth: 12, itemHeight: 8 };

/** The frame both queue charts share: per-minute time axis, one value axis named `unit`. */
const frame = (unit: string) => ({
  animation: false,
  // The legend sits on its own row above the axis name (nameGap 15 above the grid), not over it.
  grid: { left: 44, right: 12, top: 44, bottom: 22 },
  tooltip: TOOLTIP,
  legend: LEGEND,
  xAxis: { type: 'time', ...AXIS, splitLine: { show: false } },
  yAxis: { type: 'value', name: unit, nameTextStyle: { color: '#8b949e', fontSize: 10 }, ...AXIS },
});

export function ThroughputChart({ minutes }: { minutes: MinuteStats[] }) {
  const option = useMemo(
    () => ({
      ...frame('tasks/min'),
      series: [
        { name: 'enqueued', type: 'bar', barGap: 0, itemStyle: { color: '#58a6ff' }, data: minutes.map((m) => [m.at, m.enqueued]) },
        { name: 'completed', type: 'bar', itemStyle: { color: '#3fb950' }, data: minutes.map((m) => [m.at, m.completed]) },
        { name: 'failed', type: 'bar', itemStyle: { color: '#d29922' }, data: minutes.map((m) => [m.at, m.failed]) },
        { name: 'dead', type: 'bar', itemStyle: { color: '#f85149' }, data: minutes.map((m) => [m.at, m.dead]) },
      ],
    }),
    [minutes],
  );
  const ref = useEChart(option);
  return <div ref={ref} className="chart chart-small" data-testid="throughput-chart" />;
}

export function TimingChart({ minutes }: { minutes: MinuteStats[] }) {
  const option = useMemo(
    () => ({
      ...frame('ms'),
      series: [
        {
          name: 'wait (avg)',
          type: 'line',
          showSymbol: false,
          connectNulls: false,
          lineStyle: { color: '#bc8cff' },
          itemStyle: { color: '#bc8cff' },
          data: minutes.map((m) => [m.at, m.waitMsAvg ?? null]),
        },
        {
          name: 'processing (avg)',
          type: 'line',
          showSymbol: false,
          connectNulls: false,
          lineStyle: { color: '#39c5cf' },
          itemStyle: { color: '#39c5cf' },
          data: minutes.map((m) => [m.at, m.processMsAvg ?? null]),
        },
      ],
    }),
    [minutes],
  );
  const ref = useEChart(option);
  return <div ref={ref} className="chart chart-small" />;
}
