import type { Finding, Severity } from '../../../shared/model/diagnostics';

/** Collects the findings of one diagnosis; the order they are added in is the order shown. */
export class Findings {
  readonly list: Finding[] = [];

  add(finding: Finding): void {
    this.list.push(finding);
  }

  counts(): Record<Severity, number> {
    const counts: Record<Severity, number> = { info: 0, warning: 0, critical: 0 };
    for (const f of this.list) counts[f.severity] += 1;
    return counts;
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** Resolves after `ms`, or at once when the signal aborts, so a cancel is never kept waiting. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
