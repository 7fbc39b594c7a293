/** One observation of a series: `t` in epoch milliseconds. */
export interface Point {
  t: number;
  v: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const hi = s[mid] ?? Number.NaN;
  return s.length % 2 === 1 ? hi : ((s[mid - 1] ?? hi) + hi) / 2;
}

/** Median absolute deviation around the median. */
export function mad(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

/**
 * Least-squares line through the points. Times are taken relative to the first point so that
 * epoch milliseconds squared do not eat the double's precision.
 */
export interface LinearFit {
  /** Change per millisecond. */
  slope: number;
  /** Standard error of the slope (per millisecond). */
  slopeStdErr: number;
  /** Fitted value at `t0`. */
  intercept: number;
  t0: number;
  r2: number;
  n: number;
  /** Residual standard deviation. */
  residualSd: number;
  meanT: number;
  sxx: number;
  meanV: number;
  firstT: number;
  lastT: number;
}

export function linearFit(points: readonly Point[]): LinearFit | null {
  const pts = points.filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v));
  const n = pts.length;
  const t0 = pts[0]?.t;
  if (n < 3 || t0 === undefined) return null;
  let sumX = 0;
  let sumY = 0;
  for (const p of pts) {
    sumX += p.t - t0;
    sumY += p.v;
  }
  const mx = sumX / n;
  const my = sumY / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of pts) {
    const dx = p.t - t0 - mx;
    const dy = p.v - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const sse = Math.max(0, syy - slope * sxy);
  const residualSd = Math.sqrt(sse / (n - 2));
  // A perfectly constant series is explained completely by a flat line.
  const r2 = syy === 0 ? 1 : Math.max(0, 1 - sse / syy);
  const ts = pts.map((p) => p.t);
  return {
    slope,
    slopeStdErr: residualSd / Math.sqrt(sxx),
    intercept,
    t0,
    r2,
    n,
    residualSd,
    meanT: mx + t0,
    sxx,
    meanV: my,
    firstT: Math.min(...ts),
    lastT: Math.max(...ts),
  };
}

/** The fitted value at `t`, and its standard error (the line's, not a new observation's). */
export function fittedAt(fit: LinearFit, t: number): { value: number; stdErr: number } {
  const dx = t - fit.meanT;
  return {
    value: fit.intercept + fit.slope * (t - fit.t0),
    stdErr: fit.residualSd * Math.sqrt(1 / fit.n + (dx * dx) / fit.sxx),
  };
}

export const HOUR_MS = 3_600_000;
