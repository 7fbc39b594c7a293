/**
 * The one place key strings are built. Every key carries the profile's prefix; all keys of
 * one queue share the hash tag `{q:<name>}` so a script can touch them together on Redis
 * Cluster. See docs/keyspace.md.
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
  /** prefix of per-task hashes: `<taskPrefix><id>` */
  taskPrefix: string;
  /** prefix of per-minute statistics hashes: `<statsPrefix><epoch minute>` */
  statsPrefix: string;
}

export function queueKeys(prefix: string, name: string): QueueKeys {
  const base = `${prefix}:{q:${name}}`;
  return {
    meta: `${base}:meta`,
    wait: `${base}:wait`,
    delayed: `${base}:delayed`,
    active: `${base}:active`,
    finished: `${base}:finished`,
    dead: `${base}:dead`,
    wake: `${base}:wake`,
    events: `${base}:events`,
    taskPrefix: `${base}:t:`,
    statsPrefix: `${base}:m:`,
  };
}

/** set: the names of every queue, so listing queues never scans the keyspace */
export const queueRegistryKey = (prefix: string): string => `${prefix}:queues`;

/** stream: operator actions (who did what to which object), capped */
export const auditKey = (prefix: string): string => `${prefix}:audit`;

export interface SwarmKeys {
  /** Base every derived key of the swarm starts with; scripts build per-agent and per-proposal keys from it. */
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
  agent(id: string): string;
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

/** zset: swarm ids by last change, so the swarms page never scans the keyspace */
export const swarmRegistryKey = (prefix: string): string => `${prefix}:swarms`;

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
  /** the channels a swarm's messages go to */
  channels: (id: string): string[] => [`swarm:${id}`, `swarm:${id}:agents`],
};
