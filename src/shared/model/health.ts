import { z } from 'zod';
import type { ErrorCode } from '../errors';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'disconnected';

export interface ConnectionStatus {
  profileId: string;
  state: ConnectionState;
  /** Why the connection is not healthy, as a sentence. */
  reason?: string;
  /** Reconnect attempts since the last good connection. */
  attempt?: number;
  since: string;
}

export interface NodeHealth {
  address: string;
  id?: string;
  role: 'master' | 'replica' | 'unknown';
  /** For a replica, the address of its master. */
  masterAddress?: string;
  slots: string[];
  slotCount: number;
  /** `connected` or why the node is unreachable (`fail`, `pfail`, `disconnected`). */
  link: string;
  replicationLagBytes?: number;
  usedMemory?: number;
  maxMemory?: number;
  fragmentation?: number;
  /** INFO used_memory_dataset and used_memory_rss: what fragmentation is judged against. */
  datasetMemory?: number;
  rssMemory?: number;
  opsPerSec?: number;
  connectedClients?: number;
  redisVersion?: string;
  /**
   * Set when the node could not be read this time: the figures above are the last ones read,
   * at `lastSeen` (absent if it was never read), and must not be shown as live.
   */
  stale?: boolean;
  lastSeen?: string;
  latency: LatencySummary;
}

export interface LatencySummary {
  lastMs?: number;
  p50Ms?: number;
  p99Ms?: number;
  samples: number;
}

export type AlertSeverity = 'warning' | 'critical';

export interface Alert {
  id: string;
  severity: AlertSeverity;
  node?: string;
  message: string;
  since: string;
}

export interface HealthSnapshot {
  profileId: string;
  at: string;
  topology: 'standalone' | 'cluster';
  clusterState?: string;
  nodes: NodeHealth[];
  latency: LatencySummary;
  /** Over the nodes read this time; `unreadNodes` counts those left out (their figures are stale). */
  memory: { used: number; max: number; usedRatio?: number; unreadNodes?: number };
  alerts: Alert[];
}

export const ThresholdsSchema = z
  .strictObject({
    latencyWarnMs: z.number().positive().max(600_000),
    memoryWarnRatio: z.number().gt(0).lt(1),
    memoryCritRatio: z.number().gt(0).max(1),
  })
  .refine((t) => t.memoryWarnRatio < t.memoryCritRatio, {
    message: 'The warning level must be below the critical level',
    path: ['memoryWarnRatio'],
  });
export type Thresholds = z.infer<typeof ThresholdsSchema>;

export const DEFAULT_THRESHOLDS: Thresholds = {
  latencyWarnMs: 1000,
  memoryWarnRatio: 0.8,
  memoryCritRatio: 0.9,
};

export interface ConnectionTestStep {
  step: 'dns' | 'tcp' | 'tls' | 'auth' | 'cluster';
  ok: boolean;
  ms: number;
  message: string;
  /** Why the step failed, for programs. */
  code?: ErrorCode;
}

export interface ConnectionTestResult {
  ok: boolean;
  steps: ConnectionTestStep[];
  /** Nodes seen, for a cluster: every node discovered from the seeds. */
  nodes?: number;
  serverVersion?: string;
}
