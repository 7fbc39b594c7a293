/**
 * Automatic recovery of the coordination keyspace after a crash or a partial restore: a scan
 * that lists what is stuck or unreachable, each finding with its evidence, and an apply that
 * fixes exactly the findings of a plan. Every fix is one script that re-checks its condition
 * atomically, so something that came back to life between scan and apply is left alone.
 */
import { SwarmdeckError } from '../../../shared/errors';
import type { RedisClient } from '../../redis/client-options';
import { coordinationPatterns, parseCoordinationKey, queueKeys, swarmKeys } from '../../redis/keyspace';
import { nodeHandles } from '../../redis/nodes';
import { runScript, scriptArgs, scriptError, withScripts, type ScriptFn, type ScriptOutcome } from '../../redis/script-registry';
import { LUA as QUEUE_LUA } from '../queues/lua/sources.generated';
import { transitionKeys } from '../queues/scripts';
import { LUA as SWARM_LUA } from '../swarms/lua/sources.generated';
import { LUA } from './lua/sources.generated';
import { ready } from './topology';

const SCRIPTS = {
  sdRecoverLease: `${QUEUE_LUA.includes}\n${LUA['recover-lease']}`,
  sdRecoverStopSwarm: `${SWARM_LUA.includes}\n${LUA['stop-idle-swarm']}`,
  sdRecoverOrphanTask: LUA['delete-orphan-task'],
  sdRecoverUnknownAgent: LUA['delete-unknown-agent'],
  sdRecoverMissingSwarm: LUA['delete-missing-swarm'],
} as const;

export type RecoveryFinding =
  | {
      kind: 'expired-lease';
      queue: string;
      taskId: string;
      holder: string;
      deadline: number;
      attempts: number;
      maxAttempts: number;
      evidence: string;
    }
  | { kind: 'idle-swarm'; swarmId: string; agents: number; lastLiveUntil: number | null; evidence: string }
  | { kind: 'missing-swarm'; swarmId: string; keys: string[]; agentIds: string[]; evidence: string }
  | { kind: 'unknown-agent'; swarmId: string; agentId: string; evidence: string }
  | { kind: 'orphan-task'; queue: string; taskId: string; state: string | null; evidence: string };

export interface RecoveryPlan {
  prefix: string;
  scannedAt: number;
  findings: RecoveryFinding[];
}

export interface RecoveryItem {
  finding: RecoveryFinding;
  outcome: 'fixed' | 'skipped' | 'failed';
  /** What the fix did ('waiting', 'dead', 'stopped', '3 keys deleted'), why it was skipped, or the error. */
  detail: string;
}

export interface RecoveryReport {
  items: RecoveryItem[];
  fixed: number;
  skipped: number;
  failed: number;
}

export interface ScanRecoveryOptions {
  /** A swarm created or changed this recently is still starting up, not stuck (default 5 min). */
  graceMs?: number;
  /** At most this many expired leases and live leases are read per queue (default 1000). */
  perQueueLimit?: number;
  now?: () => number;
}

const SCAN_COUNT = 1000;
const PIPELINE = 500;
const EVENTS_MAXLEN = 10_000;

async function scanKeys(client: RedisClient, pattern: string): Promise<string[]> {
  const out: string[] = [];
  for (const node of nodeHandles(client, 'master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.client.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
      cursor = next;
      out.push(...keys);
    } while (cursor !== '0');
  }
  return out;
}

/** Runs `calls` on one slot's keys in pipelines of PIPELINE, replies in order; any error throws. */
async function inPipelines<T>(
  client: RedisClient,
  items: T[],
  add: (p: ReturnType<RedisClient['pipeline']>, item: T) => void,
): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i += PIPELINE) {
    const p = client.pipeline();
    for (const item of items.slice(i, i + PIPELINE)) add(p, item);
    for (const [error, value] of (await p.exec()) ?? []) {
      if (error) throw error;
      out.push(value);
    }
  }
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString();

interface Inventory {
  /** Queue name → the ids of its task hashes. */
  queues: Map<string, string[]>;
  /** Swarm id → its keys and its agent hashes (agent id → key). */
  swarms: Map<string, { keys: string[]; agents: Map<string, string> }>;
}

