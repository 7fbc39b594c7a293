import type { CfnBlockingWait, CfnPeer, CfnSavedState, CfnStates, CfnTaskSource } from '../../../shared/model/cfn';
import type { RedisClient } from '../../redis/client-options';
import { claudeFlowNoviceKeys as K } from '../../redis/keyspace';
import { nodeHandles } from '../../redis/nodes';

/** claude-flow-novice warns about a coordinator whose heartbeat is older than this… */
export const HEARTBEAT_WARN_MS = 120_000;
/** …and times out a wait (and a coordinator's activity) past this. */
export const WAIT_TIMEOUT_MS = 300_000;
/** SCAN budget per pattern: a deployment has tens of coordinators, not thousands; stop rather than walk a huge keyspace. */
const SCAN_COUNT = 500;
const SCAN_MAX_KEYS = 2_000;
const SCAN_MAX_ROUNDS = 400;
/** Saved states above this are listed with their size but not loaded. */
const MAX_STATE_BYTES = 1024 * 1024;
const SECRET_FIELD = /pass(word)?|secret|token|credential|api[-_]?key/i;

/**
 * Keys matching a pattern on every master, bounded. Read only; on a cluster each node is
 * scanned on its own since unprefixed keys spread over every slot.
 */
export async function scanBounded(client: RedisClient, pattern: string): Promise<string[]> {
  const found = new Set<string>();
  for (const node of nodeHandles(client, 'master')) {
    let cursor = '0';
    let rounds = 0;
    do {
      const [next, keys] = await node.client.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
      for (const k of keys) found.add(k);
      cursor = next;
    } while (cursor !== '0' && ++rounds < SCAN_MAX_ROUNDS && found.size < SCAN_MAX_KEYS);
  }
  return [...found].sort();
}

