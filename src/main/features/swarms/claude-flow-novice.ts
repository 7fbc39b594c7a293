import { SwarmdeckError } from '../../../shared/errors';
import type { AgentView, MessageView, SwarmDetail, SwarmSummary } from '../../../shared/model/swarm';
import type { StreamEntry } from '../../../shared/model/task';
import type { RedisClient } from '../../redis/client-options';
import { claudeFlowNoviceKeys as K } from '../../redis/keyspace';
import { findings } from './swarm-registry';
import { topologyEdges } from './topology';

/** claude-flow-novice treats a swarm silent for 5 minutes as interrupted; so do we. */
const STALE_MS = 300_000;
const RUNNING = new Set(['initializing', 'active', 'recovering', 'running']);
const GONE = new Set(['offline', 'terminated', 'failed', 'completed', 'stopped']);

interface CfnSwarm {
  id?: string;
  objective?: string;
  strategy?: string;
  mode?: string;
  topology?: string;
  maxAgents?: number;
  status?: string;
  createdAt?: number;
  lastActivity?: number;
  lastHeartbeat?: number;
  agents?: unknown[];
}

interface CfnEnvelope {
  id?: string;
  swarmId?: string;
  timestamp?: number;
  messageType?: string;
  target?: string | null;
  targetAgent?: string | null;
  payload?: { type?: string; from?: string; agentId?: string };
}

/**
 * Reads a claude-flow-novice registry exactly as that project writes it and presents it
 * through the same views as Swarmdeck's own swarms. Read-only by construction: it only
 * issues TYPE, ZREVRANGE, GET, LRANGE and LLEN.
 */
export class ClaudeFlowNoviceSource {
  constructor(private readonly client: RedisClient) {}

  async detect(): Promise<boolean> {
    return (await this.client.type(K.index)) === 'zset';
  }

  async summaries(limit = 500, now = Date.now()): Promise<SwarmSummary[]> {
    const ids = await this.client.zrevrange(K.index, 0, limit - 1);
    const swarms = await Promise.all(ids.map((id) => this.read(id)));
    return swarms.flatMap((s, i) => {
      if (!s) return [];
      const id = ids[i] as string;
      const agents = agentsOf(s, now);
      const live = agents.filter((a) => a.live).length;
      const status = statusOf(s.status);
      return [{
        id,
        name: s.objective ?? id,
        source: 'claude-flow-novice' as const,
        status,
        topology: s.topology ?? s.mode ?? '',
        strategy: s.strategy ?? '',
        agents: agents.length,
        liveAgents: live,
        lastActivity: Math.max(s.lastActivity ?? 0, s.lastHeartbeat ?? 0, s.createdAt ?? 0),
        findings: findings(status, agents).length,
      }];
    });
  }

  async detail(id: string, now = Date.now()): Promise<SwarmDetail> {
    const s = await this.read(id);
    if (!s) throw new SwarmdeckError('NOT_FOUND', `claude-flow-novice swarm ${id} does not exist (or its 24 h TTL ran out)`);
    const agents = agentsOf(s, now);
    const status = statusOf(s.status);
    const topology = s.topology ?? s.mode ?? '';
    const counts = await Promise.all(K.channels(id).map((c) => this.client.llen(K.history(c))));
    return {
      id,
      name: s.objective ?? id,
      objective: s.objective ?? '',
      topology,
      strategy: s.strategy ?? '',
      maxAgents: s.maxAgents ?? agents.length,
      status,
      createdAt: s.createdAt ?? 0,
      updatedAt: Math.max(s.lastActivity ?? 0, s.lastHeartbeat ?? 0),
      agents,
      liveAgents: agents.filter((a) => a.live).length,
      findings: findings(status, agents),
      source: 'claude-flow-novice',
      sourceFields: {
        status: s.status ?? '',
        strategy: s.strategy ?? '',
        mode: s.mode ?? '',
        ...(s.lastHeartbeat ? { lastHeartbeat: new Date(s.lastHeartbeat).toISOString() } : {}),
      },
      edges: topologyEdges(topology, agents),
      proposals: [],
      messages: counts.reduce((a, b) => a + b, 0),
    };
  }

  /** The newest messages of the swarm's channels, oldest first. */
  async messages(id: string, count: number): Promise<MessageView[]> {
    const lists = await Promise.all(K.channels(id).map((c) => this.client.lrange(K.history(c), 0, count - 1)));
    return lists.flat().flatMap((raw, i) => {
      const e = parseJson<CfnEnvelope>(raw);
      if (!e) return [];
      return [{
        id: e.id ?? `h-${i}`,
        at: e.timestamp ?? 0,
        from: e.payload?.from ?? e.payload?.agentId ?? e.swarmId ?? '',
        to: e.targetAgent ?? e.target ?? '',
        kind: e.payload?.type ?? e.messageType ?? '',
      }];
    }).sort((a, b) => a.at - b.at).slice(-count);
  }

  /** claude-flow-novice keeps no event stream; its message history is the timeline. */
  async events(id: string, count: number): Promise<StreamEntry[]> {
    return (await this.messages(id, count)).reverse().map((m) => ({
      id: m.id,
      at: m.at,
      fields: { type: `message.${m.kind || 'message'}`, from: m.from, to: m.to },
    }));
  }

  private async read(id: string): Promise<CfnSwarm | undefined> {
    const raw = await this.client.get(K.swarm(id));
    return raw ? parseJson<CfnSwarm>(raw) : undefined;
  }
}

function parseJson<T>(raw: string): T | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

function statusOf(raw: string | undefined): string {
  if (!raw || RUNNING.has(raw)) return 'running';
  if (raw === 'paused') return 'paused';
  return 'stopped';
}

/** Agent entries are whatever the deployment stored: ids, or objects with an id and a status. */
function agentsOf(s: CfnSwarm, now: number): AgentView[] {
  return (s.agents ?? []).flatMap((entry, i) => {
    const a: Record<string, unknown> = typeof entry === 'string' ? { id: entry } : entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : {};
    const str = (k: string): string | undefined => (typeof a[k] === 'string' ? (a[k] as string) : undefined);
    const num = (k: string): number | undefined => (typeof a[k] === 'number' ? (a[k] as number) : undefined);
    const id = str('id') ?? str('agentId') ?? str('name') ?? `agent-${i}`;
    const reported = str('status') ?? 'idle';
    const beat = num('lastHeartbeat') ?? num('lastSeen') ?? num('lastActivity') ?? s.lastHeartbeat;
    const live = !GONE.has(reported) && beat !== undefined && now - beat <= STALE_MS;
    return [{
      id,
      role: str('role') ?? str('type') ?? 'worker',
      type: str('type') ?? 'generic',
      capabilities: Array.isArray(a.capabilities) ? a.capabilities.filter((c): c is string => typeof c === 'string') : [],
      resources: {},
      weight: 1,
      ttlMs: STALE_MS,
      load: 0,
      reported,
      live,
      ...(beat !== undefined ? { lastHeartbeat: beat, heartbeatAgeMs: now - beat } : {}),
      ...(str('currentTask') ?? str('task') ? { task: str('currentTask') ?? str('task') } : {}),
      registeredAt: num('spawnedAt') ?? num('createdAt') ?? s.createdAt ?? 0,
    }];
  });
}
