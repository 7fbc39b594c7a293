import type { BackupComponent } from '../../shared/model/backup';
/**
 * The one place key strings are built (lint rule `swarmdeck/no-key-literals` fails anywhere
 * else). Every key of ours carries the profile's prefix; all keys of one queue share the hash
 * tag `{q:<name>}` and all keys of one swarm `{s:<id>}`, so a script can touch them together
 * on Redis Cluster. Lua scripts that must find a per-task, per-agent or per-proposal key by an
 * id they read inside the script get a `…Base` string and append the id exactly as the
 * builder below does. See docs/keyspace.md.
 */
const NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

export function isValidName(name: string): boolean {
  return NAME.test(name) && !name.includes('{') && !name.includes('}');
}

export interface QueueKeys {
  /** hash: paused flag, sequence, lifetime counters */
  meta: string;
  /** zset: waiting task ids by priority then arrival */
  wait: string;
  /** zset: delayed and retry-scheduled task ids by due time (ms) */
  delayed: string;
  /** zset: leased task ids by lease deadline (ms) */
  active: string;
  /** zset: completed and cancelled task ids by finish time, trimmed by retention */
  finished: string;
  /** zset: dead-lettered task ids by time of death */
  dead: string;
  /** list: wake-up tokens idle workers block on */
  wake: string;
  /** stream: every transition, capped */
  events: string;
  /** hash: one task */
  task(id: string): string;
  /** hash, expires after 2 h: statistics of one epoch minute (`floor(ms / 60000)`) */
  stats(minute: number): string;
  /** What scripts append a task id to, for tasks whose ids they only learn inside (`task(id)` = `taskBase .. id`). */
  taskBase: string;
  /** glob (SCAN MATCH) of every key of the queue */
  pattern: string;
}

export function queueKeys(prefix: string, name: string): QueueKeys {
  const base = `${prefix}:{q:${name}}`;
  const taskBase = `${base}:t:`;
  return {
    meta: `${base}:meta`,
    wait: `${base}:wait`,
    delayed: `${base}:delayed`,
    active: `${base}:active`,
    finished: `${base}:finished`,
    dead: `${base}:dead`,
    wake: `${base}:wake`,
    events: `${base}:events`,
    task: (id) => `${taskBase}${id}`,
    stats: (minute) => `${base}:m:${minute}`,
    taskBase,
    pattern: `${base}:*`,
  };
}

/** set: the names of every queue, so listing queues never scans the keyspace */
export const queueRegistryKey = (prefix: string): string => `${prefix}:queues`;

/** stream: operator actions (who did what to which object), capped */
export const auditKey = (prefix: string): string => `${prefix}:audit`;

export interface SwarmKeys {
  /**
   * What scripts append `a:<agent>` or `p:<proposal>` to, for agents and proposals whose ids
   * they only learn inside (the live voters of a new proposal, the proposals past their
   * deadline): `agent(id)` = `base .. 'a:' .. id`, `proposal(id)` = `base .. 'p:' .. id`.
   */
  base: string;
  /** hash: the swarm's definition, lifecycle status, leader epoch counter, proposal sequence, message count */
  swarm: string;
  /** zset: agent ids by registration time */
  agents: string;
  /** zset: agent ids by the moment they stop counting as live (last heartbeat + TTL) — liveness is read here, not from a status field */
  heartbeats: string;
  /** stream: every lifecycle change, vote and result, capped */
  events: string;
  /** string with a TTL: `<agent>|<epoch>` of the current leader */
  leader: string;
  /** zset: proposal ids by opening time */
  proposals: string;
  /** zset: open proposal ids by deadline */
  open: string;
  /** stream: messages between agents (from, to, kind), capped */
  messages: string;
  /** hash: one agent's registration, reported status, task and load */
  agent(id: string): string;
  /** hash: one proposal, its tallies and its outcome */
  proposal(id: string): string;
  /** hash: eligible voter → weight */
  eligible(proposal: string): string;
  /** hash: voter → JSON vote */
  votes(proposal: string): string;
}

export function swarmKeys(prefix: string, id: string): SwarmKeys {
  const base = `${prefix}:{s:${id}}:`;
  return {
    base,
    swarm: `${base}swarm`,
    agents: `${base}agents`,
    heartbeats: `${base}hb`,
    events: `${base}events`,
    leader: `${base}leader`,
    proposals: `${base}proposals`,
    open: `${base}open`,
    messages: `${base}msgs`,
    agent: (agent) => `${base}a:${agent}`,
    proposal: (p) => `${base}p:${p}`,
    eligible: (p) => `${base}p:${p}:el`,
    votes: (p) => `${base}p:${p}:v`,
  };
}

