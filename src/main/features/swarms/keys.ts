/**
 * The keys of the swarms. All keys of one swarm share the hash tag `{s:<id>}`, so a change is
 * one script on one slot; scripts that find an agent or a proposal by an id they read inside
 * append it to `base` exactly as `agent(id)` and `proposal(id)` do. Also the keys of a
 * claude-flow-novice deployment, which the swarms view reads and never writes.
 */
import { P, row, type KeyKind, type KeyRow, type KeyspaceArea } from '../../redis/keyspace-area';

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

const s = (): SwarmKeys => swarmKeys(P, 'S');
const cfn = claudeFlowNoviceKeys;
/** The doc writes claude-flow-novice builders as members, with their parameters (`swarm(id)`). */
const cfnRow = (member: string, type: KeyKind, key: () => string): KeyRow => row(`claudeFlowNoviceKeys.${member}`, type, key);

export const swarmsKeyspace: KeyspaceArea = {
  feature: 'swarms',
  keys: [
    row('swarmRegistryKey(P)', 'zset', () => swarmRegistryKey(P)),
    row('swarmKeys(P, S).base', 'key prefix', () => s().base),
    row('swarmKeys(P, S).swarm', 'hash', () => s().swarm),
    row('swarmKeys(P, S).agents', 'zset', () => s().agents),
    row('swarmKeys(P, S).heartbeats', 'zset', () => s().heartbeats),
    row('swarmKeys(P, S).agent(id)', 'hash', () => s().agent('<agent>')),
    row('swarmKeys(P, S).leader', 'string', () => s().leader),
    row('swarmKeys(P, S).proposals', 'zset', () => s().proposals),
    row('swarmKeys(P, S).open', 'zset', () => s().open),
    row('swarmKeys(P, S).proposal(id)', 'hash', () => s().proposal('<id>')),
    row('swarmKeys(P, S).eligible(id)', 'hash', () => s().eligible('<id>')),
    row('swarmKeys(P, S).votes(id)', 'hash', () => s().votes('<id>')),
    row('swarmKeys(P, S).events', 'stream', () => s().events),
    row('swarmKeys(P, S).messages', 'stream', () => s().messages),
    cfnRow('index', 'zset', () => cfn.index),
    cfnRow('swarm(id)', 'string', () => cfn.swarm('<id>')),
    cfnRow('status(status)', 'set', () => cfn.status('<status>')),
    cfnRow('history(channel)', 'list', () => cfn.history('<channel>')),
    cfnRow('metrics', 'string', () => cfn.metrics),
    cfnRow('archive(id)', 'string', () => cfn.archive('<id>')),
    cfnRow('archiveIndex', 'zset', () => cfn.archiveIndex),
    cfnRow('cliActive', 'set', () => cfn.cliActive),
    cfnRow('cliIndex', 'hash', () => cfn.cliIndex),
    cfnRow('state(id)', 'string', () => cfn.state('<id>')),
    cfnRow('snapshot(id, snapId)', 'string', () => cfn.snapshot('<id>', '<snapId>')),
    cfnRow('snapshotIndex(id)', 'zset', () => cfn.snapshotIndex('<id>')),
    cfnRow('checkpoint(id, ckId)', 'string', () => cfn.checkpoint('<id>', '<ckId>')),
    cfnRow('checkpointIndex(id)', 'zset', () => cfn.checkpointIndex('<id>')),
    cfnRow('stateStats', 'string', () => cfn.stateStats),
    cfnRow('blocking(sid, coordinator)', 'string', () => cfn.blocking('<sid>', '<coordinator>')),
    cfnRow('blockingPattern', 'glob', () => cfn.blockingPattern),
    cfnRow('signal(receiver)', 'string', () => cfn.signal('<receiver>')),
    cfnRow('ack(coordinator, signalId)', 'string', () => cfn.ack('<coordinator>', '<signalId>')),
    cfnRow('ackAll', 'glob', () => cfn.ackAll),
    cfnRow('heartbeat(coordinator)', 'string', () => cfn.heartbeat('<coordinator>')),
    cfnRow('activity(coordinator)', 'string', () => cfn.activity('<coordinator>')),
    cfnRow('escalation(dead)', 'string', () => cfn.escalation('<dead>')),
    cfnRow('spawn(new)', 'string', () => cfn.spawn('<new>')),
    cfnRow('spawnPattern', 'glob', () => cfn.spawnPattern),
    cfnRow('leader', 'string', () => cfn.leader),
    cfnRow('taskQueue', 'list', () => cfn.taskQueue),
    cfnRow('agents', 'hash', () => cfn.agents),
    cfnRow('taskFailures', 'list', () => cfn.taskFailures),
    cfnRow('coordinatorStats', 'string', () => cfn.coordinatorStats),
    cfnRow('swarmChannel(id)', 'pub/sub channel', () => cfn.swarmChannel('<id>')),
    cfnRow('agentsChannel(id)', 'pub/sub channel', () => cfn.agentsChannel('<id>')),
    cfnRow('globalChannel', 'pub/sub channel', () => cfn.globalChannel),
    cfnRow('coordinationChannel', 'pub/sub channel', () => cfn.coordinationChannel),
    cfnRow('tasksChannel', 'pub/sub channel', () => cfn.tasksChannel),
    cfnRow('eventsChannel', 'pub/sub channel', () => cfn.eventsChannel),
  ],
  helpers: [
    'claudeFlowNoviceKeys.channels',
    'claudeFlowNoviceKeys.sharedChannels',
    'claudeFlowNoviceKeys.blockingParts',
    'claudeFlowNoviceKeys.ackParts',
    'claudeFlowNoviceKeys.spawnTarget',
  ],
  // A swarm's agents and proposals live under the swarm's own keys.
  backup: { component: 'swarms', patterns: (prefix) => [`${swarmKeys(prefix, '*').base}*`, swarmRegistryKey(prefix)] },
};
