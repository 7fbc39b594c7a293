import { systemClock, type Clock } from '../../../shared/clock';
import { SwarmdeckError } from '../../../shared/errors';
import {
  AgentInputSchema,
  SWARM_STATUSES,
  SwarmInputSchema,
  type AgentInput,
  type AgentView,
  type LeaderView,
  type MessageView,
  type SwarmInput,
  type SwarmStatus,
  type SwarmSummary,
  type SwarmView,
} from '../../../shared/model/swarm';
import type { StreamEntry } from '../../../shared/model/task';
import { validationError } from '../../../shared/validation';
import type { RedisClient } from '../../redis/client-options';
import { swarmKeys, swarmRegistryKey, type SwarmKeys } from '../../redis/keyspace';
import { appliedReply, runApplied, scriptArgs, scriptError, withScripts, type ScriptFn } from '../../redis/script-registry';
import { agentView, busyWithoutTask, findings, parseLeader } from './agent-evidence';
import * as scripts from './scripts';
import { toEntries } from '../../redis/stream-entries';
import type { Member } from './topology';

const SOURCES = {
  sdSwarmCreate: scripts.CREATE,
  sdSwarmStatus: scripts.SET_STATUS,
  sdSwarmRegister: scripts.REGISTER,
  sdSwarmHeartbeat: scripts.HEARTBEAT,
  sdSwarmDeregister: scripts.DEREGISTER,
  sdSwarmLead: scripts.LEAD,
  sdSwarmResign: scripts.RESIGN,
  sdSwarmPropose: scripts.PROPOSE,
  sdSwarmVote: scripts.VOTE,
  sdSwarmExpire: scripts.EXPIRE_DUE,
  sdSwarmSend: scripts.SEND,
} as const;
export type SwarmScript = keyof typeof SOURCES;

const PAGE = 1000;

/**
 * The agent and proposal keys each script is given in KEYS after the swarm's eight, from the
 * script's own arguments (see the script's header); the others derive only the keys whose
 * ids they learn inside.
 */
const NAMED_KEYS: Partial<Record<SwarmScript, (k: SwarmKeys, args: (string | number)[]) => string[]>> = {
  sdSwarmRegister: (k, [agent]) => [k.agent(String(agent))],
  sdSwarmHeartbeat: (k, [agent]) => [k.agent(String(agent))],
  sdSwarmDeregister: (k, [agent]) => [k.agent(String(agent))],
  sdSwarmLead: (k, [agent]) => [k.agent(String(agent))],
  sdSwarmVote: (k, [proposal]) => [k.proposal(String(proposal)), k.eligible(String(proposal)), k.votes(String(proposal))],
  sdSwarmSend: (k, [from, to]) => [k.agent(String(from)), k.agent(String(to))],
};

export interface HeartbeatInput {
  agentId: string;
  status?: 'idle' | 'busy' | 'error';
  /** The task being worked on; '' clears it, undefined leaves it. */
  task?: string;
  /** 0–1 */
  load?: number;
}

export interface SwarmRegistryOptions {
  /** Approximate cap of each swarm's event stream. */
  eventsMaxLen?: number;
  /**
   * The time scripts are stamped with and liveness is read against; the consensus and
   * messaging modules share it through the registry. Tests move it instead of sleeping.
   */
  clock?: Clock;
}

/**
 * Swarms and their agents. Every change is one script in the swarm's slot; liveness is
 * read from heartbeat deadlines, never from a stored status.
 */
export class SwarmRegistry {
  private readonly client: RedisClient & Record<SwarmScript, ScriptFn>;
  private readonly eventsMaxLen: number;
  readonly clock: Clock;

  constructor(
    client: RedisClient,
    readonly prefix = 'sd',
    options: SwarmRegistryOptions = {},
  ) {
    this.client = withScripts(client, SOURCES);
    this.eventsMaxLen = options.eventsMaxLen ?? 10_000;
    this.clock = options.clock ?? systemClock;
  }

