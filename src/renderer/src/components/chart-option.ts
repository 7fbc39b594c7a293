import type { EChartsCoreOption } from 'echarts/core';

/** An ECharts option; its own module so pure chart models (and their unit tests) need no DOM. */
export type ChartOption = EChartsCoreOption;