/** never written: the key the connection diagnosis names in its permission probes (ACL key patterns apply) */
export const diagnosticsProbeKey = (prefix: string): string => `${prefix}:diag:probe`;

/** zset: swarm ids by last change, so the swarms page never scans the keyspace */
export const swarmRegistryKey = (prefix: string): string => `${prefix}:swarms`;

export interface MetricSeriesKeys {
  /** hash: tag-set id → canonical tags JSON; its length is what the cardinality cap counts; expires with the last-kept bucket */
  tags: string;
  /** hash, expires with its resolution's retention: one bucket of one tag set (`c`, `s`, `mn`, `mx`, histogram fields) */
  bucket(resolution: string, tagId: string, start: number): string;
}

/** Every key of one series shares the hash tag `{m:<series>}`, so one flush of a series is one script on one slot. */
export function metricSeriesKeys(prefix: string, series: string): MetricSeriesKeys {
  const base = `${prefix}:{m:${series}}`;
  return { tags: `${base}:tags`, bucket: (resolution, tagId, start) => `${base}:${resolution}:${tagId}:${start}` };
}

/** hash: series name → 1, every series recorded (the series cap counts its fields) */
export const metricsRegistryKey = (prefix: string): string => `${prefix}:metrics`;
/** glob (SCAN MATCH) of every metric bucket and tag hash, for `metrics.usage` */
export const metricsPattern = (prefix: string): string => `${prefix}:{m:*`;
/** The resolution part of a bucket key (`…}:1s:<tag>:<start>`), or undefined for a tag hash. */
export function metricKeyResolution(key: string): string | undefined {
  const close = key.indexOf('}:');
  if (close < 0) return undefined;
  const rest = key.slice(close + 2);
  const colon = rest.indexOf(':');
  return colon < 0 ? undefined : rest.slice(0, colon);
}
/** stream, capped: alerts fired, resolved and acknowledged */
export const alertsStreamKey = (prefix: string): string => `${prefix}:alerts`;

export interface LockKeys {
  /** string with the lease as its TTL: `<token>|<fence>|<acquiredAt>|<owner>` of the holder */
  lock: string;
  /** string: the last fencing token handed out; never expires, so fences keep increasing after a lease runs out */
  fence: string;
  /** zset: waiter ids by the deadline (ms) they stop waiting */
  waiters: string;
}

/** Every key of one lock shares the hash tag `{l:<resource>}`, so a transition is one script on one slot. */
export function lockKeys(prefix: string, resource: string): LockKeys {
  const base = `${prefix}:{l:${resource}}`;
  return { lock: `${base}:lock`, fence: `${base}:fence`, waiters: `${base}:waiters` };
}

/** set: every resource ever locked, so the locks view never scans the keyspace */
export const lockRegistryKey = (prefix: string): string => `${prefix}:locks`;

export interface StateKeys {
  /** hash with the value's TTL: `value`, `version`, `source`, `meta` (JSON), `at` */
  current: string;
  /** string: the last version handed out; never expires, so a version number is never reused */
  version: string;
  /** list, newest first, capped: the last N versions as JSON */
  history: string;
  /** stream, capped: one entry per change, for watchers reading from their last id */
  events: string;
}

/** Every key of one state key shares the hash tag `{st:<key>}`. */
export function stateKeys(prefix: string, key: string): StateKeys {
  const base = `${prefix}:{st:${key}}`;
  return { current: `${base}:cur`, version: `${base}:ver`, history: `${base}:hist`, events: `${base}:events` };
}

/** glob (SCAN MATCH) of the current-value hash of every state key (of one namespace), and the state key one names */
export const stateCurrentPattern = (prefix: string, namespace?: string): string =>
  namespace ? `${prefix}:{st:${namespace}:*}:cur` : `${prefix}:{st:*}:cur`;
export function stateKeyOf(prefix: string, redisKey: string): string | undefined {
  const head = `${prefix}:{st:`;
  const tail = '}:cur';
  if (!redisKey.startsWith(head) || !redisKey.endsWith(tail)) return undefined;
  const key = redisKey.slice(head.length, -tail.length);
  return isValidName(key) && stateKeys(prefix, key).current === redisKey ? key : undefined;
}