  get redis(): RedisClient {
    return this.client;
  }

  keys(id: string): SwarmKeys {
    return swarmKeys(this.prefix, id);
  }

  /** Runs one of the swarm scripts; the consensus, leader and messaging modules share this. */
  run(script: SwarmScript, swarmId: string, ...args: (string | number)[]): Promise<unknown> {
    return runApplied(this.client[script](...this.scriptCall(script, swarmId, this.clock.now(), args)));
  }

  /** KEYS and ARGV of one call, laid out as lua/includes.lua describes. */
  private scriptCall(script: SwarmScript, swarmId: string, now: number, args: (string | number)[]): (string | number)[] {
    const k = this.keys(swarmId);
    const keys = [
      k.swarm,
      k.agents,
      k.heartbeats,
      k.events,
      k.leader,
      k.proposals,
      k.open,
      k.messages,
      ...(NAMED_KEYS[script]?.(k, args) ?? []),
    ];
    return scriptArgs(keys, [k.base, swarmId, this.eventsMaxLen, now, ...args]);
  }

  private async touch(id: string): Promise<void> {
    await this.client.zadd(swarmRegistryKey(this.prefix), this.clock.now(), id);
  }

  async create(input: SwarmInput): Promise<void> {
    const parsed = SwarmInputSchema.safeParse(input);
    if (!parsed.success) throw validationError(parsed.error, 'Bad swarm');
    const s = parsed.data;
    await this.run('sdSwarmCreate', s.id, s.id, s.name, s.objective, s.topology, s.strategy, s.maxAgents);
    await this.touch(s.id);
  }

  async setStatus(id: string, status: SwarmStatus, by = 'sdk'): Promise<void> {
    if (!SWARM_STATUSES.includes(status)) throw new SwarmdeckError('VALIDATION', `Unknown swarm status "${String(status)}"`);
    await this.run('sdSwarmStatus', id, status, by);
    await this.touch(id);
  }

  async register(swarmId: string, agent: AgentInput): Promise<void> {
    const parsed = AgentInputSchema.safeParse(agent);
    if (!parsed.success) throw validationError(parsed.error, 'Bad agent');
    const a = parsed.data;
    await this.run(
      'sdSwarmRegister',
      swarmId,
      a.id,
      a.role,
      a.type,
      a.capabilities.join(','),
      JSON.stringify(a.resources),
      a.weight,
      a.ttlMs,
      a.team ?? '',
    );
  }

  async heartbeat(swarmId: string, beat: HeartbeatInput): Promise<void> {
    await this.run('sdSwarmHeartbeat', swarmId, ...beatArgs(beat));
  }

  /** Heartbeats of many agents of one swarm in one pipeline: one round trip for all of them. */
  async heartbeatMany(swarmId: string, beats: HeartbeatInput[]): Promise<void> {
    const pipeline = this.client.pipeline() as unknown as Record<SwarmScript, (...a: (string | number)[]) => unknown> & {
      exec(): Promise<[Error | null, unknown][] | null>;
    };
    const now = this.clock.now();
    for (const b of beats) pipeline.sdSwarmHeartbeat(...this.scriptCall('sdSwarmHeartbeat', swarmId, now, beatArgs(b)));
    for (const [error, reply] of (await pipeline.exec()) ?? []) {
      if (error) throw scriptError(error);
      appliedReply(reply);
    }
  }

  async deregister(swarmId: string, agentId: string, by = 'sdk'): Promise<void> {
    await this.run('sdSwarmDeregister', swarmId, agentId, by);
  }

  /** Swarm ids, most recently changed first, from the registry (never a keyspace scan). */
  list(offset = 0, limit = 500): Promise<string[]> {
    return this.client.zrevrange(swarmRegistryKey(this.prefix), offset, offset + Math.min(limit, 1000) - 1);
  }

