import { formatBytes as bytes } from '../../../shared/format';
import type { HealthSnapshot } from '../../../shared/model/health';

export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const ms = (v: number | undefined): string => (v === undefined ? '-' : `${v.toFixed(2)} ms`);

export function healthText(h: HealthSnapshot): string {
  const head = [
    `topology: ${h.topology}${h.clusterState ? `, cluster_state ${h.clusterState}` : ''}`,
    `latency: p50 ${ms(h.latency.p50Ms)}, p99 ${ms(h.latency.p99Ms)} (${h.latency.samples} samples)`,
    `memory: ${bytes(h.memory.used)}${h.memory.max ? ` of ${bytes(h.memory.max)}` : ' (no maxmemory)'}`,
  ];
  const rows = [['ADDRESS', 'ROLE', 'SLOTS', 'LINK', 'LAG', 'MEMORY', 'FRAG', 'OPS/S', 'CLIENTS', 'P50']];
  for (const n of h.nodes) {
    rows.push([
      n.address,
      n.role,
      n.slots.join(',') || '-',
      n.link,
      n.replicationLagBytes === undefined ? '-' : bytes(n.replicationLagBytes),
      bytes(n.usedMemory),
      n.fragmentation?.toFixed(2) ?? '-',
      String(n.opsPerSec ?? '-'),
      String(n.connectedClients ?? '-'),
      ms(n.latency.p50Ms),
    ]);
  }
  const alerts = h.alerts.length === 0 ? ['alerts: none'] : h.alerts.map((a) => `${a.severity.toUpperCase()}: ${a.message}`);
  return [...head, '', table(rows), '', ...alerts].join('\n');
}