export interface MemoryKeys {
  /** hash, TTL when written with one: `value` (JSON), `version`, `updatedAt`, `updatedBy`, `tags` (JSON) */
  entry: (key: string) => string;
  /** string: the namespace's last version handed out; never expires, so versions are never reused */
  seq: string;
  /** zset, all scores 0: every key written (lex order), walked by prefix with a cursor; expired ones pruned when met */
  index: string;
  /** zset, all scores 0: `<tag>|<key>` for every tagged entry, walked by tag with a cursor; stale ones pruned when met */
  tags: string;
  /** hash: key → the kept manual conflict (JSON) */
  conflicts: string;
}

/** The name of one memory namespace: `a:<agent>:<namespace>` or `s:<namespace>` (names hold no colon). */
export const memorySpaceId = (agent: string | undefined, namespace: string): string =>
  agent === undefined ? `s:${namespace}` : `a:${agent}:${namespace}`;
export function parseMemorySpaceId(id: string): { agent?: string; namespace: string } | undefined {
  const parts = id.split(':');
  if (parts[0] === 's' && parts.length === 2 && isValidName(parts[1] as string)) return { namespace: parts[1] as string };
  if (parts[0] === 'a' && parts.length === 3 && isValidName(parts[1] as string) && isValidName(parts[2] as string))
    return { agent: parts[1] as string, namespace: parts[2] as string };
  return undefined;
}

/** Every key of one memory namespace shares the hash tag `{mem:<space id>}`, so each write is one script on one slot. */
export function memoryKeys(prefix: string, agent: string | undefined, namespace: string): MemoryKeys {
  const base = `${prefix}:{mem:${memorySpaceId(agent, namespace)}}`;
  return {
    entry: (key) => `${base}:e:${key}`,
    seq: `${base}:seq`,
    index: `${base}:idx`,
    tags: `${base}:tags`,
    conflicts: `${base}:conflicts`,
  };
}

/** set: the id of every memory namespace ever written, so the memory view never scans the keyspace */
export const memoryRegistryKey = (prefix: string): string => `${prefix}:mem:spaces`;

export interface ConfigKeys {
  /** hash: `value` (JSON), `version`, `at`, `by` of the scope's current document */
  current: string;
  /** list, newest first, capped: every version kept (JSON), for history and rollback */
  history: string;
  /** stream, capped: one entry per change of any scope, for watchers reading from their last id */
  events: string;
}

/** All configuration shares the hash tag `{cfg}`: it is small, and a change writes the scope and the one event stream together. */
export function configKeys(prefix: string, scope: string): ConfigKeys {
  const base = `${prefix}:{cfg}`;
  return { current: `${base}:${scope}`, history: `${base}:${scope}:hist`, events: `${base}:events` };
}

/** pub/sub channel: a wake-up for watchers after each configuration change (the stream has the change) */
export const configChannel = (prefix: string): string => `${prefix}:cfg:changed`;

/** globs (SCAN MATCH) of every key of each part of Swarmdeck's keyspace, for a backup limited to components */
export function componentPatterns(prefix: string): Record<BackupComponent, string[]> {
  return {
    // A queue's tasks and a swarm's agents live under the queue's and the swarm's own keys.
    queues: [queueKeys(prefix, '*').pattern, queueRegistryKey(prefix)],
    swarms: [`${swarmKeys(prefix, '*').base}*`, swarmRegistryKey(prefix)],
    memory: [`${prefix}:{mem:*`, memoryRegistryKey(prefix)],
    config: [`${prefix}:{cfg}*`],
    metrics: [metricsPattern(prefix), metricsRegistryKey(prefix), alertsStreamKey(prefix)],
    locks: [`${prefix}:{l:*`, lockRegistryKey(prefix)],
    state: [`${prefix}:{st:*`],
    audit: [auditKey(prefix)],
  };
}

/** globs (SCAN MATCH) of every key of every queue and of every swarm under a prefix (recovery's scan) */
export function coordinationPatterns(prefix: string): { queues: string; swarms: string } {
  return { queues: queueKeys(prefix, '*').pattern, swarms: `${swarmKeys(prefix, '*').base}*` };
}

export type CoordinationKey =
  | { area: 'queue'; queue: string; part: 'task'; taskId: string }
  | { area: 'queue'; queue: string; part: 'other' }
  | { area: 'swarm'; swarm: string; part: 'agent'; agentId: string }
  | { area: 'swarm'; swarm: string; part: 'other' };

