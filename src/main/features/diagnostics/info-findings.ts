import { fragmentationMatters } from '../../../shared/fragmentation';
import type { NodePerformance } from '../../../shared/model/diagnostics';
import { OUTPUT_BUFFER_WARN } from './clients';
import { Findings, bytes, round } from './findings';

const FORK_WARN_US = 500_000;
const REPLICA_LAG_WARN_S = 10;

type Info = Record<string, string>;

const numeric =
  (info: Info) =>
  (k: string): number =>
    Number(info[k] ?? 0);

/** The findings one node's INFO shows on its own, in the order a report lists them; returns its memory figures. */
export function infoFindings(info: Info, at: string, findings: Findings): NodePerformance['memory'] {
  const memory = memoryFindings(info, at, findings);
  blockedClientsFinding(info, at, findings);
  persistenceFindings(info, at, findings);
  replicationFindings(info, at, findings);
  outputBufferFinding(info, at, findings);
  return memory;
}

function memoryFindings(info: Info, at: string, findings: Findings): NodePerformance['memory'] {
  const num = numeric(info);
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
  return memory;
}

function blockedClientsFinding(info: Info, at: string, findings: Findings): void {
  const num = numeric(info);
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
}

function persistenceFindings(info: Info, at: string, findings: Findings): void {
  const num = numeric(info);
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
}

function replicationFindings(info: Info, at: string, findings: Findings): void {
  const num = numeric(info);
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
}

function outputBufferFinding(info: Info, at: string, findings: Findings): void {
  const num = numeric(info);
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
}
