import type { Trend } from '../../../../shared/analytics/trend';

/** Large values as whole numbers with separators, small ones to three significant digits. */
export const formatValue = (v: number): string =>
  Math.abs(v) >= 1000 ? Math.round(v).toLocaleString() : Number(v.toPrecision(3)).toString();

/** The trend as a chart's header says it: a direction only where the fit supports one. */
export function trendText(t: Trend, unit: string): string {
  if (t.direction === 'rising' || t.direction === 'falling')
    return `${t.direction} ${t.perHour >= 0 ? '+' : ''}${formatValue(t.perHour)} ${unit}/h (R² ${t.r2.toFixed(2)})`;
  return t.direction === 'steady' ? 'steady' : 'no clear trend';
}
