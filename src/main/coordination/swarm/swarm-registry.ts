import { SwarmdeckError } from '../../../shared/errors';
import {
  AgentInputSchema,
  SWARM_STATUSES,
  SwarmInputSchema,
  type AgentInput,
  type AgentView,
  type Finding,
  type SwarmInput,
  type SwarmStatus,
  type SwarmView,
} from '../../../shared/model/swarm';
import { validationError } from '../../../shared/validation';
import type { RedisClient } from '../../redis/client-options';
import { swarmKeys, swarmRegistryKey, type SwarmKeys } from '../../redis/keyspace';
import { scriptError, withScripts, type ScriptFn } from '../../redis/script-registry';
import * as scripts from './scripts';

const SOURCES = {
  sdSwarmCreate: scripts.CREATE,
  sdSwarmStatus: scripts.SET_STATUS,
  sdSwarmRegister: scripts.REGISTER,
  sdSwarmHeartbeat: scripts.HEARTBEAT,
  sdSwarmDeregister: scripts.DEREGISTER,
} as const;
type Script = keyof typeof SOURCES;

const PAGE = 1000;

export interface HeartbeatInput {
  agentId: string;
  status?: 'idle' | 'busy' | 'error';
  /** The task being worked on; '' clears it, undefined leaves it. */
  task?: string;
}

/**
 * Swarms and their agents. Every change is one script in the swarm's slot; liveness is
 * read from heartbeat times, never from a stored status.
 */
export class SwarmRegistry {
  private readonly client: RedisClient & Record<Script, ScriptFn>;

  constructor(
    client: RedisClient,
    private readonly prefix = 'sd',
    private readonly eventsMaxLen = 10_000,
  ) {
    this.client = withScripts(client, SOURCES, 4);
  }

  private keys(id: string): SwarmKeys {
    return swarmKeys(this.prefix, id);
  }

  private async run(script: Script, swarmId: string, ...args: (string | number)[]): Promise<unknown> {
    const k = this.keys(swarmId);
    try {
      return await this.client[script](k.swarm, k.agents, k.heartbeats, k.events, k.agentPrefix, this.eventsMaxLen, Date.now(), ...args);
    } catch (error) {
      throw scriptError(error, script === 'sdSwarmCreate' || script === 'sdSwarmStatus' ? 'Swarm' : 'Agent');
    }
  }

  private async touch(id: string): Promise<void> {
    await this.client.zadd(swarmRegistryKey(this.prefix), Date.now(), id);
  }

  async create(input: SwarmInput): Promise<void> {
    const parsed = SwarmInputSchema.safeParse(input);
    if (!parsed.success) throw validationError(parsed.error, 'Bad swarm');
    const s = parsed.data;
    await this.run('sdSwarmCreate', s.id, s.id, s.name, s.objective, s.topology, s.strategy, s.maxAgents);
    await this.touch(s.id);
  }

  async setStatus(id: string, status: SwarmStatus): Promise<void> {
    if (!SWARM_STATUSES.includes(status)) throw new SwarmdeckError('VALIDATION', `Unknown swarm status "${String(status)}"`);
    await this.run('sdSwarmStatus', id, status);
    await this.touch(id);
  }

  async register(swarmId: string, agent: AgentInput): Promise<void> {
    const parsed = AgentInputSchema.safeParse(agent);
    if (!parsed.success) throw validationError(parsed.error, 'Bad agent');
    const a = parsed.data;
    await this.run('sdSwarmRegister', swarmId, a.id, a.role, a.type, a.capabilities.join(','), JSON.stringify(a.resources), a.weight, a.ttlMs);
  }

  async heartbeat(swarmId: string, beat: HeartbeatInput): Promise<void> {
    await this.run('sdSwarmHeartbeat', swarmId, beat.agentId, beat.status ?? '', beat.task ?? '-');
  }

  /** Heartbeats of many agents of one swarm in one pipeline: one round trip for all of them. */
  async heartbeatMany(swarmId: string, beats: HeartbeatInput[]): Promise<void> {
    const k = this.keys(swarmId);
    const pipeline = this.client.pipeline() as unknown as Record<Script, (...a: (string | number)[]) => unknown> & { exec(): Promise<[Error | null, unknown][] | null> };
    const now = Date.now();
    for (const b of beats) pipeline.sdSwarmHeartbeat(k.swarm, k.agents, k.heartbeats, k.events, k.agentPrefix, this.eventsMaxLen, now, b.agentId, b.status ?? '', b.task ?? '-');
    const failure = ((await pipeline.exec()) ?? []).find(([error]) => error);
    if (failure?.[0]) throw scriptError(failure[0], 'Agent');
  }

