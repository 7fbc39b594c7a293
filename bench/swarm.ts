/**
 * One swarm of 1,000 agents heartbeating every second from one process: does it keep up,
 * what does a round cost, and how many Redis commands does a heartbeat take? The peer is
 * the cheapest heartbeat there is — a pipelined bare ZADD of the liveness deadline per agent —
 * on the same server.
 * Standalone and cluster. Prints one JSON line. Env: BENCH_AGENTS (1000), BENCH_SECONDS (10).
 */
import { Cluster, Redis } from 'ioredis';
import { SwarmRegistry } from '../src/main/features/swarms/swarm-registry';
import { percentile } from '../src/main/features/health/latency-window';
import type { RedisClient } from '../src/main/redis/client-options';
import { swarmKeys } from '../src/main/redis/keyspace';
import { nodeHandles } from '../src/main/redis/nodes';
import { parseInfo } from '../src/main/redis/info';
import { bed } from '../test/support/bed';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

async function commandsProcessed(client: RedisClient): Promise<number> {
  let total = 0;
  for (const node of nodeHandles(client, 'master')) total += Number(parseInfo(await node.client.info('stats')).total_commands_processed);
  return total;
}

/** Rounds once a second; returns round times (ms), rounds that overran the second, and commands per beat. */
async function drive(client: RedisClient, round: () => Promise<unknown>) {
  const times: number[] = [];
  let overran = 0;
  const before = await commandsProcessed(client);
  for (let s = 0; s < SECONDS; s += 1) {
    const started = performance.now();
    await round();
    const took = performance.now() - started;
    times.push(took);
    if (took > 1000) overran += 1;
    else await new Promise((r) => setTimeout(r, 1000 - took));
  }
  // INFO calls themselves count as one command per master per read.
  const commands = (await commandsProcessed(client)) - before - nodeHandles(client, 'master').length;
  const sorted = times.sort((a, b) => a - b);
  const r = (v: number | undefined) => Math.round((v ?? 0) * 100) / 100;
  return {
    roundP50Ms: r(percentile(sorted, 50)),
    roundMaxMs: r(sorted.at(-1)),
    overranRounds: overran,
    commandsPerHeartbeat: Math.round((commands / (AGENTS * SECONDS)) * 100) / 100,
  };
}

async function run(kind: 'standalone' | 'cluster') {
  const client: RedisClient =
    kind === 'standalone'
      ? new Redis(bed.standalone.port, '127.0.0.1')
      : new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }]);
  const registry = new SwarmRegistry(client);
  const id = `bench-${Date.now().toString(36)}`;
  await registry.create({ id, name: 'heartbeat bench', topology: 'mesh', strategy: 'quorum', maxAgents: AGENTS });
  const agents = Array.from({ length: AGENTS }, (_, i) => `agent-${i}`);
  for (const agent of agents) await registry.register(id, { id: agent, ttlMs: 5000 });
  const beats = agents.map((agentId, i) => ({ agentId, status: i % 3 === 0 ? ('busy' as const) : ('idle' as const) }));
  const swarmdeck = await drive(client, () => registry.heartbeatMany(id, beats));
  const view = await registry.view(id);
  // The same evidence our heartbeat leaves (the moment the agent stops counting as live), bare.
  const hb = swarmKeys('sd', id).heartbeats;
  const bare = await drive(client, () => {
    const p = client.pipeline();
    const deadline = Date.now() + 5000;
    for (const agent of agents) p.zadd(hb, deadline, agent);
    return p.exec();
  });
  client.disconnect();
  return {
    swarmdeck,
    bareZadd: bare,
    roundRatio: Math.round((swarmdeck.roundP50Ms / bare.roundP50Ms) * 100) / 100,
    liveAfter: view.liveAgents,
  };
}

const standalone = await run('standalone');
const cluster = await run('cluster');
console.log(JSON.stringify({ bench: 'swarm', agents: AGENTS, seconds: SECONDS, standalone, cluster }));
process.exit(0);