  /**
   * One line per swarm for the swarms page, from counters only: live agents is a ZCOUNT over
   * heartbeat deadlines, last activity is stamped by every event and message. Findings are the
   * same as on the swarm's page (see `findings`): the counts prove never heartbeated, offline and
   * no live agent; "busy without a task" needs the live agents' status and task, one more
   * pipeline for a swarm that has live agents. All swarms in flight at once.
   */
  async summaries(offset = 0, limit = 500, now = this.clock.now()): Promise<SwarmSummary[]> {
    return this.summariesOf(await this.list(offset, limit), now);
  }

  async summariesOf(ids: string[], now = this.clock.now()): Promise<SwarmSummary[]> {
    const rows = await Promise.all(ids.map((id) => this.summary(id, now)));
    return rows.filter((r): r is SwarmSummary => r !== undefined);
  }

  private async summary(id: string, now: number): Promise<SwarmSummary | undefined> {
    const k = this.keys(id);
    const replies =
      (await this.client
        .pipeline()
        .hmget(k.swarm, 'name', 'status', 'topology', 'strategy', 'updatedAt', 'activity')
        .zcard(k.agents)
        .zcard(k.heartbeats)
        .zcount(k.heartbeats, now, '+inf')
        .get(k.leader)
        .exec()) ?? [];
    // A key of the swarm holding another type (written by something else) drops this row, not the list.
    if (replies.some(([error]) => error)) return undefined;
    const value = (i: number): unknown => replies[i]?.[1];
    const [name, status, topology, strategy, updatedAt, activity] = value(0) as (string | null)[];
    if (!status) return undefined;
    const agents = value(1) as number;
    const beating = value(2) as number;
    const live = value(3) as number;
    const leader = parseLeader(value(4) as string | null);
    const idleBusy = live > 0 ? await this.busyWithoutTaskCount(id, now) : 0;
    return {
      id,
      name: name ?? id,
      source: 'swarmdeck',
      status,
      topology: topology ?? '',
      strategy: strategy ?? '',
      agents,
      liveAgents: live,
      ...(leader ? { leader: leader.agent } : {}),
      lastActivity: Math.max(Number(updatedAt ?? 0), Number(activity ?? 0)),
      findings: agents - beating + (beating - live) + idleBusy + (status === 'running' && live === 0 ? 1 : 0),
    };
  }

  /** Live agents that report busy but hold no task, read in pages of the heartbeat index. */
  private async busyWithoutTaskCount(id: string, now: number): Promise<number> {
    const k = this.keys(id);
    let count = 0;
    for (let offset = 0; ; offset += PAGE) {
      const ids = await this.client.zrangebyscore(k.heartbeats, now, '+inf', 'LIMIT', offset, PAGE);
      if (ids.length === 0) break;
      const pipeline = this.client.pipeline();
      for (const agentId of ids) pipeline.hmget(k.agent(agentId), 'status', 'task');
      for (const [, reply] of (await pipeline.exec()) ?? []) {
        const [reported, task] = (reply ?? []) as (string | null)[];
        if (busyWithoutTask(reported ?? 'idle', task ?? undefined)) count += 1;
      }
      if (ids.length < PAGE) break;
    }
    return count;
  }

  /** An operator's step-down: the lease is dropped and the leader learns it at its next renewal. */
  async stepDown(id: string, reason: string): Promise<string> {
    return (await this.run('sdSwarmResign', id, '', '', reason)) as string;
  }

  async leader(id: string): Promise<LeaderView | undefined> {
    const k = this.keys(id);
    const [[, value], [, ttl]] = ((await this.client.pipeline().get(k.leader).pttl(k.leader).exec()) ?? []) as [
      [null, string | null],
      [null, number],
    ];
    const leader = parseLeader(value);
    return leader ? { ...leader, ttlMs: Math.max(0, ttl) } : undefined;
  }

