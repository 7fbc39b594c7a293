import type { LatencySummary } from '../../../shared/model/health';

interface Sample {
  at: number;
  ms: number;
}

/** PING round trips per node over a sliding window (a minute by default). */
export class LatencyWindow {
  private readonly samples = new Map<string, Sample[]>();

  constructor(private readonly windowMs = 60_000) {}

  record(node: string, ms: number, at = Date.now()): void {
    const list = this.samples.get(node) ?? [];
    list.push({ at, ms });
    while (list.length > 0 && (list[0] as Sample).at < at - this.windowMs) list.shift();
    this.samples.set(node, list);
  }

  forget(node: string): void {
    this.samples.delete(node);
  }

  nodes(): string[] {
    return [...this.samples.keys()];
  }

  summary(node: string, now = Date.now()): LatencySummary {
    return summarize((this.samples.get(node) ?? []).filter((s) => s.at >= now - this.windowMs));
  }

  overall(now = Date.now()): LatencySummary {
    const all = [...this.samples.values()].flat().filter((s) => s.at >= now - this.windowMs);
    const latest = [...this.samples.values()].map((l) => l.at(-1)).filter((s): s is Sample => s !== undefined);
    const summary = summarize(all);
    if (latest.length > 0) summary.lastMs = Math.max(...latest.map((s) => s.ms));
    return summary;
  }
}

export function percentile(sorted: number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

function summarize(samples: Sample[]): LatencySummary {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    lastMs: samples.at(-1)?.ms,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    samples: samples.length,
  };
}