/** Every queue and swarm key under the prefix, by queue and by swarm. */
async function inventory(client: RedisClient, prefix: string): Promise<Inventory> {
  const patterns = coordinationPatterns(prefix);
  const queues: Inventory['queues'] = new Map();
  for (const key of await scanKeys(client, patterns.queues)) {
    const parsed = parseCoordinationKey(prefix, key);
    if (parsed?.area !== 'queue') continue;
    const tasks = queues.get(parsed.queue) ?? [];
    if (parsed.part === 'task') tasks.push(parsed.taskId);
    queues.set(parsed.queue, tasks);
  }
  const swarms: Inventory['swarms'] = new Map();
  for (const key of await scanKeys(client, patterns.swarms)) {
    const parsed = parseCoordinationKey(prefix, key);
    if (parsed?.area !== 'swarm') continue;
    const s = swarms.get(parsed.swarm) ?? { keys: [], agents: new Map<string, string>() };
    s.keys.push(key);
    if (parsed.part === 'agent') s.agents.set(parsed.agentId, key);
    swarms.set(parsed.swarm, s);
  }
  return { queues, swarms };
}

interface Scan {
  client: RedisClient;
  prefix: string;
  now: number;
  graceMs: number;
  limit: number;
  findings: RecoveryFinding[];
}

/** Task hashes of `queue` in none of its state sets. */
async function orphanTasks(scan: Scan, queue: string, taskIds: string[]): Promise<void> {
  const k = queueKeys(scan.prefix, queue);
  const states = await inPipelines(scan.client, taskIds, (p, id) => {
    for (const set of [k.wait, k.delayed, k.active, k.finished, k.dead]) p.zscore(set, id);
    p.hget(k.task(id), 'state');
  });
  taskIds.forEach((id, i) => {
    const row = states.slice(i * 6, i * 6 + 6);
    if (row.slice(0, 5).some((score) => score !== null)) return;
    const state = (row[5] as string | null) ?? null;
    scan.findings.push({
      kind: 'orphan-task',
      queue,
      taskId: id,
      state,
      evidence: `task hash says ${state ?? 'no state'} but the task is in none of wait, delayed, active, finished, dead`,
    });
  });
}