/**
 * A key found by SCAN read back into the queue or swarm it belongs to. Accepted only when the
 * builders above produce exactly that key again, so the reading cannot drift from the layout.
 */
export function parseCoordinationKey(prefix: string, key: string): CoordinationKey | undefined {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const q = new RegExp(`^${escaped}:\\{q:([^{}]+)\\}:(.*)$`, 's').exec(key);
  if (q) {
    const queue = q[1] as string;
    const rest = q[2] as string;
    if (!isValidName(queue) || queueKeys(prefix, queue).pattern.slice(0, -1) + rest !== key) return undefined;
    return rest.startsWith('t:') ? { area: 'queue', queue, part: 'task', taskId: rest.slice(2) } : { area: 'queue', queue, part: 'other' };
  }
  const w = new RegExp(`^${escaped}:\\{s:([^{}]+)\\}:(.*)$`, 's').exec(key);
  if (w) {
    const swarm = w[1] as string;
    const rest = w[2] as string;
    const k = swarmKeys(prefix, swarm);
    if (!isValidName(swarm) || k.base + rest !== key) return undefined;
    return rest.startsWith('a:') && k.agent(rest.slice(2)) === key
      ? { area: 'swarm', swarm, part: 'agent', agentId: rest.slice(2) }
      : { area: 'swarm', swarm, part: 'other' };
  }
  return undefined;
}

/**
 * Keys of a claude-flow-novice deployment, as that project writes them (no prefix, no hash
 * tags). Swarmdeck only ever reads these.
 */
export const claudeFlowNoviceKeys = {
  /** zset: swarm ids by creation time */
  index: 'swarm:index',
  /** string: the swarm as JSON, agents included */
  swarm: (id: string): string => `swarm:${id}`,
  /** set: swarm ids in one status */
  status: (status: string): string => `swarm:status:${status}`,
  /** list: newest-first JSON message envelopes published on a channel */
  history: (channel: string): string => `swarm:message:history:${channel}`,
  /** pub/sub channel (not a key) of messages to the swarm as a whole */
  swarmChannel: (id: string): string => `swarm:${id}`,
  /** pub/sub channel (not a key) of messages between the swarm's agents */
  agentsChannel: (id: string): string => `swarm:${id}:agents`,
  /** the channels a swarm's messages go to, whose histories are the swarm's message log */
  channels: (id: string): string[] => [claudeFlowNoviceKeys.swarmChannel(id), claudeFlowNoviceKeys.agentsChannel(id)],
  /** pub/sub channels (not keys) all swarms share: broadcasts, coordination, tasks and events */
  globalChannel: 'swarm:global',
  coordinationChannel: 'swarm:coordination',
  tasksChannel: 'swarm:tasks',
  eventsChannel: 'swarm:events',
  /** the shared channels, whose histories hold every swarm's messages (told apart by `swarmId`) */
  sharedChannels: (): string[] => [
    claudeFlowNoviceKeys.globalChannel,
    claudeFlowNoviceKeys.coordinationChannel,
    claudeFlowNoviceKeys.tasksChannel,
    claudeFlowNoviceKeys.eventsChannel,
  ],
  /** set: ids of CLI (swarm-exec) swarms still running */
  cliActive: 'swarms:active',
  /** hash: CLI swarm id → `{id, objective, status, startTime, endTime, lastUpdated}` */
  cliIndex: 'swarms:index',
  /** string: registry statistics */
  metrics: 'swarm:metrics',
  /** string: an archived registry swarm (7 d) */
  archive: (id: string): string => `swarm:archive:${id}`,
  /** zset: archived swarm ids by archive time */
  archiveIndex: 'swarm:archive:index',
  /** string: the state manager's saved state of a swarm */
  state: (id: string): string => `swarm:state:${id}`,
  /** string: one snapshot of a swarm's state */
  snapshot: (id: string, snapId: string): string => `swarm:snapshot:${id}:${snapId}`,
  /** zset: a swarm's snapshot ids by time (≤ 10) */
  snapshotIndex: (id: string): string => `swarm:snapshot:${id}:index`,
  /** string: one checkpoint of a swarm's state */
  checkpoint: (id: string, ckId: string): string => `swarm:checkpoint:${id}:${ckId}`,
  /** zset: a swarm's checkpoint ids by time */
  checkpointIndex: (id: string): string => `swarm:checkpoint:${id}:index`,
  /** string: state manager statistics */
  stateStats: 'swarm:state:manager:stats',
  /** string: one coordinator's blocking wait in a swarm */
  blocking: (swarmId: string, coordinator: string): string => `swarm:${swarmId}:blocking:${coordinator}`,
  /** SCAN pattern of every blocking wait, any swarm; the ids are read back with `blockingParts` */
  blockingPattern: 'swarm:*:blocking:*',
  /** the swarm and coordinator a blocking key names, or undefined for any other key */
  blockingParts: (key: string): { swarmId: string; coordinator: string } | undefined => {
    const m = /^swarm:(.+):blocking:([^:]+)$/.exec(key);
    return m ? { swarmId: m[1] as string, coordinator: m[2] as string } : undefined;
  },
  /** string: a signal to a coordinator; present means not consumed yet */
  signal: (receiver: string): string => `blocking:signal:${receiver}`,
  /** string: a coordinator's HMAC-signed acknowledgement of one signal (1 h) */
  ack: (coordinator: string, signalId: string): string => `blocking:ack:${coordinator}:${signalId}`,
  /** SCAN pattern of every acknowledgement */
  ackAll: 'blocking:ack:*',
  /** the coordinator and signal an acknowledgement key names (claude-flow-novice ids hold no colon) */
  ackParts: (key: string): { coordinator: string; signalId: string } | undefined => {
    const m = /^blocking:ack:([^:]+):(.+)$/.exec(key);
    return m ? { coordinator: m[1] as string, signalId: m[2] as string } : undefined;
  },
  /** string: a coordinator's heartbeat (300 s TTL) */
  heartbeat: (coordinator: string): string => `blocking:heartbeat:${coordinator}`,
  /** string: a coordinator's last activity */
  activity: (coordinator: string): string => `coordinator:activity:${coordinator}`,
  /** string: the escalation of a dead coordinator */
  escalation: (dead: string): string => `coordinator:escalation:${dead}`,
  /** string: a replacement coordinator asked for; nothing in claude-flow-novice picks it up */
  spawn: (coordinator: string): string => `coordinator:spawn:${coordinator}`,
  /** SCAN pattern of every spawn request */
  spawnPattern: 'coordinator:spawn:*',
  /** the new coordinator a spawn key names */
  spawnTarget: (key: string): string => key.slice('coordinator:spawn:'.length),
  /** string: the current leader (30 s lease) */
  leader: 'swarm:leader',
  /** list: queued tasks `{id, task, queuedAt, queuedBy}` */
  taskQueue: 'swarm:tasks:queue',
  /** hash: agent id → agent JSON */
  agents: 'swarm:agents',
  /** list: routing failures `{taskId, task, error, stack, timestamp}` */
  taskFailures: 'swarm:phase-5:task-failures',
  /** string: the coordinator's routing statistics */
  coordinatorStats: 'swarm:phase-5:coordinator-stats',
};

