import type { RedisClient } from '../../src/main/redis/client-options';
import { claudeFlowNoviceKeys as K } from '../../src/main/redis/keyspace';

/** The Redis password a CLI swarm stores in its config in plain text: it must never reach an operator. */
export const CFN_PASSWORD = 'hunter2-cfn-secret-7f3a';

const MIN = 60_000;

/**
 * A realistic claude-flow-novice deployment, written key by key exactly as that project
 * writes it (unprefixed, one command per key so it lands on any cluster slot): six swarms —
 * two CLI (`swarm-exec`) swarms, one running and one finished; three registry swarms, one
 * healthy, one marked active with a 12-minute-old heartbeat holding a coordinator stuck on an
 * unread signal, one whose peer coordinator died and was escalated with nobody picking up the
 * spawn; and one archived — plus two ghosts in the status sets, a leader, a task queue,
 * agents, routing failures, snapshots and checkpoints. Returns the ids and every key written.
 */
export async function writeCfnDeployment(client: RedisClient, tag: string, now = Date.now()) {
  const ids = {
    cliRunning: `swarm_cli_run_${tag}`,
    cliDone: `swarm_cli_done_${tag}`,
    healthy: `swarm_ok_${tag}`,
    stale: `swarm_stale_${tag}`,
    orphaned: `swarm_dead_${tag}`,
    archived: `swarm_arch_${tag}`,
    ghosts: [`swarm_ghost1_${tag}`, `swarm_ghost2_${tag}`],
  };
  const coord = {
    stuck: `coord-loop3-${tag}`,
    acked: `coord-validator-${tag}`,
    silent: `coord-po-${tag}`,
    done: `coord-done-${tag}`,
    waiter: `coord-waiter-${tag}`,
    dead: `coord-dead-${tag}`,
    spawned: `coord-repl-${tag}`,
  };
  const keys = new Set<string>();
  const set = async (key: string, value: unknown, ttl?: number) => {
    keys.add(key);
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (ttl) await client.setex(key, ttl, text);
    else await client.set(key, text);
  };

  // CLI swarms (swarm-exec): the start form, then for a finished one the end form.
  const cliConfig = {
    strategy: 'development',
    mode: 'mesh',
    maxAgents: 5,
    redis: { host: '10.0.0.7', port: 6379, password: CFN_PASSWORD },
  };
  await set(
    K.swarm(ids.cliRunning),
    {
      id: ids.cliRunning,
      objective: 'Refactor the auth module',
      config: cliConfig,
      status: 'running',
      startTime: now - 3 * MIN,
      agents: [],
      tasks: [],
      results: null,
      lastUpdated: now - 30_000,
    },
    86_400,
  );
  await set(
    K.swarm(ids.cliDone),
    {
      success: true,
      summary: { id: ids.cliDone, status: 'completed', agents: 3, tasks: { total: 4, completed: 4, in_progress: 0 }, runtime: 240_000 },
      id: ids.cliDone,
      endTime: now - 20 * MIN,
      status: 'completed',
    },
    86_400,
  );
  keys.add(K.cliActive);
  await client.sadd(K.cliActive, ids.cliRunning);
  keys.add(K.cliIndex);
  await client.hset(
    K.cliIndex,
    ids.cliRunning,
    JSON.stringify({
      id: ids.cliRunning,
      objective: 'Refactor the auth module',
      status: 'running',
      startTime: now - 3 * MIN,
      lastUpdated: now - 30_000,
    }),
  );
  await client.hset(
    K.cliIndex,
    ids.cliDone,
    JSON.stringify({
      id: ids.cliDone,
      objective: 'Write the migration guide',
      status: 'completed',
      startTime: now - 24 * MIN,
      endTime: now - 20 * MIN,
      lastUpdated: now - 20 * MIN,
    }),
  );

  // Registry swarms (SwarmRegistry.registerSwarm / updateSwarm).
  const registry = (id: string, objective: string, status: string, lastHeartbeat: number, agents: unknown[]) => ({
    id,
    objective,
    strategy: 'development',
    mode: 'hierarchical',
    maxAgents: 6,
    status,
    createdAt: now - 40 * MIN,
    lastActivity: lastHeartbeat,
    lastHeartbeat,
    agents,
  });
  await set(
    K.swarm(ids.healthy),
    registry(ids.healthy, 'Build the REST API', 'active', now - 10_000, [
      { id: 'coder-1', type: 'coder', status: 'busy', currentTask: 'api-routes', lastHeartbeat: now - 10_000 },
    ]),
    86_400,
  );
  await set(
    K.swarm(ids.stale),
    registry(ids.stale, 'Port the billing service', 'active', now - 12 * MIN, [
      { id: 'coder-2', type: 'coder', status: 'busy', currentTask: 'invoice-export', lastHeartbeat: now - 12 * MIN },
    ]),
    86_400,
  );
  await set(
    K.swarm(ids.orphaned),
    registry(ids.orphaned, 'Migrate the search index', 'active', now - 20_000, [
      { id: 'coder-3', type: 'coder', status: 'active', lastHeartbeat: now - 20_000 },
    ]),
    86_400,
  );
  keys.add(K.index);
  for (const [i, id] of [ids.healthy, ids.stale, ids.orphaned].entries()) await client.zadd(K.index, now - (40 - i) * MIN, id);
  keys.add(K.status('active'));
  await client.sadd(K.status('active'), ids.healthy, ids.stale, ids.orphaned, ...ids.ghosts);
  await set(K.metrics, { totalSwarms: 5, activeSwarms: 3, recoveredSwarms: 0, failedRecoveries: 0, lastCleanup: now - 5 * MIN });

  // Archive: the registry swarm as it was, plus why and when (7 d).
  await set(
    K.archive(ids.archived),
    {
      ...registry(ids.archived, 'Spike: evaluate vector stores', 'completed', now - 90 * MIN, []),
      archivedAt: now - 80 * MIN,
      archiveReason: 'completed',
      lifetime: 50 * MIN,
    },
    604_800,
  );
  keys.add(K.archiveIndex);
  await client.zadd(K.archiveIndex, now - 80 * MIN, ids.archived);

  // Messages on every history channel (newest first, 1 h).
  const history = async (channel: string, envelopes: unknown[]) => {
    const key = K.history(channel);
    keys.add(key);
    for (const e of envelopes) await client.lpush(key, JSON.stringify(e));
    await client.expire(key, 3600);
  };
  const envelope = (n: number, channel: string, type: string, from: string, at: number) => ({
    id: `msg_${tag}_${n}`,
    swarmId: ids.stale,
    timestamp: at,
    messageType: 'swarm_message',
    channel,
    payload: { type, from },
  });
  await history(K.swarmChannel(ids.stale), [envelope(1, K.swarmChannel(ids.stale), 'status_update', 'coder-2', now - 14 * MIN)]);
  await history(K.agentsChannel(ids.stale), [envelope(2, K.agentsChannel(ids.stale), 'review_request', 'coder-2', now - 13 * MIN)]);
  await history(K.coordinationChannel, [envelope(3, K.coordinationChannel, 'blocking_signal', coord.stuck, now - 12 * MIN)]);
  await history(K.eventsChannel, [envelope(4, K.eventsChannel, 'iteration_started', coord.stuck, now - 14 * MIN)]);

  // Blocking coordination in the stale swarm: one waits, one peer acknowledged, one never read its signal.
  const wait = (status: string, startTime: number, iteration: number, phase: string) => ({
    status,
    startTime,
    signalType: 'completion',
    iteration,
    phase,
  });
  const beat = (coordinatorId: string, at: number, sequence: number, status: string) => ({
    coordinatorId,
    lastHeartbeat: at,
    sequence,
    iteration: 2,
    metadata: { phase: 'loop3', agentCount: 3, status },
  });
  await set(K.blocking(ids.stale, coord.stuck), wait('waiting', now - 14 * MIN, 2, 'loop3'));
  await set(K.blocking(ids.stale, coord.acked), wait('complete', now - 14 * MIN, 2, 'loop3'));
  await set(K.blocking(ids.stale, coord.silent), wait('waiting', now - 14 * MIN, 2, 'loop3'));
  await set(K.heartbeat(coord.stuck), beat(coord.stuck, now - 15_000, 56, 'waiting'), 300);
  await set(K.heartbeat(coord.acked), beat(coord.acked, now - 20_000, 41, 'complete'), 300);
  await set(K.heartbeat(coord.silent), beat(coord.silent, now - 250_000, 9, 'waiting'), 300);
  await set(
    K.ack(coord.acked, `sig-${tag}-1`),
    { coordinatorId: coord.acked, signalId: `sig-${tag}-1`, timestamp: now - 13 * MIN, iteration: 2, signature: 'a3f1c09e' },
    3600,
  );
  await set(K.signal(coord.silent), {
    signalId: `sig-${tag}-2`,
    senderId: coord.stuck,
    receiverId: coord.silent,
    type: 'completion',
    iteration: 2,
    timestamp: now - 13 * MIN,
    signature: '9be0d2aa',
  });
  await set(K.activity(coord.silent), String(now - 11 * MIN));

  // A finished wait in the healthy swarm: never flagged.
  await set(K.blocking(ids.healthy, coord.done), wait('complete', now - 30 * MIN, 1, 'loop2'));
  await set(K.heartbeat(coord.done), beat(coord.done, now - 5_000, 120, 'complete'), 300);

  // The orphaned swarm: its peer died, was escalated, a replacement was asked for and never started.
  await set(K.blocking(ids.orphaned, coord.waiter), wait('waiting', now - 9 * MIN, 1, 'loop2'));
  await set(K.blocking(ids.orphaned, coord.dead), wait('waiting', now - 9 * MIN, 1, 'loop2'));
  await set(K.heartbeat(coord.waiter), beat(coord.waiter, now - 10_000, 30, 'waiting'), 300);
  await set(K.signal(coord.dead), {
    signalId: `sig-${tag}-3`,
    senderId: coord.waiter,
    receiverId: coord.dead,
    type: 'completion',
    iteration: 1,
    timestamp: now - 8 * MIN,
    signature: '11aa22bb',
  });
  await set(K.escalation(coord.dead), {
    coordinatorId: coord.dead,
    swarmId: ids.orphaned,
    reason: 'heartbeat older than 120 s',
    escalatedAt: now - 4 * MIN,
  });
  await set(K.spawn(coord.spawned), {
    newCoordinatorId: coord.spawned,
    replaces: coord.dead,
    swarmId: ids.orphaned,
    requestedAt: now - 4 * MIN,
  });

  // State manager: saved state (with the CLI config and its password), snapshots and checkpoints.
  await set(K.state(ids.stale), {
    id: ids.stale,
    status: 'active',
    config: cliConfig,
    agents: ['coder-2'],
    savedAt: now - 12 * MIN,
    version: 7,
    blockingCoordinators: [coord.stuck, coord.acked, coord.silent],
  });
  await set(K.snapshot(ids.stale, `snap_${tag}_1`), {
    id: `snap_${tag}_1`,
    swarmId: ids.stale,
    label: 'before loop 3',
    timestamp: now - 14 * MIN,
    state: { status: 'active', config: cliConfig, version: 6 },
  });
  keys.add(K.snapshotIndex(ids.stale));
  await client.zadd(K.snapshotIndex(ids.stale), now - 14 * MIN, `snap_${tag}_1`);
  await set(K.checkpoint(ids.stale, `ck_${tag}_1`), {
    id: `ck_${tag}_1`,
    swarmId: ids.stale,
    label: 'iteration 2',
    timestamp: now - 13 * MIN,
    state: { status: 'active', iteration: 2 },
  });
  keys.add(K.checkpointIndex(ids.stale));
  await client.zadd(K.checkpointIndex(ids.stale), now - 13 * MIN, `ck_${tag}_1`);
  await set(K.stateStats, { saves: 42, snapshots: 1, checkpoints: 1, recoveries: 0 });

  // Leader, task queue (newest pushed on the left), agents and routing failures.
  await set(K.leader, coord.stuck, 30);
  keys.add(K.taskQueue);
  for (const [i, age] of [7, 3, 1].entries())
    await client.lpush(
      K.taskQueue,
      JSON.stringify({ id: `task_${tag}_${i}`, task: `route task ${i}`, queuedAt: now - age * MIN, queuedBy: coord.stuck }),
    );
  keys.add(K.agents);
  await client.hset(
    K.agents,
    `coder-2-${tag}`,
    JSON.stringify({ id: `coder-2-${tag}`, type: 'coder', status: 'busy', load: 0.8 }),
    `tester-${tag}`,
    JSON.stringify({ id: `tester-${tag}`, type: 'tester', status: 'idle', load: 0 }),
  );
  keys.add(K.taskFailures);
  await client.lpush(
    K.taskFailures,
    JSON.stringify({
      taskId: `task_${tag}_9`,
      task: 'route review',
      error: `No agent available for capability "security-review"`,
      stack: 'Error: No agent available\n    at route (coordinator.js:88)',
      timestamp: now - 6 * MIN,
    }),
  );
  await set(K.coordinatorStats, { tasksRouted: 118, failures: 1 });

  return { ids, coord, keys: [...keys] };
}
