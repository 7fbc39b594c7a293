import type { HealthSnapshot, NodeHealth, Thresholds } from '../../../shared/model/health';
import type { Profile } from '../../../shared/model/profile';
import type { RedisClient } from '../../redis/client-options';
import { withTimeout } from '../../redis/with-timeout';
import { countSlots, optionalNumber as num, parseClusterNodes, parseInfo, type ClusterNodeLine } from '../../redis/info';
import { isCluster, nodeHandles, type NodeHandle } from '../../redis/nodes';
import { AlertLedger, evaluateAlerts } from './alerts';
import { LatencyWindow } from './latency-window';

const PROBE_TIMEOUT_MS = 1500;

/** Health of one connected profile: latency samples, alert history and the snapshot they make. */
export class HealthCollector {
  readonly latency = new LatencyWindow();
  private readonly ledger = new AlertLedger();

  constructor(
    private readonly profile: Profile,
    private readonly client: RedisClient,
  ) {}

  /** Times one PING per node; a node that does not answer leaves no sample. */
  async samplePing(): Promise<void> {
    await Promise.all(
      nodeHandles(this.client).map(async (node) => {
        const started = performance.now();
        try {
          await withTimeout(node.client.ping(), PROBE_TIMEOUT_MS, `PING ${node.address}`);
          this.latency.record(node.address, performance.now() - started);
        } catch {
          // An unreachable node shows up through its link status, not as a latency figure.
        }
      }),
    );
  }

  async collect(thresholds: Thresholds): Promise<HealthSnapshot> {
    const handles = nodeHandles(this.client);
    const base = isCluster(this.client)
      ? await this.collectCluster(handles)
      : { topology: 'standalone' as const, nodes: await Promise.all(handles.map((h) => this.standaloneNode(h))) };
    const addresses = new Set(base.nodes.map((n) => n.address));
    for (const stale of this.latency.nodes()) if (!addresses.has(stale)) this.latency.forget(stale);
    const counted = base.nodes.filter((n) => n.role === 'master' || base.topology === 'standalone');
    const used = counted.reduce((s, n) => s + (n.usedMemory ?? 0), 0);
    const allCapped = counted.length > 0 && counted.every((n) => (n.maxMemory ?? 0) > 0);
    const max = allCapped ? counted.reduce((s, n) => s + (n.maxMemory ?? 0), 0) : 0;
    const partial: Omit<HealthSnapshot, 'alerts'> = {
      profileId: this.profile.id,
      at: new Date().toISOString(),
      ...base,
      latency: this.latency.overall(),
      memory: { used, max, ...(max > 0 ? { usedRatio: used / max } : {}) },
    };
    return { ...partial, alerts: this.ledger.stamp(evaluateAlerts(partial, thresholds)) };
  }

  private async info(handle: NodeHandle): Promise<Record<string, string>> {
    const text = await withTimeout(handle.client.info(), PROBE_TIMEOUT_MS, `INFO ${handle.address}`);
    return parseInfo(text);
  }

  private async standaloneNode(handle: NodeHandle): Promise<NodeHealth> {
    try {
      const info = await this.info(handle);
      return { ...fromInfo(info), address: handle.address, role: info.role === 'slave' ? 'replica' : 'master', slots: [], slotCount: 0, link: 'connected', latency: this.latency.summary(handle.address) };
    } catch {
      return { address: handle.address, role: 'unknown', slots: [], slotCount: 0, link: 'unreachable', latency: this.latency.summary(handle.address) };
    }
  }

  private async collectCluster(handles: NodeHandle[]): Promise<Pick<HealthSnapshot, 'topology' | 'clusterState' | 'nodes'>> {
    const byAddress = new Map(handles.map((h) => [h.address, h]));
    const natMap = this.profile.topology.kind === 'cluster' ? this.profile.topology.natMap ?? {} : {};
    const reachable = (announced: string): string => {
      const mapped = natMap[announced];
      return mapped ? `${mapped.host}:${mapped.port}` : announced;
    };
    // Ask the nodes in turn until one answers: its view is the cluster's view.
    let lines: ClusterNodeLine[] | undefined;
    let clusterState: string | undefined;
    for (const handle of handles) {
      try {
        const [nodesText, infoText] = await withTimeout(
          Promise.all([handle.client.cluster('NODES'), handle.client.cluster('INFO')]),
          PROBE_TIMEOUT_MS,
          `CLUSTER NODES ${handle.address}`,
        );
        lines = parseClusterNodes(String(nodesText));
        clusterState = parseInfo(String(infoText)).cluster_state;
        break;
      } catch {
        // Try the next node.
      }
    }
    if (!lines) return { topology: 'cluster', clusterState: 'unreachable', nodes: await Promise.all(handles.map((h) => this.standaloneNode(h))) };
    const infos = new Map<string, Record<string, string>>();
    await Promise.all(
      lines.map(async (line) => {
        const handle = byAddress.get(reachable(line.address));
        if (!handle || line.flags.includes('fail')) return;
        try {
          infos.set(line.id, await this.info(handle));
        } catch {
          // Reported below as unreachable.
        }
      }),
    );
    const byId = new Map(lines.map((l) => [l.id, l]));
    const nodes = lines.map((line): NodeHealth => {
      const address = reachable(line.address);
      const info = infos.get(line.id);
      const master = line.masterId ? byId.get(line.masterId) : undefined;
      const masterInfo = line.masterId ? infos.get(line.masterId) : undefined;
      const isMaster = line.flags.includes('master');
      let link = 'connected';
      if (line.flags.includes('fail')) link = 'fail';
      else if (line.flags.includes('fail?')) link = 'pfail';
      else if (!info) link = 'unreachable';
      const lag =
        !isMaster && info && masterInfo
          ? Math.max(0, (num(masterInfo.master_repl_offset) ?? 0) - (num(info.slave_repl_offset) ?? 0))
          : undefined;
      return {
        ...(info ? fromInfo(info) : {}),
        address,
        id: line.id,
        role: isMaster ? 'master' : line.flags.includes('slave') ? 'replica' : 'unknown',
        ...(master ? { masterAddress: reachable(master.address) } : {}),
        slots: line.slots,
        slotCount: countSlots(line.slots),
        link,
        ...(lag !== undefined ? { replicationLagBytes: lag } : {}),
        latency: this.latency.summary(address),
      };
    });
    nodes.sort((a, b) => a.address.localeCompare(b.address, undefined, { numeric: true }));
    return { topology: 'cluster', clusterState, nodes };
  }
}

function fromInfo(info: Record<string, string>): Partial<NodeHealth> {
  return {
    usedMemory: num(info.used_memory),
    maxMemory: num(info.maxmemory),
    fragmentation: num(info.mem_fragmentation_ratio),
    opsPerSec: num(info.instantaneous_ops_per_sec),
    connectedClients: num(info.connected_clients),
    redisVersion: info.redis_version,
  };
}