export interface MessagingKeys {
  /** hash: route name → route JSON (hash tag `{msg}`, with the version, so one script changes both) */
  routes: string;
  /** string: the routes' version, incremented by every change */
  routesVersion: string;
  /** pub/sub channel: a route changed (payload: the new version) */
  routesWake: string;
}

export const messagingKeys = (prefix: string): MessagingKeys => ({
  routes: `${prefix}:{msg}:routes`,
  routesVersion: `${prefix}:{msg}:routes:version`,
  routesWake: `${prefix}:msg:routes:wake`,
});

/** pub/sub channel (or pattern) of a messaging channel name; on a cluster each channel is sharded by its own name */
export const messageChannel = (prefix: string, channel: string): string => `${prefix}:msg:c:${channel}`;
/** the messaging channel name of a Redis channel, or undefined when it is not one */
export const messageChannelName = (prefix: string, redisChannel: string): string | undefined =>
  redisChannel.startsWith(`${prefix}:msg:c:`) ? redisChannel.slice(`${prefix}:msg:c:`.length) : undefined;
/** pub/sub channel: the one reply channel of a messaging client */
export const messageReplyChannel = (prefix: string, clientId: string): string => `${prefix}:msg:reply:${clientId}`;
/** hash: a route's rate-limit window for one source (`w` window index, `n` count; expires after two windows) */
export const messageRateKey = (prefix: string, route: string, source: string): string => `${prefix}:{mr:${route}}:rate:${source}`;
/** stream: a route's stream target, capped */
export const messageStreamKey = (prefix: string, name: string): string => `${prefix}:{ms:${name}}:stream`;
