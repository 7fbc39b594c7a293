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
  /** The last figures each node gave, so a node that stops answering shows them as stale, not as zeros. */
  private readonly lastRead = new Map<string, { figures: Partial<NodeHealth>; at: string }>();

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
    const at = new Date().toISOString();
    const collected = isCluster(this.client)
      ? await this.collectCluster(handles)
      : { topology: 'standalone' as const, nodes: await Promise.all(handles.map((h) => this.standaloneNode(h))) };
    const base = { ...collected, nodes: collected.nodes.map((n) => this.remember(n, at)) };
    const addresses = new Set(base.nodes.map((n) => n.address));
    for (const gone of this.latency.nodes()) if (!addresses.has(gone)) this.latency.forget(gone);
    for (const gone of this.lastRead.keys()) if (!addresses.has(gone)) this.lastRead.delete(gone);
    const counted = base.nodes.filter((n) => !n.stale && (n.role === 'master' || base.topology === 'standalone'));
    const unreadNodes = base.nodes.filter((n) => n.stale).length;
    const used = counted.reduce((s, n) => s + (n.usedMemory ?? 0), 0);
    const allCapped = counted.length > 0 && counted.every((n) => (n.maxMemory ?? 0) > 0);
    const max = allCapped ? counted.reduce((s, n) => s + (n.maxMemory ?? 0), 0) : 0;
    const partial: Omit<HealthSnapshot, 'alerts'> = {
      profileId: this.profile.id,
      at,
      ...base,
      latency: this.latency.overall(),
      memory: { used, max, ...(max > 0 ? { usedRatio: used / max } : {}), ...(unreadNodes > 0 ? { unreadNodes } : {}) },
    };
    return { ...partial, alerts: this.ledger.stamp(evaluateAlerts(partial, thresholds)) };
  }

  /**
   * A node read now is remembered; one that was not gets its last figures back, marked stale
   * with their time, and no latency: its PING samples from before would read as live.
   */
  private remember(node: NodeHealth, at: string): NodeHealth {
    if (node.link === 'connected') {
      const figures = Object.fromEntries(FIGURES.filter((k) => node[k] !== undefined).map((k) => [k, node[k]])) as Partial<NodeHealth>;
      this.lastRead.set(node.address, { figures, at });
      return node;
    }
    this.latency.forget(node.address);
    const last = this.lastRead.get(node.address);
    return { ...node, ...(last ? { ...last.figures, lastSeen: last.at } : {}), stale: true, latency: { samples: 0 } };
  }

  private async info(handle: NodeHandle): Promise<Record<string, string>> {
    const text = await withTimeout(handle.client.info(), PROBE_TIMEOUT_MS, `INFO ${handle.address}`);
    return parseInfo(text);
  }

  private async standaloneNode(handle: NodeHandle): Promise<NodeHealth> {
    try {
      const info = await this.info(handle);
      return {
        ...fromInfo(info),
        address: handle.address,
        role: info.role === 'slave' ? 'replica' : 'master',
        slots: [],
        slotCount: 0,
        link: 'connected',
        latency: this.latency.summary(handle.address),
      };
    } catch {
      return {
        address: handle.address,
        role: 'unknown',
        slots: [],
        slotCount: 0,
        link: 'unreachable',
        latency: this.latency.summary(handle.address),
      };
    }
  }

  private async collectCluster(handles: NodeHandle[]): Promise<Pick<HealthSnapshot, 'topology' | 'clusterState' | 'nodes'>> {
    const byAddress = new Map(handles.map((h) => [h.address, h]));
    const natMap = this.profile.topology.kind === 'cluster' ? (this.profile.topology.natMap ?? {}) : {};
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
    if (!lines)
      return { topology: 'cluster', clusterState: 'unreachable', nodes: await Promise.all(handles.map((h) => this.standaloneNode(h))) };
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

/** What INFO tells of a node (see fromInfo): the figures kept, stale, while it cannot be read. */
const FIGURES = [
  'usedMemory',
  'maxMemory',
  'fragmentation',
  'datasetMemory',
  'rssMemory',
  'opsPerSec',
  'connectedClients',
  'redisVersion',
] as const;

function fromInfo(info: Record<string, string>): Partial<NodeHealth> {
  return {
    usedMemory: num(info.used_memory),
    maxMemory: num(info.maxmemory),
    fragmentation: num(info.mem_fragmentation_ratio),
    datasetMemory: num(info.used_memory_dataset),
    rssMemory: num(info.used_memory_rss),
    opsPerSec: num(info.instantaneous_ops_per_sec),
    connectedClients: num(info.connected_clients),
    redisVersion: info.redis_version,
  };
}
