import type { NodePerformance } from '../../../shared/model/diagnostics';
import type { RedisClient } from '../../redis/client-options';
import { parseInfo } from '../../redis/info';
import { nodeHandles, type NodeHandle } from '../../redis/nodes';
import { Findings, percentile, round } from './findings';
import { infoFindings } from './info-findings';

const SLOW_COMMAND_WARN_US = 50_000;
// p90, not p99: of 50 PINGs, p99 is the single slowest, which one pause of this process makes.
const PING_P90_WARN_MS = 20;

export async function diagnosePerformance(
  client: RedisClient,
  findings: Findings,
  pingSamples: number,
  signal: AbortSignal,
): Promise<NodePerformance[]> {
  const out: NodePerformance[] = [];
  for (const node of nodeHandles(client, 'all')) {
    if (signal.aborted) break;
    out.push(await diagnoseNode(node, findings, pingSamples));
  }
  return out;
}

async function diagnoseNode(node: NodeHandle, findings: Findings, pingSamples: number): Promise<NodePerformance> {
  const at = node.address;
  const r = node.client;
  const ping = await measurePing(r, at, findings, pingSamples);
  const info = parseInfo(await r.info('all'));
  const slowlog = await readSlowlog(r, at, findings);
  const { latestLatency, latencyDoctor } = await readLatency(r, at, findings);
  const memory = infoFindings(info, at, findings);
  const perf: NodePerformance = {
    node: at,
    role: info.role ?? 'unknown',
    ping,
    topCommands: topCommands(info),
    slowlog,
    latestLatency,
    memory,
    figures: infoFigures(info),
  };
  if (latencyDoctor !== undefined) perf.latencyDoctor = latencyDoctor;
  return perf;
}