export function parseJson<T>(raw: string | null | undefined): T | undefined {
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

/** JSON text with every password-like field replaced: swarm-exec stores the Redis password in plain text. */
export function redactJson(value: unknown): string {
  return JSON.stringify(
    value,
    (key, v: unknown) => (key && SECRET_FIELD.test(key) && v !== null && typeof v !== 'object' ? '[redacted]' : v),
    2,
  );
}

interface Wait {
  status?: string;
  startTime?: number;
  signalType?: string;
  iteration?: number;
  phase?: string;
}
interface Heartbeat {
  lastHeartbeat?: number;
  timestamp?: number;
}
interface Spawn {
  replaces?: string;
  deadCoordinatorId?: string;
  oldCoordinatorId?: string;
}

interface CoordinatorFacts {
  heartbeatAgeMs?: number;
  unreadSignal?: string;
  escalated: boolean;
}

/** What each coordinator shows of itself: its heartbeat's age, a signal it has not read, an escalation. */
async function coordinatorFacts(client: RedisClient, coordinators: Set<string>, now: number): Promise<Map<string, CoordinatorFacts>> {
  const facts = new Map<string, CoordinatorFacts>();
  await Promise.all(
    [...coordinators].map(async (c) => {
      // One key per read: on a cluster these live on different slots.
      const [beat, signal, escalation] = await Promise.all([
        client.get(K.heartbeat(c)),
        client.get(K.signal(c)),
        client.exists(K.escalation(c)),
      ]);
      const hb = parseJson<Heartbeat>(beat);
      const at = hb?.lastHeartbeat ?? hb?.timestamp;
      const sig = signal ? (parseJson<{ signalId?: string }>(signal)?.signalId ?? 'signal') : undefined;
      facts.set(c, {
        ...(at !== undefined ? { heartbeatAgeMs: now - at } : {}),
        ...(sig ? { unreadSignal: sig } : {}),
        escalated: escalation === 1,
      });
    }),
  );
  return facts;
}

/** Every blocking wait in the deployment, each with its peers' evidence and a verdict. */
export async function blockingWaits(client: RedisClient, now = Date.now()): Promise<CfnBlockingWait[]> {
  const [waitKeys, ackKeys, spawnKeys] = await Promise.all([
    scanBounded(client, K.blockingPattern),
    scanBounded(client, K.ackAll),
    scanBounded(client, K.spawnPattern),
  ]);
  const waits = (
    await Promise.all(
      waitKeys.map(async (key) => {
        const parts = K.blockingParts(key);
        const wait = parseJson<Wait>(await client.get(key));
        return parts && wait ? [{ ...parts, wait }] : [];
      }),
    )
  ).flat();
  const acks = new Map<string, string[]>();
  for (const key of ackKeys) {
    const p = K.ackParts(key);
    if (p) acks.set(p.coordinator, [...(acks.get(p.coordinator) ?? []), p.signalId]);
  }
  const spawns = (
    await Promise.all(
      spawnKeys.map(async (key) => {
        const s = parseJson<Spawn>(await client.get(key));
        const replaces = s?.replaces ?? s?.deadCoordinatorId ?? s?.oldCoordinatorId;
        return replaces ? [{ coordinator: K.spawnTarget(key), replaces }] : [];
      }),
    )
  ).flat();

  const coordinators = new Set<string>(waits.map((w) => w.coordinator));
  for (const s of spawns) coordinators.add(s.coordinator);
  const facts = await coordinatorFacts(client, coordinators, now);

  return waits.map(({ swarmId, coordinator, wait }) => {
    const own = facts.get(coordinator) ?? { escalated: false };
    const peers: CfnPeer[] = waits
      .filter((w) => w.swarmId === swarmId && w.coordinator !== coordinator)
      .map((w) => {
        const f = facts.get(w.coordinator) ?? { escalated: false };
        const spawn = spawns.find((s) => s.replaces === w.coordinator);
        return {
          coordinator: w.coordinator,
          ...(w.wait.status ? { status: w.wait.status } : {}),
          acknowledged: acks.get(w.coordinator) ?? [],
          ...(f.unreadSignal ? { unreadSignal: f.unreadSignal } : {}),
          ...(f.heartbeatAgeMs !== undefined ? { heartbeatAgeMs: f.heartbeatAgeMs } : {}),
          escalated: f.escalated,
          ...(spawn
            ? { replacement: { coordinator: spawn.coordinator, started: facts.get(spawn.coordinator)?.heartbeatAgeMs !== undefined } }
            : {}),
        };
      });
    const since = wait.startTime ?? 0;
    const base = {
      swarmId,
      coordinator,
      status: wait.status ?? 'unknown',
      since,
      peers,
      ...(wait.iteration !== undefined ? { iteration: wait.iteration } : {}),
      ...(wait.phase ? { phase: wait.phase } : {}),
      ...(wait.signalType ? { signalType: wait.signalType } : {}),
      ...(own.heartbeatAgeMs !== undefined ? { heartbeatAgeMs: own.heartbeatAgeMs } : {}),
    };
    return { ...base, ...verdict(coordinator, wait.status, now - since, own, peers) };
  });
}

const secs = (ms: number | undefined): string => (ms === undefined ? 'no heartbeat' : `heartbeat ${Math.round(ms / 1000)} s old`);

/** Why a wait is (or is not) a problem, from the evidence only: what each coordinator stored is not trusted. */
function verdict(
  self: string,
  status: string | undefined,
  waitedMs: number,
  own: { heartbeatAgeMs?: number; unreadSignal?: string; escalated: boolean },
  peers: CfnPeer[],
): Pick<CfnBlockingWait, 'verdict' | 'culprit' | 'message'> {
  if (status !== 'waiting') return { verdict: 'finished', message: `${self} is no longer waiting (${status ?? 'no status'})` };
  const deadPeer = peers.find((p) => p.escalated && !p.replacement?.started);
  if (deadPeer) {
    const spawn = deadPeer.replacement
      ? `; replacement ${deadPeer.replacement.coordinator} was requested but never heartbeated`
      : '; no replacement was requested';
    return {
      verdict: 'dead',
      culprit: deadPeer.coordinator,
      message: `${self} waits on ${deadPeer.coordinator}, a dead coordinator that was escalated${spawn}`,
    };
  }
  if (own.escalated || own.heartbeatAgeMs === undefined || own.heartbeatAgeMs > HEARTBEAT_WARN_MS) {
    const unread = own.unreadSignal ? `, signal ${own.unreadSignal} to it unread` : '';
    return {
      verdict: own.escalated ? 'dead' : 'stuck',
      culprit: self,
      message: `${self} itself looks gone: ${secs(own.heartbeatAgeMs)}${own.escalated ? ', escalated' : ''}${unread}`,
    };
  }
  const silent = peers.find(
    (p) => p.unreadSignal && (p.heartbeatAgeMs === undefined || p.heartbeatAgeMs > HEARTBEAT_WARN_MS || waitedMs > WAIT_TIMEOUT_MS),
  );
  if (silent)
    return {
      verdict: 'stuck',
      culprit: silent.coordinator,
      message: `${self} is stuck on ${silent.coordinator}: signal ${silent.unreadSignal ?? ''} unread, ${secs(silent.heartbeatAgeMs)}, waiting for ${Math.round(waitedMs / 60_000)} min`,
    };
  return { verdict: 'waiting', message: `${self} is waiting normally (${Math.round(waitedMs / 1000)} s)` };
}

interface QueueEntry {
  id?: string;
  task?: unknown;
  queuedAt?: number;
  queuedBy?: string;
}
interface Failure {
  taskId?: string;
  task?: unknown;
  error?: string;
  timestamp?: number;
}
interface Agent {
  id?: string;
  type?: string;
  status?: string;
  load?: number;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));

