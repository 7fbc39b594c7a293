import { significantFragmentation } from '../../../shared/fragmentation';
import { formatBytes } from '../../../shared/format';
import type { Alert, HealthSnapshot, Thresholds } from '../../../shared/model/health';

type Finding = Omit<Alert, 'since'>;

const pct = (ratio: number): string => `${Math.round(ratio * 100)} %`;

/** Pure: which thresholds does this snapshot cross? */
export function evaluateAlerts(snapshot: Omit<HealthSnapshot, 'alerts'>, t: Thresholds): Finding[] {
  const findings: Finding[] = [];
  if (snapshot.clusterState !== undefined && snapshot.clusterState !== 'ok') {
    findings.push({ id: 'cluster-state', severity: 'critical', message: `Cluster state is ${snapshot.clusterState}` });
  }
  for (const node of snapshot.nodes) {
    if (node.link !== 'connected') {
      findings.push({
        id: `link:${node.address}`,
        severity: 'critical',
        node: node.address,
        message: `Node ${node.address} is ${node.link}`,
      });
      continue;
    }
    const p99 = node.latency.p99Ms;
    if (p99 !== undefined && p99 > t.latencyWarnMs) {
      findings.push({
        id: `latency:${node.address}`,
        severity: 'warning',
        node: node.address,
        message: `PING p99 ${p99.toFixed(1)} ms over the last minute exceeds ${t.latencyWarnMs} ms`,
      });
    }
    if (node.maxMemory && node.usedMemory !== undefined) {
      const ratio = node.usedMemory / node.maxMemory;
      const severity = ratio >= t.memoryCritRatio ? 'critical' : ratio >= t.memoryWarnRatio ? 'warning' : undefined;
      if (severity) {
        findings.push({
          id: `memory:${node.address}`,
          severity,
          node: node.address,
          message: `Memory at ${pct(ratio)} of maxmemory (threshold ${pct(severity === 'critical' ? t.memoryCritRatio : t.memoryWarnRatio)})`,
        });
      }
    }
    if (significantFragmentation(node)) {
      findings.push({
        id: `fragmentation:${node.address}`,
        severity: 'warning',
        node: node.address,
        message: `Memory fragmentation ${node.fragmentation?.toFixed(2)}: ${formatBytes((node.rssMemory ?? 0) - (node.usedMemory ?? 0))} of RSS beyond ${formatBytes(node.usedMemory)} of data`,
      });
    }
  }
  return findings;
}

/** Remembers since when each alert has been firing, so "since" survives repeated snapshots. */
export class AlertLedger {
  private readonly firstSeen = new Map<string, string>();

  stamp(findings: Finding[], now = new Date().toISOString()): Alert[] {
    const live = new Set(findings.map((f) => `${f.id}:${f.severity}`));
    for (const key of [...this.firstSeen.keys()]) if (!live.has(key)) this.firstSeen.delete(key);
    return findings.map((f) => {
      const key = `${f.id}:${f.severity}`;
      if (!this.firstSeen.has(key)) this.firstSeen.set(key, now);
      return { ...f, since: this.firstSeen.get(key) as string };
    });
  }
}