/** Round trips measured one after another, so the percentiles are of this path and not of a burst. */
async function measurePing(r: RedisClient, at: string, findings: Findings, pingSamples: number): Promise<NodePerformance['ping']> {
  const times: number[] = [];
  for (let i = 0; i < pingSamples; i++) {
    const started = performance.now();
    await r.ping();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const ping = {
    samples: times.length,
    p50Ms: round(percentile(times, 50), 3),
    p90Ms: round(percentile(times, 90), 3),
    p99Ms: round(percentile(times, 99), 3),
    maxMs: round(times.at(-1) ?? 0, 3),
  };
  if (ping.p90Ms > PING_P90_WARN_MS) {
    findings.add({
      id: 'ping-latency',
      severity: 'warning',
      title: `PING p90 is ${ping.p90Ms} ms`,
      detail: `Round trips to ${at} are slow: p50 ${ping.p50Ms} ms, p99 ${ping.p99Ms} ms over ${ping.samples} PINGs.`,
      recommendation:
        'A slow network path or a busy server: compare with the SLOWLOG and LATENCY findings; a busy single thread shows in the top commands.',
      evidence: [{ command: `PING ×${ping.samples}`, node: at, figures: ping }],
      node: at,
    });
  }

  return ping;
}

/** The INFO fields a report shows as they are, numbers as numbers. */
function infoFigures(info: Record<string, string>): NodePerformance['figures'] {
  const figures: Record<string, number | string> = {};
  for (const k of [
    'role',
    'used_memory',
    'used_memory_dataset',
    'used_memory_rss',
    'mem_fragmentation_ratio',
    'maxmemory',
    'maxmemory_policy',
    'evicted_keys',
    'blocked_clients',
    'connected_clients',
    'latest_fork_usec',
    'rdb_last_bgsave_status',
    'aof_enabled',
    'aof_last_write_status',
    'rdb_changes_since_last_save',
    'master_link_status',
    'client_recent_max_output_buffer',
    'instantaneous_ops_per_sec',
  ]) {
    if (info[k] !== undefined) figures[k] = /^-?\d+(\.\d+)?$/.test(info[k] as string) ? Number(info[k]) : (info[k] as string);
  }

  return figures;
}

/** The ten commands that took the most server time, from INFO commandstats. */
function topCommands(info: Record<string, string>): NodePerformance['topCommands'] {
  // INFO commandstats: cmdstat_get:calls=1,usec=2,usec_per_call=2.00,…
  return Object.entries(info)
    .filter(([k]) => k.startsWith('cmdstat_'))
    .map(([k, v]) => {
      const f = Object.fromEntries(v.split(',').map((p) => p.split('=') as [string, string]));
      return {
        command: k.slice(8).replace('|', ' '),
        calls: Number(f.calls ?? 0),
        usec: Number(f.usec ?? 0),
        usecPerCall: Number(f.usec_per_call ?? 0),
      };
    })
    .sort((a, b) => b.usec - a.usec)
    .slice(0, 10);
}

async function readSlowlog(r: RedisClient, at: string, findings: Findings): Promise<NodePerformance['slowlog']> {
  const slowRaw = (await r.call('SLOWLOG', 'GET', '32')) as Array<[number, number, number, string[], string?, string?]>;
  const slowlog = slowRaw.map(([id, when, durationUs, args, client]) => ({
    id: Number(id),
    at: Number(when) * 1000,
    durationUs: Number(durationUs),
    command: args.map(String).join(' ').slice(0, 200),
    ...(client ? { client: String(client) } : {}),
  }));
  const slow = slowlog.filter((e) => e.durationUs >= SLOW_COMMAND_WARN_US);
  if (slow.length > 0) {
    const worst = slow.reduce((a, b) => (b.durationUs > a.durationUs ? b : a));
    findings.add({
      id: 'slowlog',
      severity: 'warning',
      title: `${slow.length} command${slow.length === 1 ? '' : 's'} took over ${SLOW_COMMAND_WARN_US / 1000} ms`,
      detail: `The slowest, "${worst.command}", blocked ${at} for ${round(worst.durationUs / 1000, 1)} ms; every other client waited meanwhile.`,
      recommendation:
        'Replace the command with an incremental one (SCAN family, UNLINK, smaller batches), or move the work off the hot path.',
      evidence: slow.slice(0, 5).map((e) => ({
        command: 'SLOWLOG GET 32',
        node: at,
        figures: { id: e.id, durationUs: e.durationUs, command: e.command, at: new Date(e.at).toISOString() },
      })),
      node: at,
    });
  }

  return slowlog;
}

async function readLatency(
  r: RedisClient,
  at: string,
  findings: Findings,
): Promise<{ latestLatency: NodePerformance['latestLatency']; latencyDoctor?: string }> {
  const latestRaw = (await r.call('LATENCY', 'LATEST')) as Array<[string, number, number, number]>;
  const latestLatency = latestRaw.map(([event, when, latest, max]) => ({
    event: String(event),
    at: Number(when) * 1000,
    latestMs: Number(latest),
    maxMs: Number(max),
  }));
  const threshold = Number(((await r.call('CONFIG', 'GET', 'latency-monitor-threshold')) as string[])[1] ?? 0);
  let latencyDoctor: string | undefined;
  if (threshold === 0) {
    findings.add({
      id: 'latency-monitor-off',
      severity: 'info',
      title: 'The latency monitor is off',
      detail: `${at} records no latency events (latency-monitor-threshold is 0), so LATENCY LATEST and DOCTOR have nothing to say.`,
      recommendation: 'CONFIG SET latency-monitor-threshold 100 records every event slower than 100 ms at negligible cost.',
      evidence: [{ command: 'CONFIG GET latency-monitor-threshold', node: at, figures: { threshold } }],
      node: at,
    });
  } else if (latestLatency.length > 0) {
    latencyDoctor = String(await r.call('LATENCY', 'DOCTOR'));
    const worst = latestLatency.reduce((a, b) => (b.maxMs > a.maxMs ? b : a));
    findings.add({
      id: 'latency-events',
      severity: 'warning',
      title: `Latency spikes up to ${worst.maxMs} ms (${worst.event})`,
      detail: `${at} recorded ${latestLatency.length} kind${latestLatency.length === 1 ? '' : 's'} of latency event above ${threshold} ms; the worst was "${worst.event}" at ${worst.maxMs} ms.`,
      recommendation:
        'Read LATENCY DOCTOR below; "command" events point at slow commands (see SLOWLOG), "fork" at persistence on a large dataset, "aof-*" at the disk.',
      evidence: latestLatency.map((e) => ({
        command: 'LATENCY LATEST',
        node: at,
        figures: { event: e.event, latestMs: e.latestMs, maxMs: e.maxMs, at: new Date(e.at).toISOString() },
      })),
      node: at,
    });
  }

  return { latestLatency, latencyDoctor };
}
