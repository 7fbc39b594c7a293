import { SwarmdeckError } from '../../../shared/errors';
import type { CfnBlockingWait, CfnOrigin } from '../../../shared/model/cfn';
import type { AgentView, Finding, MessageView, SwarmDetail, SwarmSummary } from '../../../shared/model/swarm';
import type { StreamEntry } from '../../../shared/model/task';
import type { RedisClient } from '../../redis/client-options';
import { claudeFlowNoviceKeys as K } from '../../redis/keyspace';
import { blockingWaits, parseJson } from './cfn-coordination';
import { findings } from './agent-evidence';
import { topologyEdges } from './topology';

/** claude-flow-novice treats a swarm silent for 5 minutes as interrupted; so do we. */
const STALE_MS = 300_000;
const RUNNING = new Set(['initializing', 'active', 'recovering', 'running']);
const GONE = new Set(['offline', 'terminated', 'failed', 'completed', 'stopped']);
/** The status sets claude-flow-novice's registry keeps (no TTL, so members outlive their swarm key). */
const STATUS_SETS = ['initializing', 'active', 'running', 'paused', 'interrupted', 'recovering', 'completed', 'failed', 'terminated'];
const LIST_LIMIT = 500;

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
  /** swarm-exec (CLI) fields: the start form and the end form */
  config?: { strategy?: string; mode?: string; maxAgents?: number };
  startTime?: number;
  endTime?: number;
  lastUpdated?: number;
  summary?: { agents?: number; status?: string };
  archivedAt?: number;
}

interface CliIndexEntry {
  id?: string;
  objective?: string;
  status?: string;
  startTime?: number;
  endTime?: number;
  lastUpdated?: number;
}

