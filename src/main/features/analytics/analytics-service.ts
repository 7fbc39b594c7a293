import { analyze, type AnalyticsInput, type NamedSeries } from '../../../shared/analytics/analyze';
import { detectAnomalies } from '../../../shared/analytics/anomaly';
import { lttb } from '../../../shared/analytics/lttb';
import { seriesLabel, unitOf, type AnalyticsReport, type AnalyticsView, type SeriesChart } from '../../../shared/analytics/report';
import { reportHtml } from '../../../shared/analytics/report-html';
import { median, type Point } from '../../../shared/analytics/stats';
import { RESOLUTION_MS, type MetricBucket, type Resolution, type SeriesInfo, type Tags } from '../../../shared/model/metrics';
import { SwarmdeckError } from '../../../shared/errors';
import type { JobView } from '../../../shared/model/job';
import type { ConnectionManager } from '../../redis/connection-manager';
import type { JobContext, JobRegistry } from '../jobs/job-registry';
import { Metrics } from '../metrics/metrics';
import type { MetricsService } from '../metrics/service';

/** The finest resolution whose buckets over the window stay within a query's cap. */
export function resolutionFor(spanMs: number): Resolution {
  if (spanMs <= 2 * 3_600_000) return '1s';
  if (spanMs <= 7 * 86_400_000) return '1m';
  return '1h';
}

/** Points per chart in a report: enough to see a spike (LTTB keeps it), small enough to inline. */
const REPORT_CHART_POINTS = 400;
/** Queries in flight at once: a window over many series must not queue hundreds of pipelines. */
const CONCURRENCY = 8;

interface Read {
  info: { series: string; tags: Tags };
  label: string;
  buckets: MetricBucket[];
}

async function inBatches<T, R>(items: T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  return out;
}

const avgPoints = (buckets: MetricBucket[]): Point[] => buckets.map((b) => ({ t: b.start, v: b.avg }));

/**
 * Analytics over what the metrics feature stored: reads every recorded series and tag set in
 * the window, hands them to the pure analysis by the role each built-in series plays, and
 * renders the report.
 */
export class AnalyticsService {
  constructor(
    private readonly metrics: MetricsService,
    private readonly connections: ConnectionManager,
    private readonly jobs: JobRegistry,
  ) {}

  private async read(profileId: string, from: number, to: number, resolution: Resolution, job?: JobContext): Promise<Read[]> {
    const all: SeriesInfo[] = await this.metrics.series(profileId);
    const wanted = all.flatMap((s) => (s.tagSets.length ? s.tagSets : [{}]).map((tags) => ({ series: s.series, tags })));
    let done = 0;
    job?.progress({ done, total: wanted.length });
    return inBatches(wanted, CONCURRENCY, async (info) => {
      if (job?.signal.aborted) throw new SwarmdeckError('CONFLICT', 'The report was cancelled');
      // Latency tails need many samples per bucket: the collector writes one PING every beat,
      // so a 1 s bucket's p99 is its p50. Read latency at 1 min at least.
      const res: Resolution = info.series.endsWith('_ms') && resolution === '1s' ? '1m' : resolution;
      const r = await this.metrics.query(profileId, { series: info.series, tags: info.tags, from, to, resolution: res });
      job?.progress({ done: ++done, detail: seriesLabel(info.series, info.tags) });
      return { info, label: seriesLabel(info.series, info.tags), buckets: r.buckets };
    });
  }

