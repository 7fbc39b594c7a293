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
    findings.add(
      'ping-latency',
      'warning',
      `PING p90 is ${ping.p90Ms} ms`,
      `Round trips to ${at} are slow: p50 ${ping.p50Ms} ms, p99 ${ping.p99Ms} ms over ${ping.samples} PINGs.`,
      'A slow network path or a busy server: compare with the SLOWLOG and LATENCY findings; a busy single thread shows in the top commands.',
      [{ command: `PING ×${ping.samples}`, node: at, figures: ping }],
      at,
    );
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
    findings.add(
      'slowlog',
      'warning',
      `${slow.length} command${slow.length === 1 ? '' : 's'} took over ${SLOW_COMMAND_WARN_US / 1000} ms`,
      `The slowest, "${worst.command}", blocked ${at} for ${round(worst.durationUs / 1000, 1)} ms; every other client waited meanwhile.`,
      'Replace the command with an incremental one (SCAN family, UNLINK, smaller batches), or move the work off the hot path.',
      slow.slice(0, 5).map((e) => ({
        command: 'SLOWLOG GET 32',
        node: at,
        figures: { id: e.id, durationUs: e.durationUs, command: e.command, at: new Date(e.at).toISOString() },
      })),
      at,
    );
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
    findings.add(
      'latency-monitor-off',
      'info',
      'The latency monitor is off',
      `${at} records no latency events (latency-monitor-threshold is 0), so LATENCY LATEST and DOCTOR have nothing to say.`,
      'CONFIG SET latency-monitor-threshold 100 records every event slower than 100 ms at negligible cost.',
      [{ command: 'CONFIG GET latency-monitor-threshold', node: at, figures: { threshold } }],
      at,
    );
  } else if (latestLatency.length > 0) {
    latencyDoctor = String(await r.call('LATENCY', 'DOCTOR'));
    const worst = latestLatency.reduce((a, b) => (b.maxMs > a.maxMs ? b : a));
    findings.add(
      'latency-events',
      'warning',
      `Latency spikes up to ${worst.maxMs} ms (${worst.event})`,
      `${at} recorded ${latestLatency.length} kind${latestLatency.length === 1 ? '' : 's'} of latency event above ${threshold} ms; the worst was "${worst.event}" at ${worst.maxMs} ms.`,
      'Read LATENCY DOCTOR below; "command" events point at slow commands (see SLOWLOG), "fork" at persistence on a large dataset, "aof-*" at the disk.',
      latestLatency.map((e) => ({
        command: 'LATENCY LATEST',
        node: at,
        figures: { event: e.event, latestMs: e.latestMs, maxMs: e.maxMs, at: new Date(e.at).toISOString() },
      })),
      at,
    );
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
    findings.add(
      'fragmentation',
      'warning',
      `Memory fragmentation ${memory.fragmentationRatio}`,
      `${at} holds ${bytes(memory.rssBytes)} of RSS for ${bytes(memory.usedBytes)} of data: ${bytes(wasted)} lost to fragmentation.`,
      'CONFIG SET activedefrag yes (jemalloc builds) reclaims it gradually; a restart of a replica-backed node does it at once.',
      [{ command: 'INFO memory', node: at, figures: memory }],
      at,
    );
  }
  if (num('evicted_keys') > 0) {
    findings.add(
      'evictions',
      'warning',
      `${num('evicted_keys')} keys evicted`,
      `${at} reached maxmemory (${bytes(memory.maxmemory)}) and evicted keys under policy ${info.maxmemory_policy ?? '?'}; coordination state (locks, queues) may have been lost.`,
      'Raise maxmemory or shrink the dataset (see the memory analysis); Swarmdeck keys must not be evictable: use noeviction or volatile-* with TTLs only on caches.',
      [
        {
          command: 'INFO stats',
          node: at,
          figures: { evicted_keys: num('evicted_keys'), maxmemory: memory.maxmemory, policy: info.maxmemory_policy ?? '' },
        },
      ],
      at,
    );
  }
  if (num('blocked_clients') > 0) {
    findings.add(
      'blocked-clients',
      'info',
      `${num('blocked_clients')} clients blocked`,
      `Clients on ${at} wait in blocking commands (BRPOP, XREAD BLOCK…); idle workers do this by design.`,
      'Only a concern if the count grows without bound or work waits while they block.',
      [{ command: 'INFO clients', node: at, figures: { blocked_clients: num('blocked_clients') } }],
      at,
    );
  }
  if (num('latest_fork_usec') > FORK_WARN_US) {
    findings.add(
      'fork-time',
      'warning',
      `The last fork took ${round(num('latest_fork_usec') / 1000, 1)} ms`,
      `${at} stops serving while it forks for a snapshot or AOF rewrite.`,
      'Enable transparent huge pages = never, give the host more memory headroom, or persist from a replica.',
      [{ command: 'INFO stats', node: at, figures: { latest_fork_usec: num('latest_fork_usec') } }],
      at,
    );
  }
  if (info.rdb_last_bgsave_status && info.rdb_last_bgsave_status !== 'ok') {
    findings.add(
      'persistence',
      'critical',
      'The last RDB snapshot failed',
      `${at} reports rdb_last_bgsave_status:${info.rdb_last_bgsave_status}; with stop-writes-on-bgsave-error it refuses writes.`,
      'Read the server log: disk full, permissions or memory for the fork.',
      [{ command: 'INFO persistence', node: at, figures: { rdb_last_bgsave_status: info.rdb_last_bgsave_status } }],
      at,
    );
  }
  if (info.aof_enabled === '1' && info.aof_last_write_status !== 'ok') {
    findings.add(
      'persistence',
      'critical',
      'AOF writes fail',
      `${at} reports aof_last_write_status:${info.aof_last_write_status ?? '?'}.`,
      'Check the disk the AOF lives on.',
      [{ command: 'INFO persistence', node: at, figures: { aof_last_write_status: info.aof_last_write_status ?? '' } }],
      at,
    );
  }
  if (info.role === 'slave' && info.master_link_status !== 'up') {
    findings.add(
      'replication-link',
      'critical',
      'Replica lost its master',
      `${at} replicates ${info.master_host ?? '?'}:${info.master_port ?? '?'} and its link is ${info.master_link_status ?? '?'} (down for ${info.master_link_down_since_seconds ?? '?'} s).`,
      'Check that the master is up and reachable from the replica; reads served here are stale.',
      [
        {
          command: 'INFO replication',
          node: at,
          figures: {
            master_link_status: info.master_link_status ?? '',
            master_link_down_since_seconds: info.master_link_down_since_seconds ?? '',
          },
        },
      ],
      at,
    );
  }
  for (const [k, v] of Object.entries(info)) {
    if (!/^slave\d+$/.test(k)) continue;
    const f = Object.fromEntries(v.split(',').map((p) => p.split('=') as [string, string]));
    const lag = Number(f.lag ?? 0);
    const behind = num('master_repl_offset') - Number(f.offset ?? 0);
    if (f.state !== 'online' || lag > REPLICA_LAG_WARN_S) {
      findings.add(
        'replication-lag',
        'warning',
        `Replica ${f.ip}:${f.port} is ${f.state !== 'online' ? f.state : `${lag} s behind`}`,
        `The replica of ${at} is ${behind} bytes behind the master's offset.`,
        'A replica that lags serves stale reads and loses more on failover: check its network and load.',
        [
          {
            command: 'INFO replication',
            node: at,
            figures: { replica: `${f.ip}:${f.port}`, state: f.state ?? '', lag, bytesBehind: behind },
          },
        ],
        at,
      );
    }
  }
  if (num('client_recent_max_output_buffer') >= OUTPUT_BUFFER_WARN) {
    findings.add(
      'output-buffer-peak',
      'warning',
      `A client's output buffer reached ${bytes(num('client_recent_max_output_buffer'))}`,
      `Recently on ${at} a client left that much of its replies unread; the clients diagnosis names it while it lasts.`,
      'Run the clients diagnosis; set client-output-buffer-limit for normal clients.',
      [{ command: 'INFO clients', node: at, figures: { client_recent_max_output_buffer: num('client_recent_max_output_buffer') } }],
      at,
    );
  }
  const perf: NodePerformance = { node: at, role: info.role ?? 'unknown', ping, topCommands, slowlog, latestLatency, memory, figures };
  if (latencyDoctor !== undefined) perf.latencyDoctor = latencyDoctor;
  return perf;
}
