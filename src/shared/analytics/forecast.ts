import { fittedAt, HOUR_MS, linearFit, type Point } from './stats';

/**
 * When the series reaches `target` at its current slope. The range combines the slope's and
 * the current level's uncertainty (two standard errors each): `earliest` with the steeper slope
 * and the closer level, `latest` with the gentler slope and the farther level. No forecast
 * (null) when the slope's range reaches zero: "never, at this rate" is not a date.
 */
export interface Crossing {
  at: number;
  earliest: number;
  latest: number;
  /** The current (fitted) level the projection starts from. */
  level: number;
  perHour: number;
}

export function timeToReach(points: readonly Point[], target: number): Crossing | null {
  const fit = linearFit(points);
  if (!fit || fit.n < 6) return null;
  const now = fit.lastT;
  const level = fittedAt(fit, now);
  const towards = Math.sign(target - level.value);
  if (towards === 0) return { at: now, earliest: now, latest: now, level: level.value, perHour: fit.slope * HOUR_MS };
  // Rate of approach: positive when the line moves towards the target.
  const rate = fit.slope * towards;
  const rateErr = 2 * fit.slopeStdErr;
  // The slope's range includes zero or the wrong sign: no claim that it ever gets there.
  if (rate <= rateErr) return null;
  const distance = Math.abs(target - level.value);
  const distErr = 2 * level.stdErr;
  const near = Math.max(0, distance - distErr);
  const far = distance + distErr;
  return {
    at: now + distance / rate,
    earliest: now + near / (rate + rateErr),
    latest: now + far / (rate - rateErr),
    level: level.value,
    perHour: fit.slope * HOUR_MS,
  };
}