  private static input(reads: Read[], from: number, to: number, resolution: Resolution): AnalyticsInput {
    const input: AnalyticsInput = { from, to, latency: [], queues: [], memory: [], other: [] };
    const find = (series: string, tag: string, value: string): Read | undefined =>
      reads.find((r) => r.info.series === series && r.info.tags[tag] === value);
    const used = new Set<Read>();
    const take = (r: Read | undefined): Read | undefined => (r && used.add(r), r);
    for (const r of reads) {
      const node = r.info.tags.node;
      const queue = r.info.tags.queue;
      if (r.info.series === 'redis.ping_ms' && node) {
        take(r);
        input.latency.push({
          subject: node,
          p50: { name: `${r.label}:p50`, points: r.buckets.map((b) => ({ t: b.start, v: b.p50 })) },
          p99: { name: `${r.label}:p99`, points: r.buckets.map((b) => ({ t: b.start, v: b.p99 })) },
        });
      } else if (r.info.series === 'redis.memory_bytes' && node) {
        take(r);
        const ratio = take(find('redis.memory_ratio', 'node', node));
        const ratioAt = new Map((ratio?.buckets ?? []).map((b) => [b.start, b.avg]));
        const maxes = r.buckets.flatMap((b) => {
          const q = ratioAt.get(b.start);
          return q && q > 0 ? [b.avg / q] : [];
        });
        const ev = take(find('redis.evictions_per_sec', 'node', node));
        const bucketSec = RESOLUTION_MS[resolution] / 1000;
        input.memory.push({
          node,
          used: { name: r.label, points: avgPoints(r.buckets) },
          maxmemory: maxes.length ? median(maxes) : null,
          // A rate per second, averaged over the bucket: times its length, the keys it evicted.
          ...(ev ? { evictions: { name: ev.label, points: ev.buckets.map((b) => ({ t: b.start, v: b.avg * bucketSec })) } } : {}),
        });
      } else if (r.info.series === 'queue.depth' && queue) {
        const done = find('queue.completed_per_sec', 'queue', queue);
        if (!done) continue;
        take(r);
        take(done);
        const consumers = reads
          .filter((c) => c.info.series === 'queue.consumer_completed_per_sec' && c.info.tags.queue === queue && c.info.tags.consumer)
          .map((c) => (take(c), { consumer: c.info.tags.consumer ?? '', series: c.label, rate: median(c.buckets.map((b) => b.avg)) }));
        input.queues.push({
          queue,
          depth: { name: r.label, points: avgPoints(r.buckets) },
          throughput: { name: done.label, points: avgPoints(done.buckets) },
          consumers,
        });
      }
    }
    for (const r of reads) if (!used.has(r)) input.other.push({ name: r.label, points: avgPoints(r.buckets) } satisfies NamedSeries);
    return input;
  }

  async analyze(profileId: string, from: number, to: number): Promise<AnalyticsView> {
    const { reads: _reads, input: _input, ...view } = await this.run(profileId, from, to);
    return view;
  }

  private async run(
    profileId: string,
    from: number,
    to: number,
    job?: JobContext,
  ): Promise<AnalyticsView & { reads: Read[]; input: AnalyticsInput }> {
    const resolution = resolutionFor(to - from);
    const reads = await this.read(profileId, from, to, resolution, job);
    const input = AnalyticsService.input(reads, from, to, resolution);
    return { profileId, resolution, seriesRead: reads.length, result: analyze(input), reads, input };
  }

  /** Starts the report as a job; `reportResult` reads it once done. */
  report(profileId: string, from: number, to: number): JobView {
    const session = this.connections.session(profileId);
    return this.jobs.start({
      kind: 'analytics.report',
      profileId,
      title: `Analytics report of ${session.profile.name}`,
      unit: 'series',
      run: (job) => this.build(profileId, from, to, job),
    });
  }

  reportResult(jobId: string): { report: AnalyticsReport; html: string } {
    const job = this.jobs.get(jobId);
    if (job.kind !== 'analytics.report') throw new SwarmdeckError('NOT_FOUND', `Job "${jobId}" is not an analytics report`);
    if (job.state === 'running')
      throw new SwarmdeckError('CONFLICT', 'The report is still being written; it is ready when the job is done');
    if (job.result === undefined)
      throw new SwarmdeckError('NOT_FOUND', `The report ended ${job.state} without a result${job.error ? `: ${job.error.message}` : ''}`);
    return job.result as { report: AnalyticsReport; html: string };
  }

  private async build(profileId: string, from: number, to: number, job: JobContext): Promise<{ report: AnalyticsReport; html: string }> {
    const now = Date.now();
    const { reads, input, ...view } = await this.run(profileId, from, to, job);
    const limits = new Map(input.memory.flatMap((m) => (m.maxmemory ? [[m.used.name, m.maxmemory] as const] : [])));
    const charts: SeriesChart[] = reads
      .filter((r) => r.buckets.length > 0)
      .map((r) => {
        const points = avgPoints(r.buckets);
        const max = limits.get(r.label);
        return {
          series: r.label,
          unit: unitOf(r.info.series),
          points: lttb(points, REPORT_CHART_POINTS),
          anomalies: detectAnomalies(points).anomalies.map((a) => ({ t: a.t, v: a.value })),
          ...(max === undefined ? {} : { threshold: max }),
        };
      });
    const session = this.connections.session(profileId);
    const report: AnalyticsReport = { ...view, profileName: session.profile.name, generatedAt: now, charts };
    return { report, html: reportHtml(report) };
  }

  /** One sample, flushed before the call returns, so a query right after sees it. */
  async record(profileId: string, series: string, value: number, tags: Tags | undefined): Promise<{ series: string; recorded: number }> {
    const session = this.connections.session(profileId);
    const recorder = new Metrics(session.client, { prefix: session.profile.keyPrefix });
    try {
      recorder.record(series, value, tags);
      await recorder.flush();
    } finally {
      recorder.stop();
    }
    return { series: seriesLabel(series, tags ?? {}), recorded: 1 };
  }
}