  async view(id: string, now = this.clock.now()): Promise<SwarmView> {
    const k = this.keys(id);
    const swarm = await this.client.hgetall(k.swarm);
    if (!swarm.status) throw new SwarmdeckError('NOT_FOUND', `Swarm ${id} does not exist`);
    const agents: AgentView[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.client.zrange(k.agents, offset, offset + PAGE - 1, 'WITHSCORES');
      if (page.length === 0) break;
      const ids = page.filter((_, i) => i % 2 === 0);
      const pipeline = this.client.pipeline();
      for (const agentId of ids) pipeline.hgetall(k.agent(agentId)).zscore(k.heartbeats, agentId);
      const replies = (await pipeline.exec()) ?? [];
      ids.forEach((agentId, i) => {
        const h = (replies[i * 2]?.[1] ?? {}) as Record<string, string>;
        const deadline = replies[i * 2 + 1]?.[1] as string | null;
        agents.push(
          agentView(agentId, h, deadline === null || deadline === undefined ? undefined : Number(deadline), Number(page[i * 2 + 1]), now),
        );
      });
      if (ids.length < PAGE) break;
    }
    const status = swarm.status as SwarmStatus;
    return {
      id,
      name: swarm.name ?? id,
      objective: swarm.objective ?? '',
      topology: swarm.topology as string,
      strategy: swarm.strategy as SwarmView['strategy'],
      maxAgents: Number(swarm.maxAgents),
      status,
      createdAt: Number(swarm.createdAt),
      updatedAt: Number(swarm.updatedAt),
      agents,
      liveAgents: agents.filter((a) => a.live).length,
      findings: findings(status, agents),
    };
  }

  /** The roster edges are computed from: ids in registration order with role and team, and the topology. */
  async members(id: string): Promise<{ topology: string; members: Member[] }> {
    const k = this.keys(id);
    const topology = (await this.client.hget(k.swarm, 'topology')) as string | null;
    if (!topology) throw new SwarmdeckError('NOT_FOUND', `Swarm ${id} does not exist`);
    const ids = await this.client.zrange(k.agents, 0, -1);
    const pipeline = this.client.pipeline();
    for (const agent of ids) pipeline.hmget(k.agent(agent), 'role', 'team');
    const replies = ids.length > 0 ? ((await pipeline.exec()) ?? []) : [];
    const members = ids.map((agent, i) => {
      const [role, team] = (replies[i]?.[1] ?? [null, null]) as (string | null)[];
      return { id: agent, role: role ?? 'worker', ...(team ? { team } : {}) };
    });
    return { topology, members };
  }

  async messageCount(id: string): Promise<number> {
    return Number((await this.client.hget(this.keys(id).swarm, 'messages')) ?? 0);
  }

  /**
   * The swarm's event stream: newest first before `before` (for the lazily loaded timeline),
   * or oldest first after `after` (to tail it without missing what happened in between).
   */
  async events(id: string, options: { before?: string; after?: string; count: number }): Promise<StreamEntry[]> {
    const k = this.keys(id);
    if (options.after !== undefined) return toEntries(await this.client.xrange(k.events, `(${options.after}`, '+', 'COUNT', options.count));
    return toEntries(await this.client.xrevrange(k.events, options.before ? `(${options.before}` : '+', '-', 'COUNT', options.count));
  }

  /** Messages after `after` (oldest first), or the newest ones when `after` is not given. */
  async messages(id: string, after: string | undefined, count: number): Promise<MessageView[]> {
    const k = this.keys(id);
    const raw =
      after !== undefined
        ? await this.client.xrange(k.messages, `(${after}`, '+', 'COUNT', count)
        : (await this.client.xrevrange(k.messages, '+', '-', 'COUNT', count)).reverse();
    return toEntries(raw).map((e) => ({ id: e.id, at: e.at, from: e.fields.from ?? '', to: e.fields.to ?? '', kind: e.fields.kind ?? '' }));
  }
}

function beatArgs(b: HeartbeatInput): (string | number)[] {
  const load = b.load === undefined ? '' : Math.min(1, Math.max(0, b.load)).toFixed(3);
  return [b.agentId, b.status ?? '', b.task ?? '-', load];
}