/** Leases that ran out while their holder is gone: it holds no live lease in any queue and is no live agent of any swarm. */
async function expiredLeases(scan: Scan, inv: Inventory): Promise<void> {
  const { client, prefix, now, limit } = scan;
  const liveHolders = new Set<string>();
  const expired: { queue: string; id: string; deadline: number }[] = [];
  for (const queue of inv.queues.keys()) {
    const k = queueKeys(prefix, queue);
    const live = await client.zrangebyscore(k.active, `(${now}`, '+inf', 'LIMIT', 0, limit);
    for (const holder of await inPipelines(client, live, (p, id) => p.hget(k.task(id), 'holder')))
      if (typeof holder === 'string') liveHolders.add(holder);
    const due = await client.zrangebyscore(k.active, '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit);
    for (let i = 0; i < due.length; i += 2) expired.push({ queue, id: due[i] as string, deadline: Number(due[i + 1]) });
  }
  for (const swarm of inv.swarms.keys()) {
    for (const agent of await client.zrangebyscore(swarmKeys(prefix, swarm).heartbeats, now, '+inf')) liveHolders.add(agent);
  }
  for (const e of expired) {
    const k = queueKeys(prefix, e.queue);
    const [holder, attempts, maxAttempts] = await client.hmget(k.task(e.id), 'holder', 'attempts', 'maxAttempts');
    if (holder && liveHolders.has(holder)) continue;
    scan.findings.push({
      kind: 'expired-lease',
      queue: e.queue,
      taskId: e.id,
      holder: holder ?? '',
      deadline: e.deadline,
      attempts: Number(attempts ?? 0),
      maxAttempts: Number(maxAttempts ?? 0),
      evidence: `lease ran out at ${iso(e.deadline)} (${now - e.deadline} ms before the scan); holder ${holder ?? '(none)'} holds no live lease in any queue and is no live agent`,
    });
  }
}

/** One swarm's findings: its keys without its hash, running with no live agent, agent hashes not in its roster. */
async function swarmFindings(scan: Scan, swarmId: string, s: { keys: string[]; agents: Map<string, string> }): Promise<void> {
  const { client, now } = scan;
  const k = swarmKeys(scan.prefix, swarmId);
  const replies = (
    (await client
      .pipeline()
      .exists(k.swarm)
      .hget(k.swarm, 'status')
      .hget(k.swarm, 'updatedAt')
      .zcard(k.agents)
      .zcount(k.heartbeats, now, '+inf')
      .zrevrange(k.heartbeats, 0, 0, 'WITHSCORES')
      .exec()) ?? []
  ).map(([error, value]) => {
    if (error) throw error;
    return value;
  });
  const [exists, status, updatedAt, agents, liveCount, last] = replies;
  if (Number(exists) === 0) {
    scan.findings.push({
      kind: 'missing-swarm',
      swarmId,
      keys: [...s.keys].sort(),
      agentIds: [...s.agents.keys()].sort(),
      evidence: `${s.keys.length} key(s) of swarm ${swarmId} (${s.agents.size} agent hash(es)) remain, but the swarm's own hash is gone`,
    });
    return;
  }
  const lastLiveUntil = Array.isArray(last) && last.length === 2 ? Number(last[1]) : null;
  if (status === 'running' && Number(liveCount) === 0 && now - Number(updatedAt ?? 0) >= scan.graceMs) {
    scan.findings.push({
      kind: 'idle-swarm',
      swarmId,
      agents: Number(agents),
      lastLiveUntil,
      evidence: `status running, ${Number(agents)} registered agent(s), none live; ${lastLiveUntil === null ? 'no agent ever heartbeated' : `the last stopped counting as live at ${iso(lastLiveUntil)}`}`,
    });
  }
  const unknown = [...s.agents.keys()];
  const scores = await inPipelines(client, unknown, (p, id) => p.zscore(k.agents, id));
  unknown.forEach((agentId, i) => {
    if (scores[i] !== null) return;
    scan.findings.push({
      kind: 'unknown-agent',
      swarmId,
      agentId,
      evidence: `agent hash of ${agentId} exists, but ${agentId} is not in swarm ${swarmId}'s roster`,
    });
  });
}

/**
 * Lists, with evidence: leases that ran out while their holder is gone (it holds no live
 * lease in any queue and is no live agent of any swarm), swarms that claim to run with no
 * live agent, the keys of swarms that no longer exist, agent hashes of agents not in their
 * swarm's roster, and task hashes in none of their queue's state sets. Reads only.
 */
export async function scanRecovery(client: RedisClient, prefix: string, options: ScanRecoveryOptions = {}): Promise<RecoveryPlan> {
  const now = (options.now ?? Date.now)();
  const scan: Scan = { client, prefix, now, graceMs: options.graceMs ?? 5 * 60_000, limit: options.perQueueLimit ?? 1000, findings: [] };
  await ready(client);
  const inv = await inventory(client, prefix);
  for (const [queue, taskIds] of inv.queues) await orphanTasks(scan, queue, taskIds);
  await expiredLeases(scan, inv);
  for (const [swarmId, s] of inv.swarms) await swarmFindings(scan, swarmId, s);
  return { prefix, scannedAt: now, findings: scan.findings };
}

const targetOf = (f: RecoveryFinding): string =>
  'queue' in f ? `${f.queue}/${f.taskId}` : 'agentId' in f ? `${f.swarmId}/${f.agentId}` : f.swarmId;

type RecoveryClient = RedisClient & Record<keyof typeof SCRIPTS, ScriptFn>;

/** Deletes what remains of a swarm whose hash is gone, in slices, while its hash stays gone. */
async function deleteMissingSwarm(
  c: RecoveryClient,
  prefix: string,
  finding: Extract<RecoveryFinding, { kind: 'missing-swarm' }>,
): Promise<ScriptOutcome> {
  // Only keys that really are this swarm's: a plan edited by hand cannot delete anything else.
  const foreign = finding.keys.filter((key) => {
    const parsed = parseCoordinationKey(prefix, key);
    return parsed?.area !== 'swarm' || parsed.swarm !== finding.swarmId;
  });
  if (foreign.length > 0)
    throw new SwarmdeckError(
      'VALIDATION',
      `The plan lists keys that are not swarm ${finding.swarmId}'s: ${foreign.slice(0, 3).join(', ')}`,
    );
  const k = swarmKeys(prefix, finding.swarmId);
  let deleted = 0;
  for (let i = 0; i < finding.keys.length; i += PIPELINE) {
    const outcome = await runScript(c.sdRecoverMissingSwarm(...scriptArgs([k.swarm, ...finding.keys.slice(i, i + PIPELINE)], [])));
    if (!outcome.applied) return outcome;
    deleted += Number(outcome.reply);
  }
  return { applied: true as const, reply: `${deleted} key(s) deleted` };
}

/** Runs the one script that fixes `finding`; its outcome says what it did, or why it no longer applied. */
async function fix(c: RecoveryClient, prefix: string, finding: RecoveryFinding, clock: () => number, by: string): Promise<ScriptOutcome> {
  switch (finding.kind) {
    case 'expired-lease': {
      const k = queueKeys(prefix, finding.queue);
      const now = clock();
      const keys = transitionKeys(k, now, [finding.taskId]);
      return runScript(c.sdRecoverLease(...scriptArgs(keys, [k.taskBase, EVENTS_MAXLEN, now, finding.taskId, finding.holder])));
    }
    case 'idle-swarm': {
      const k = swarmKeys(prefix, finding.swarmId);
      const keys = [k.swarm, k.agents, k.heartbeats, k.events, k.leader, k.proposals, k.open, k.messages];
      return runScript(c.sdRecoverStopSwarm(...scriptArgs(keys, [k.base, finding.swarmId, EVENTS_MAXLEN, clock(), by])));
    }
    case 'orphan-task': {
      const k = queueKeys(prefix, finding.queue);
      return runScript(
        c.sdRecoverOrphanTask(...scriptArgs([k.wait, k.delayed, k.active, k.finished, k.dead, k.task(finding.taskId)], [finding.taskId])),
      );
    }
    case 'unknown-agent': {
      const k = swarmKeys(prefix, finding.swarmId);
      return runScript(c.sdRecoverUnknownAgent(...scriptArgs([k.agents, k.agent(finding.agentId)], [finding.agentId])));
    }
    case 'missing-swarm':
      return deleteMissingSwarm(c, prefix, finding);
  }
}

/**
 * Fixes exactly the findings of `plan` and nothing else: an expired lease is requeued (or
 * dead-lettered) by the queue's own stalled-lease transition, an idle swarm is marked stopped,
 * unreachable keys are deleted. Each fix re-checks its condition atomically; one that no
 * longer holds is reported as skipped, with the reason.
 */
export async function applyRecovery(
  client: RedisClient,
  prefix: string,
  plan: RecoveryPlan,
  options: { now?: () => number; by?: string } = {},
): Promise<RecoveryReport> {
  if (plan.prefix !== prefix)
    throw new SwarmdeckError('VALIDATION', `The plan was made for prefix ${JSON.stringify(plan.prefix)}, not ${JSON.stringify(prefix)}`, {
      fields: [{ path: 'plan.prefix', message: 'Another prefix' }],
    });
  const c = withScripts(client, SCRIPTS);
  const items: RecoveryItem[] = [];
  for (const finding of plan.findings) {
    let outcome: ScriptOutcome;
    try {
      outcome = await fix(c, prefix, finding, options.now ?? Date.now, options.by ?? 'recovery');
    } catch (error) {
      items.push({ finding, outcome: 'failed', detail: `${targetOf(finding)}: ${scriptError(error).message}` });
      continue;
    }
    items.push(
      outcome.applied
        ? { finding, outcome: 'fixed', detail: String(outcome.reply) }
        : { finding, outcome: 'skipped', detail: outcome.sentence },
    );
  }
  return {
    items,
    fixed: items.filter((i) => i.outcome === 'fixed').length,
    skipped: items.filter((i) => i.outcome === 'skipped').length,
    failed: items.filter((i) => i.outcome === 'failed').length,
  };
}