interface Located {
  id: string;
  origin: CfnOrigin;
  swarm: CfnSwarm;
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
    const [registry, cli] = await Promise.all([this.client.type(K.index), this.client.type(K.cliIndex)]);
    return registry === 'zset' || cli === 'hash';
  }

  /** Every swarm the deployment knows: CLI swarms, registry swarms and archived ones, each with its status as stored and as evidenced. */
  async summaries(limit = LIST_LIMIT, now = Date.now(), waits?: CfnBlockingWait[]): Promise<SwarmSummary[]> {
    const [located, blocking] = await Promise.all([this.locateAll(limit), waits ?? blockingWaits(this.client, now)]);
    return located.map(({ id, origin, swarm: s }) => {
      const agents = agentsOf(s, now);
      const status = evidenced(s, origin, now);
      return {
        id,
        name: s.objective ?? id,
        source: 'claude-flow-novice' as const,
        origin,
        storedStatus: s.status ?? '',
        status,
        topology: s.topology ?? s.mode ?? s.config?.mode ?? '',
        strategy: s.strategy ?? s.config?.strategy ?? '',
        agents: agents.length || (s.summary?.agents ?? 0),
        liveAgents: agents.filter((a) => a.live).length,
        lastActivity: lastSeen(s),
        findings: swarmFindings(id, s, origin, status, agents, blocking, now).length,
      };
    });
  }

  /** Status-set members whose swarm key is gone: the sets carry no TTL, so they keep naming expired swarms. */
  async ghosts(): Promise<{ id: string; status: string }[]> {
    const out: { id: string; status: string }[] = [];
    for (const status of STATUS_SETS) {
      let cursor = '0';
      let rounds = 0;
      do {
        const [next, members] = await this.client.sscan(K.status(status), cursor, 'COUNT', 200);
        // EXISTS per key: on a cluster each swarm key lives on its own slot.
        const alive = await Promise.all(members.map((id) => this.client.exists(K.swarm(id))));
        members.forEach((id, i) => {
          if (alive[i] === 0) out.push({ id, status });
        });
        cursor = next;
      } while (cursor !== '0' && ++rounds < 50 && out.length < LIST_LIMIT);
    }
    return out;
  }

  async detail(id: string, now = Date.now()): Promise<SwarmDetail> {
    const found = await this.locate(id);
    if (!found) throw new SwarmdeckError('NOT_FOUND', `claude-flow-novice swarm ${id} does not exist (or its 24 h TTL ran out)`);
    const { swarm: s, origin } = found;
    const agents = agentsOf(s, now);
    const status = evidenced(s, origin, now);
    const topology = s.topology ?? s.mode ?? s.config?.mode ?? '';
    const [counts, blocking] = await Promise.all([
      Promise.all(K.channels(id).map((c) => this.client.llen(K.history(c)))),
      blockingWaits(this.client, now),
    ]);
    return {
      id,
      name: s.objective ?? id,
      objective: s.objective ?? '',
      topology,
      strategy: s.strategy ?? s.config?.strategy ?? '',
      maxAgents: s.maxAgents ?? s.config?.maxAgents ?? agents.length,
      status,
      createdAt: s.createdAt ?? s.startTime ?? 0,
      updatedAt: lastSeen(s),
      agents,
      liveAgents: agents.filter((a) => a.live).length,
      findings: swarmFindings(id, s, origin, status, agents, blocking, now),
      source: 'claude-flow-novice',
      // Only named fields: a CLI swarm's config holds the Redis password in plain text.
      sourceFields: {
        origin,
        status: s.status ?? '',
        strategy: s.strategy ?? s.config?.strategy ?? '',
        mode: s.mode ?? s.config?.mode ?? '',
        ...(s.lastHeartbeat ? { lastHeartbeat: new Date(s.lastHeartbeat).toISOString() } : {}),
        ...(s.endTime ? { endTime: new Date(s.endTime).toISOString() } : {}),
        ...(s.archivedAt ? { archivedAt: new Date(s.archivedAt).toISOString() } : {}),
      },
      edges: topologyEdges(topology, agents),
      proposals: [],
      messages: counts.reduce((a, b) => a + b, 0),
    };
  }

  /** The newest messages of the swarm's own channels and of the shared ones that name it, oldest first. */
  async messages(id: string, count: number): Promise<MessageView[]> {
    const own = K.channels(id);
    const lists = await Promise.all(
      [...own, ...K.sharedChannels()].map(async (c) => ({
        shared: !own.includes(c),
        raw: await this.client.lrange(K.history(c), 0, count - 1),
      })),
    );
    return lists
      .flatMap(({ shared, raw }) =>
        raw.flatMap((text, i) => {
          const e = parseJson<CfnEnvelope>(text);
          if (!e || (shared && e.swarmId !== id)) return [];
          return [
            {
              id: e.id ?? `h-${i}`,
              at: e.timestamp ?? 0,
              from: e.payload?.from ?? e.payload?.agentId ?? e.swarmId ?? '',
              to: e.targetAgent ?? e.target ?? '',
              kind: e.payload?.type ?? e.messageType ?? '',
            },
          ];
        }),
      )
      .sort((a, b) => a.at - b.at)
      .slice(-count);
  }

  /** claude-flow-novice keeps no event stream; its message history is the timeline. */
  async events(id: string, count: number): Promise<StreamEntry[]> {
    return (await this.messages(id, count)).reverse().map((m) => ({
      id: m.id,
      at: m.at,
      fields: { type: `message.${m.kind || 'message'}`, from: m.from, to: m.to },
    }));
  }

  /** A live swarm key first (registry or CLI, told apart by the CLI index), else its archive. */
  private async locate(id: string): Promise<Located | undefined> {
    const [live, cli] = await Promise.all([this.read(id), this.client.hexists(K.cliIndex, id)]);
    if (live) return { id, origin: cli === 1 || live.config || live.summary ? 'cli' : 'registry', swarm: live };
    const archived = parseJson<CfnSwarm>(await this.client.get(K.archive(id)));
    return archived ? { id, origin: 'archive', swarm: archived } : undefined;
  }

  private async locateAll(limit: number): Promise<Located[]> {
    const [registryIds, archiveIds, cliIds] = await Promise.all([
      this.client.zrevrange(K.index, 0, limit - 1),
      this.client.zrevrange(K.archiveIndex, 0, limit - 1),
      this.cliIds(limit),
    ]);
    const seen = new Set<string>();
    const out: Located[] = [];
    const add = async (ids: string[], origin: CfnOrigin, key: (id: string) => string, fallback?: (id: string) => CfnSwarm | undefined) => {
      const fresh = ids.filter((id) => !seen.has(id));
      fresh.forEach((id) => seen.add(id));
      const values = await Promise.all(fresh.map((id) => this.client.get(key(id))));
      fresh.forEach((id, i) => {
        const swarm = parseJson<CfnSwarm>(values[i]) ?? fallback?.(id);
        if (swarm) out.push({ id, origin, swarm });
      });
    };
    const cliEntries = new Map(cliIds);
    // A finished CLI swarm whose key expired is still described by its index entry.
    await add([...cliEntries.keys()], 'cli', K.swarm, (id) => cliEntries.get(id));
    await add(registryIds, 'registry', K.swarm);
    await add(archiveIds, 'archive', K.archive);
    return out.slice(0, limit);
  }

  private async cliIds(limit: number): Promise<[string, CfnSwarm][]> {
    const out: [string, CfnSwarm][] = [];
    let cursor = '0';
    do {
      const [next, flat] = await this.client.hscan(K.cliIndex, cursor, 'COUNT', 200);
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const e = parseJson<CliIndexEntry>(flat[i + 1]);
        out.push([
          flat[i] as string,
          {
            ...(e?.objective ? { objective: e.objective } : {}),
            ...(e?.status ? { status: e.status } : {}),
            ...(e?.startTime ? { startTime: e.startTime } : {}),
            ...(e?.endTime ? { endTime: e.endTime } : {}),
            ...(e?.lastUpdated ? { lastUpdated: e.lastUpdated } : {}),
          },
        ]);
      }
      cursor = next;
    } while (cursor !== '0' && out.length < limit);
    return out;
  }

  private async read(id: string): Promise<CfnSwarm | undefined> {
    const raw = await this.client.get(K.swarm(id));
    return raw ? parseJson<CfnSwarm>(raw) : undefined;
  }
}

