import { useEffect, useRef } from 'react';
import { BarChart, GraphChart, LineChart, LinesChart } from 'echarts/charts';
import { DataZoomInsideComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { ChartOption } from './chart-option';

echarts.use([
  LineChart,
  BarChart,
  GraphChart,
  LinesChart,
  GridComponent,
  DataZoomInsideComponent,
  LegendComponent,
  TooltipComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

export type { ChartOption };

export interface ChartClick {
  seriesType?: string;
  dataType?: string;
  name?: string;
}

/**
 * Mounts one ECharts instance on the returned ref, follows its size, and applies `option`.
 * `onClick` gets clicks on data items; `onFirstRender` fires once, when the first frame with
 * data is drawn, with the time since the chart was created.
 */
export interface ChartHandlers {
  onClick?(params: ChartClick): void;
  onFirstRender?(msSinceInit: number): void;
}

export interface ChartUpdates {
  /** When given, `option` is applied only when this changes: big charts skip identical redraws. */
  key?: string;
  /** A small option merged on its own (e.g. one series' data), without re-applying `option`. */
  patch?: ChartOption;
}

export function useEChart(option: ChartOption, handlers: ChartHandlers = {}, updates: ChartUpdates = {}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (params) => latest.current.onClick?.(params as ChartClick));
    const started = performance.now();
    // 'rendered' rather than 'finished': charts with running effects never finish.
    const first = (): void => {
      instance.off('rendered', first);
      latest.current.onFirstRender?.(performance.now() - started);
    };
    instance.on('rendered', first);
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  const applied = useRef<string | undefined>(undefined);
  const { key, patch } = updates;
  useEffect(() => {
    if (key !== undefined && key === applied.current) return;
    applied.current = key;
    chart.current?.setOption(option, { notMerge: false, lazyUpdate: true });
  }, [option, key]);

  useEffect(() => {
    if (patch) chart.current?.setOption(patch, { notMerge: false, lazyUpdate: true });
  }, [patch]);

  return ref;
}
