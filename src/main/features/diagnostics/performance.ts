import { fragmentationMatters } from '../../../shared/fragmentation';
import type { NodePerformance } from '../../../shared/model/diagnostics';
import type { RedisClient } from '../../redis/client-options';
import { parseInfo } from '../../redis/info';
import { nodeHandles, type NodeHandle } from '../../redis/nodes';
import { OUTPUT_BUFFER_WARN } from './clients';
import { Findings, bytes, percentile, round } from './findings';

const SLOW_COMMAND_WARN_US = 50_000;
// p90, not p99: of 50 PINGs, p99 is the single slowest, which one pause of this process makes.
const PING_P90_WARN_MS = 20;
const FORK_WARN_US = 500_000;
const REPLICA_LAG_WARN_S = 10;

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

  const info = parseInfo(await r.info('all'));
  const num = (k: string): number => Number(info[k] ?? 0);
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

  // INFO commandstats: cmdstat_get:calls=1,usec=2,usec_per_call=2.00,…
  const topCommands = Object.entries(info)
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

  const memory = {
    usedBytes: num('used_memory'),
    datasetBytes: num('used_memory_dataset'),
    rssBytes: num('used_memory_rss'),
    fragmentationRatio: num('mem_fragmentation_ratio'),
    maxmemory: num('maxmemory'),
  };
  const wasted = memory.rssBytes - memory.usedBytes;
  if (fragmentationMatters(memory)) {
    findings.add({
      id: 'fragmentation',
      severity: 'warning',
      title: `Memory fragmentation ${memory.fragmentationRatio}`,
      detail: `${at} holds ${bytes(memory.rssBytes)} of RSS for ${bytes(memory.usedBytes)} of data: ${bytes(wasted)} lost to fragmentation.`,
      recommendation:
        'CONFIG SET activedefrag yes (jemalloc builds) reclaims it gradually; a restart of a replica-backed node does it at once.',
      evidence: [{ command: 'INFO memory', node: at, figures: memory }],
      node: at,
    });
  }
  if (num('evicted_keys') > 0) {
    findings.add({
      id: 'evictions',
      severity: 'warning',
      title: `${num('evicted_keys')} keys evicted`,
      detail: `${at} reached maxmemory (${bytes(memory.maxmemory)}) and evicted keys under policy ${info.maxmemory_policy ?? '?'}; coordination state (locks, queues) may have been lost.`,
      recommendation:
        'Raise maxmemory or shrink the dataset (see the memory analysis); Swarmdeck keys must not be evictable: use noeviction or volatile-* with TTLs only on caches.',
      evidence: [
        {
          command: 'INFO stats',
          node: at,
          figures: { evicted_keys: num('evicted_keys'), maxmemory: memory.maxmemory, policy: info.maxmemory_policy ?? '' },
        },
      ],
      node: at,
    });
  }
  if (num('blocked_clients') > 0) {
    findings.add({
      id: 'blocked-clients',
      severity: 'info',
      title: `${num('blocked_clients')} clients blocked`,
      detail: `Clients on ${at} wait in blocking commands (BRPOP, XREAD BLOCK…); idle workers do this by design.`,
      recommendation: 'Only a concern if the count grows without bound or work waits while they block.',
      evidence: [{ command: 'INFO clients', node: at, figures: { blocked_clients: num('blocked_clients') } }],
      node: at,
    });
  }
  if (num('latest_fork_usec') > FORK_WARN_US) {
    findings.add({
      id: 'fork-time',
      severity: 'warning',
      title: `The last fork took ${round(num('latest_fork_usec') / 1000, 1)} ms`,
      detail: `${at} stops serving while it forks for a snapshot or AOF rewrite.`,
      recommendation: 'Enable transparent huge pages = never, give the host more memory headroom, or persist from a replica.',
      evidence: [{ command: 'INFO stats', node: at, figures: { latest_fork_usec: num('latest_fork_usec') } }],
      node: at,
    });
  }
  if (info.rdb_last_bgsave_status && info.rdb_last_bgsave_status !== 'ok') {
    findings.add({
      id: 'persistence',
      severity: 'critical',
      title: 'The last RDB snapshot failed',
      detail: `${at} reports rdb_last_bgsave_status:${info.rdb_last_bgsave_status}; with stop-writes-on-bgsave-error it refuses writes.`,
      recommendation: 'Read the server log: disk full, permissions or memory for the fork.',
      evidence: [{ command: 'INFO persistence', node: at, figures: { rdb_last_bgsave_status: info.rdb_last_bgsave_status } }],
      node: at,
    });
  }
  if (info.aof_enabled === '1' && info.aof_last_write_status !== 'ok') {
    findings.add({
      id: 'persistence',
      severity: 'critical',
      title: 'AOF writes fail',
      detail: `${at} reports aof_last_write_status:${info.aof_last_write_status ?? '?'}.`,
      recommendation: 'Check the disk the AOF lives on.',
      evidence: [{ command: 'INFO persistence', node: at, figures: { aof_last_write_status: info.aof_last_write_status ?? '' } }],
      node: at,
    });
  }
  if (info.role === 'slave' && info.master_link_status !== 'up') {
    findings.add({
      id: 'replication-link',
      severity: 'critical',
      title: 'Replica lost its master',
      detail: `${at} replicates ${info.master_host ?? '?'}:${info.master_port ?? '?'} and its link is ${info.master_link_status ?? '?'} (down for ${info.master_link_down_since_seconds ?? '?'} s).`,
      recommendation: 'Check that the master is up and reachable from the replica; reads served here are stale.',
      evidence: [
        {
          command: 'INFO replication',
          node: at,
          figures: {
            master_link_status: info.master_link_status ?? '',
            master_link_down_since_seconds: info.master_link_down_since_seconds ?? '',
          },
        },
      ],
      node: at,
    });
  }
  for (const [k, v] of Object.entries(info)) {
    if (!/^slave\d+$/.test(k)) continue;
    const f = Object.fromEntries(v.split(',').map((p) => p.split('=') as [string, string]));
    const lag = Number(f.lag ?? 0);
    const behind = num('master_repl_offset') - Number(f.offset ?? 0);
    if (f.state !== 'online' || lag > REPLICA_LAG_WARN_S) {
      findings.add({
        id: 'replication-lag',
        severity: 'warning',
        title: `Replica ${f.ip}:${f.port} is ${f.state !== 'online' ? f.state : `${lag} s behind`}`,
        detail: `The replica of ${at} is ${behind} bytes behind the master's offset.`,
        recommendation: 'A replica that lags serves stale reads and loses more on failover: check its network and load.',
        evidence: [
          {
            command: 'INFO replication',
            node: at,
            figures: { replica: `${f.ip}:${f.port}`, state: f.state ?? '', lag, bytesBehind: behind },
          },
        ],
        node: at,
      });
    }
  }
  if (num('client_recent_max_output_buffer') >= OUTPUT_BUFFER_WARN) {
    findings.add({
      id: 'output-buffer-peak',
      severity: 'warning',
      title: `A client's output buffer reached ${bytes(num('client_recent_max_output_buffer'))}`,
      detail: `Recently on ${at} a client left that much of its replies unread; the clients diagnosis names it while it lasts.`,
      recommendation: 'Run the clients diagnosis; set client-output-buffer-limit for normal clients.',
      evidence: [
        { command: 'INFO clients', node: at, figures: { client_recent_max_output_buffer: num('client_recent_max_output_buffer') } },
      ],
      node: at,
    });
  }
  const perf: NodePerformance = { node: at, role: info.role ?? 'unknown', ping, topCommands, slowlog, latestLatency, memory, figures };
  if (latencyDoctor !== undefined) perf.latencyDoctor = latencyDoctor;
  return perf;
}
