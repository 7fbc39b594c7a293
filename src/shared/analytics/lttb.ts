/**
 * Largest-Triangle-Three-Buckets down-sampling: keeps the first and last points and, per bucket,
 * the point that spans the largest triangle with its neighbours — so spikes survive, which an
 * average per bucket would flatten.
 */
export function lttb<T extends { t: number; v: number }>(points: readonly T[], threshold: number): T[] {
  const first = points[0];
  const final = points[points.length - 1];
  if (threshold >= points.length || threshold < 3 || !first || !final) return [...points];
  const at = (i: number): T => points[i] ?? final;
  const out: T[] = [first];
  const every = (points.length - 2) / (threshold - 2);
  let a = first;
  for (let i = 0; i < threshold - 2; i++) {
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, points.length);
    let avgT = 0;
    let avgV = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgT += at(j).t;
      avgV += at(j).v;
    }
    const len = Math.max(1, nextEnd - nextStart);
    avgT /= len;
    avgV /= len;
    const start = Math.floor(i * every) + 1;
    const end = Math.floor((i + 1) * every) + 1;
    let best = at(start);
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const p = at(j);
      const area = Math.abs((a.t - avgT) * (p.v - a.v) - (a.t - p.t) * (avgV - a.v));
      if (area > bestArea) {
        bestArea = area;
        best = p;
      }
    }
    out.push(best);
    a = best;
  }
  out.push(final);
  return out;
}
