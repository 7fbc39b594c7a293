import { z } from 'zod';

/** The four diagnoses an operator can run; each runs as a job whose result is a `DiagnosisReport`. */
export const DIAGNOSES = ['connection', 'performance', 'memory', 'clients'] as const;
export type DiagnosisKind = (typeof DIAGNOSES)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const EXPORT_FORMATS = ['json', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const DiagnosisOptionsSchema = z.strictObject({
  /** Memory analysis: the most commands per second it may send to each node (SCAN + TYPE + MEMORY USAGE…). */
  opsPerSecond: z.number().int().min(100).max(1_000_000).optional(),
  /** Memory analysis: scan the replicas (with READONLY) instead of the masters, to spare them. */
  useReplicas: z.boolean().optional(),
  /** Memory analysis: stop after this many keys per node (the report says it is partial). */
  maxKeys: z.number().int().min(1).max(100_000_000).optional(),
  /** Performance: PING round trips measured per node for the latency percentiles. */
  pingSamples: z.number().int().min(5).max(10_000).optional(),
});
export type DiagnosisOptions = z.infer<typeof DiagnosisOptionsSchema>;

/** What a finding rests on: the command that was sent, where, and the figures it returned. */
export interface Evidence {
  command: string;
  node?: string;
  figures: Record<string, number | string>;
}

export interface Finding {
  /** Stable per kind of problem (`slowlog`, `big-key`, `auth-failed`…), so tests and the UI can key on it. */
  id: string;
  severity: Severity;
  title: string;
  detail: string;
  evidence: Evidence[];
  recommendation: string;
  node?: string;
}

/** One step of the connection walk, with how long it took and what to do if it failed. */
export interface ConnectionStepReport {
  step: string;
  ok: boolean;
  ms: number;
  message: string;
  advice?: string;
}

export interface NodePerformance {
  node: string;
  role: string;
  ping: { samples: number; p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number };
  /** Top commands by total time spent (INFO commandstats). */
  topCommands: Array<{ command: string; calls: number; usec: number; usecPerCall: number }>;
  slowlog: Array<{ id: number; at: number; durationUs: number; command: string; client?: string }>;
  latestLatency: Array<{ event: string; at: number; latestMs: number; maxMs: number }>;
  latencyDoctor?: string;
  memory: { usedBytes: number; datasetBytes: number; rssBytes: number; fragmentationRatio: number; maxmemory: number };
  figures: Record<string, number | string>;
}

export interface NamespaceStats {
  namespace: string;
  keys: number;
  bytes: number;
  withoutTtl: number;
}

export interface BigKey {
  key: string;
  type: string;
  /** Elements for collections, bytes for strings. */
  size: number;
  sizeUnit: 'bytes' | 'elements' | 'entries';
  memoryBytes: number;
  node: string;
}

export interface MemoryAnalysis {
  nodes: string[];
  scannedFrom: 'masters' | 'replicas';
  keysScanned: number;
  keysPerSecond: number;
  opsPerSecondBudget: number;
  /** Cancelled or stopped at `maxKeys`: the figures cover what was scanned. */
  partial: boolean;
  namespaces: NamespaceStats[];
  /** Keys above their type's threshold, biggest memory first. */
  bigKeys: BigKey[];
  /** The biggest key of each type by element count (strings: length), as `redis-cli --bigkeys` ranks them. */
  biggestBySize: Record<string, BigKey>;
  /** The biggest key of each type by `MEMORY USAGE`, as `redis-cli --memkeys` ranks them. */
  biggestByMemory: Record<string, BigKey>;
  ttl: Array<{ bucket: string; keys: number }>;
}

export interface ClientGroup {
  by: 'name' | 'address';
  group: string;
  clients: number;
  maxIdleSeconds: number;
  outputBufferBytes: number;
  commands: Record<string, number>;
}

export interface ClientsAnalysis {
  total: number;
  byName: ClientGroup[];
  byAddress: ClientGroup[];
  /** The clients with the largest output buffers, largest first. */
  largestBuffers: Array<{ node: string; id: string; addr: string; name: string; omem: number; cmd: string; idle: number }>;
}

export interface DiagnosisReport {
  kind: DiagnosisKind;
  profileId: string;
  profileName: string;
  target: string;
  startedAt: string;
  durationMs: number;
  findings: Finding[];
  counts: Record<Severity, number>;
  connection?: { steps: ConnectionStepReport[] };
  performance?: { nodes: NodePerformance[] };
  memory?: MemoryAnalysis;
  clients?: ClientsAnalysis;
}

/** A report rendered for saving: the renderer offers it as a download, the CLI writes it. */
export interface ExportedReport {
  fileName: string;
  mimeType: string;
  content: string;
}