  async deregister(swarmId: string, agentId: string): Promise<void> {
    await this.run('sdSwarmDeregister', swarmId, agentId);
  }

  /** Swarm ids, most recently changed first, from the registry (never a keyspace scan). */
  list(offset = 0, limit = 500): Promise<string[]> {
    return this.client.zrevrange(swarmRegistryKey(this.prefix), offset, offset + Math.min(limit, 1000) - 1);
  }

  async view(id: string, now = Date.now()): Promise<SwarmView> {
    const k = this.keys(id);
    const swarm = await this.client.hgetall(k.swarm);
    if (!swarm.status) throw new SwarmdeckError('NOT_FOUND', `Swarm ${id} does not exist`);
    const agents: AgentView[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.client.zrange(k.agents, offset, offset + PAGE - 1, 'WITHSCORES');
      if (page.length === 0) break;
      const ids = page.filter((_, i) => i % 2 === 0);
      const pipeline = this.client.pipeline();
      for (const agentId of ids) pipeline.hgetall(`${k.agentPrefix}${agentId}`).zscore(k.heartbeats, agentId);
      const replies = (await pipeline.exec()) ?? [];
      ids.forEach((agentId, i) => {
        const h = (replies[i * 2]?.[1] ?? {}) as Record<string, string>;
        const beat = replies[i * 2 + 1]?.[1] as string | null;
        const ttlMs = Number(h.ttlMs ?? 15_000);
        const lastHeartbeat = beat === null || beat === undefined ? undefined : Number(beat);
        agents.push({
          id: agentId,
          role: h.role ?? 'worker',
          type: h.type ?? 'generic',
          capabilities: h.capabilities ? h.capabilities.split(',') : [],
          resources: h.resources ? (JSON.parse(h.resources) as Record<string, number>) : {},
          weight: Number(h.weight ?? 1),
          ttlMs,
          reported: h.status ?? 'idle',
          live: lastHeartbeat !== undefined && now - lastHeartbeat <= ttlMs,
          ...(lastHeartbeat !== undefined ? { lastHeartbeat, heartbeatAgeMs: now - lastHeartbeat } : {}),
          ...(h.task ? { task: h.task } : {}),
          registeredAt: Number(page[i * 2 + 1]),
        });
      });
      if (ids.length < PAGE) break;
    }
    const status = swarm.status as SwarmStatus;
    const liveAgents = agents.filter((a) => a.live).length;
    return {
      id,
      name: swarm.name ?? id,
      objective: swarm.objective ?? '',
      topology: swarm.topology as SwarmView['topology'],
      strategy: swarm.strategy as SwarmView['strategy'],
      maxAgents: Number(swarm.maxAgents),
      status,
      createdAt: Number(swarm.createdAt),
      updatedAt: Number(swarm.updatedAt),
      agents,
      liveAgents,
      findings: findings(status, agents),
    };
  }
}

/** Contradictions between what is stored and what the evidence says. */
export function findings(status: SwarmStatus, agents: AgentView[]): Finding[] {
  const out: Finding[] = [];
  for (const a of agents) {
    if (a.lastHeartbeat === undefined) out.push({ kind: 'never-heartbeated', agent: a.id, message: `${a.id} registered but never sent a heartbeat` });
    else if (!a.live) out.push({ kind: 'offline', agent: a.id, message: `${a.id} is offline: last heartbeat ${Math.round((a.heartbeatAgeMs ?? 0) / 1000)} s ago (TTL ${a.ttlMs / 1000} s) although it reports "${a.reported}"` });
    if (a.live && a.reported === 'busy' && !a.task) out.push({ kind: 'busy-without-task', agent: a.id, message: `${a.id} reports busy but holds no task` });
  }
  if (status === 'running' && !agents.some((a) => a.live)) out.push({ kind: 'no-live-agents', message: 'The swarm is running but no agent is alive' });
  return out;
}
