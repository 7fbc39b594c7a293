import { HOUR_MS, linearFit, type Point } from './stats';

/**
 * `rising`/`falling` only when the slope is several standard errors from zero and the line
 * explains most of the variance; `steady` only when even the far end of the slope's range
 * moves the level by little over the window; otherwise `unclear` — noise is not a trend.
 */
export type TrendDirection = 'rising' | 'falling' | 'steady' | 'unclear';

export interface Trend {
  series: string;
  direction: TrendDirection;
  /** Least-squares change per hour. */
  perHour: number;
  /** ± two standard errors of `perHour`. */
  perHourMargin: number;
  r2: number;
  n: number;
  mean: number;
}

/** |slope| / stderr above this is a slope, not noise (t-statistic; ~p < 0.003 for n ≥ 10). */
export const TREND_MIN_T = 3;
export const TREND_MIN_R2 = 0.5;
/** A level that moves by less than this fraction over the window (at the slope's far bound) is steady. */
export const STEADY_FRACTION = 0.1;
const MIN_POINTS = 6;

export function trendOf(series: string, points: readonly Point[]): Trend {
  const fit = linearFit(points);
  if (!fit || fit.n < MIN_POINTS) {
    return {
      series,
      direction: 'unclear',
      perHour: 0,
      perHourMargin: Number.POSITIVE_INFINITY,
      r2: 0,
      n: fit?.n ?? points.length,
      mean: fit?.meanV ?? Number.NaN,
    };
  }
  const perHour = fit.slope * HOUR_MS;
  const margin = 2 * fit.slopeStdErr * HOUR_MS;
  const tStat = fit.slopeStdErr === 0 ? (fit.slope === 0 ? 0 : Number.POSITIVE_INFINITY) : Math.abs(fit.slope) / fit.slopeStdErr;
  const span = fit.lastT - fit.firstT;
  const scale = Math.max(Math.abs(fit.meanV), fit.residualSd, Number.EPSILON);
  let direction: TrendDirection = 'unclear';
  if (tStat >= TREND_MIN_T && fit.r2 >= TREND_MIN_R2) direction = fit.slope > 0 ? 'rising' : 'falling';
  else if (((Math.abs(fit.slope) + 2 * fit.slopeStdErr) * span) / scale < STEADY_FRACTION) direction = 'steady';
  return { series, direction, perHour, perHourMargin: margin, r2: fit.r2, n: fit.n, mean: fit.meanV };
}
