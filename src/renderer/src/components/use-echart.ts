import { useEffect, useRef } from 'react';
import { BarChart, GraphChart, LineChart, LinesChart } from 'echarts/charts';
import { DataZoomInsideComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, GraphChart, LinesChart, GridComponent, DataZoomInsideComponent, LegendComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

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
export function useEChart(option: ChartOption, handlers: { onClick?(params: ChartClick): void; onFirstRender?(msSinceInit: number): void } = {}) {
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
    const first = (): void => {
      instance.off('finished', first);
      latest.current.onFirstRender?.(performance.now() - started);
    };
    instance.on('finished', first);
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: false, lazyUpdate: true });
  }, [option]);

  return ref;
}