/** The leader, the routing queue, the agents and the routing failures; bounded reads only. */
export async function taskSource(client: RedisClient, now = Date.now()): Promise<CfnTaskSource> {
  const [leader, leaderTtl, depth, newest, oldest, agentCount, failures] = await Promise.all([
    client.get(K.leader),
    client.pttl(K.leader),
    client.llen(K.taskQueue),
    client.lrange(K.taskQueue, 0, 49),
    client.lindex(K.taskQueue, -1),
    client.hlen(K.agents),
    client.lrange(K.taskFailures, 0, 49),
  ]);
  const agents: CfnTaskSource['agents'] = [];
  if (agentCount > 0) {
    let cursor = '0';
    do {
      const [next, flat] = await client.hscan(K.agents, cursor, 'COUNT', 200);
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const a = parseJson<Agent>(flat[i + 1]);
        agents.push({
          id: a?.id ?? (flat[i] as string),
          type: a?.type ?? '',
          status: a?.status ?? 'unknown',
          load: typeof a?.load === 'number' ? a.load : 0,
        });
      }
      cursor = next;
    } while (cursor !== '0' && agents.length < 1000);
  }
  const oldestAt = parseJson<QueueEntry>(oldest)?.queuedAt;
  return {
    ...(leader ? { leader: { coordinator: leader, ttlMs: leaderTtl } } : {}),
    queue: {
      depth,
      ...(oldestAt !== undefined ? { oldestAgeMs: now - oldestAt } : {}),
      entries: newest.flatMap((raw) => {
        const e = parseJson<QueueEntry>(raw);
        return e ? [{ id: e.id ?? '', task: text(e.task), queuedAt: e.queuedAt ?? 0, queuedBy: e.queuedBy ?? '' }] : [];
      }),
    },
    agents: agents.sort((a, b) => a.id.localeCompare(b.id)),
    failures: failures.flatMap((raw) => {
      const f = parseJson<Failure>(raw);
      return f ? [{ taskId: f.taskId ?? '', task: text(f.task), error: f.error ?? '', at: f.timestamp ?? 0 }] : [];
    }),
  };
}

interface Saved {
  label?: string;
  name?: string;
  description?: string;
  timestamp?: number;
  createdAt?: number;
}

/** A swarm's saved state with its snapshots and checkpoints (time, label, size); passwords redacted. */
export async function savedStates(client: RedisClient, swarmId: string): Promise<CfnStates> {
  const [stateBytes, snapIds, ckIds] = await Promise.all([
    client.strlen(K.state(swarmId)),
    client.zrevrange(K.snapshotIndex(swarmId), 0, 49, 'WITHSCORES'),
    client.zrevrange(K.checkpointIndex(swarmId), 0, 49, 'WITHSCORES'),
  ]);
  const rows = async (kind: CfnSavedState['kind'], flat: string[]): Promise<CfnSavedState[]> => {
    const out: CfnSavedState[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const id = flat[i] as string;
      const key = kind === 'snapshot' ? K.snapshot(swarmId, id) : K.checkpoint(swarmId, id);
      const bytes = await client.strlen(key);
      // The label sits in the value; a big one is listed by size only.
      const meta = bytes > 0 && bytes <= MAX_STATE_BYTES ? parseJson<Saved>(await client.get(key)) : undefined;
      out.push({
        kind,
        id,
        at: meta?.timestamp ?? meta?.createdAt ?? Number(flat[i + 1]),
        label: meta?.label ?? meta?.name ?? meta?.description ?? '',
        bytes,
      });
    }
    return out;
  };
  const [snaps, cks] = await Promise.all([rows('snapshot', snapIds), rows('checkpoint', ckIds)]);
  const state = stateBytes > 0 && stateBytes <= MAX_STATE_BYTES ? await client.get(K.state(swarmId)) : null;
  const parsed = parseJson<unknown>(state);
  return { ...(parsed ? { state: redactJson(parsed) } : {}), saved: [...snaps, ...cks].sort((a, b) => b.at - a.at) };
}

/** One snapshot or checkpoint as saved, passwords redacted; undefined when it expired or is too big to load. */
export async function savedState(
  client: RedisClient,
  swarmId: string,
  kind: CfnSavedState['kind'],
  id: string,
): Promise<string | undefined> {
  const key = kind === 'snapshot' ? K.snapshot(swarmId, id) : K.checkpoint(swarmId, id);
  const bytes = await client.strlen(key);
  if (bytes === 0 || bytes > MAX_STATE_BYTES) return undefined;
  const parsed = parseJson<unknown>(await client.get(key));
  return parsed ? redactJson(parsed) : undefined;
}