const lastSeen = (s: CfnSwarm): number =>
  Math.max(s.lastActivity ?? 0, s.lastHeartbeat ?? 0, s.lastUpdated ?? 0, s.endTime ?? 0, s.createdAt ?? 0, s.startTime ?? 0);

/**
 * The status the evidence supports: an archived swarm is archived whatever it last said, and a
 * swarm stored as running that has not been heard of for 5 minutes is stale.
 */
function evidenced(s: CfnSwarm, origin: CfnOrigin, now: number): string {
  if (origin === 'archive') return 'archived';
  const status = statusOf(s.status);
  return status === 'running' && now - lastSeen(s) > STALE_MS ? 'stale' : status;
}

function swarmFindings(
  id: string,
  s: CfnSwarm,
  origin: CfnOrigin,
  status: string,
  agents: AgentView[],
  blocking: CfnBlockingWait[],
  now: number,
): Finding[] {
  const out = origin === 'archive' ? [] : findings(status === 'stale' ? 'running' : status, agents);
  if (status === 'stale')
    out.unshift({
      kind: 'stale',
      message: `Stored as "${s.status ?? ''}" but last heard of ${Math.round((now - lastSeen(s)) / 60_000)} min ago`,
    });
  for (const w of blocking) {
    if (w.swarmId !== id || (w.verdict !== 'stuck' && w.verdict !== 'dead')) continue;
    out.push({ kind: w.verdict === 'dead' ? 'coordinator-dead' : 'coordinator-stuck', agent: w.coordinator, message: w.message });
  }
  return out;
}

function statusOf(raw: string | undefined): string {
  if (!raw || RUNNING.has(raw)) return 'running';
  if (raw === 'paused') return 'paused';
  return 'stopped';
}

/** Agent entries are whatever the deployment stored: ids, or objects with an id and a status. */
function agentsOf(s: CfnSwarm, now: number): AgentView[] {
  return (s.agents ?? []).flatMap((entry, i) => {
    const a: Record<string, unknown> =
      typeof entry === 'string' ? { id: entry } : entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : {};
    const str = (k: string): string | undefined => (typeof a[k] === 'string' ? (a[k] as string) : undefined);
    const num = (k: string): number | undefined => (typeof a[k] === 'number' ? (a[k] as number) : undefined);
    const id = str('id') ?? str('agentId') ?? str('name') ?? `agent-${i}`;
    const reported = str('status') ?? 'idle';
    const beat = num('lastHeartbeat') ?? num('lastSeen') ?? num('lastActivity') ?? s.lastHeartbeat;
    const live = !GONE.has(reported) && beat !== undefined && now - beat <= STALE_MS;
    return [
      {
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
        ...((str('currentTask') ?? str('task')) ? { task: str('currentTask') ?? str('task') } : {}),
        registeredAt: num('spawnedAt') ?? num('createdAt') ?? s.createdAt ?? 0,
      },
    ];
  });
}
