import { afterAll, describe, expect, it } from 'vitest';
import { applyRecovery, scanRecovery, type RecoveryFinding } from '../../src/main/features/backup/recovery';
import { TaskQueue } from '../../src/main/features/queues/task-queue';
import { SwarmRegistry } from '../../src/main/features/swarms/swarm-registry';
import type { RedisClient } from '../../src/main/redis/client-options';
import { queueKeys, swarmKeys } from '../../src/main/redis/keyspace';
import type { Clock } from '../../src/shared/clock';
import { redisTargets } from '../support/bed';
import { keysUnder } from './backup-seed';

const run = Date.now().toString(36);
const targets = redisTargets({ maxRetriesPerRequest: 1 });
const clients: RedisClient[] = [];
afterAll(() => clients.forEach((c) => c.disconnect()));

/** A clock ten minutes behind: leases and heartbeats stamped with it have already run out. */
const past: Clock = { now: () => Date.now() - 10 * 60_000 };
const swarmInput = (id: string) => ({ id, name: id, topology: 'mesh' as const, strategy: 'quorum' as const, maxAgents: 10 });

const summary = (f: RecoveryFinding) =>
  `${f.kind} ${'queue' in f ? `${f.queue}/${f.taskId}` : 'agentId' in f ? `${f.swarmId}/${f.agentId}` : f.swarmId}`;

/** Every key under the prefix with its DUMP, to prove what apply changed and what it did not. */
async function snapshot(c: RedisClient, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of await keysUnder(c, prefix)) out.set(key.toString(), ((await c.dumpBuffer(key)) ?? Buffer.alloc(0)).toString('hex'));
  return out;
}

describe.each(targets)('recovery on %s', (kind, connect) => {
  it('finds each broken condition built with the SDK, fixes each, and touches nothing else', async () => {
    const c = connect();
    clients.push(c);
    const prefix = `rec-${run}-${kind}`;

    // Leases: one whose holder died, one held by a live worker, one expired but whose holder is alive elsewhere.
    const jobs = new TaskQueue(c, 'jobs', { prefix, clock: past });
    await jobs.enqueue({ id: 'crashed', data: 1 });
    await jobs.take({ count: 1, leaseMs: 1000, holder: 'dead-worker' });
    const busy = new TaskQueue(c, 'busy', { prefix, clock: past });
    await busy.enqueue({ id: 'slow', data: 2 });
    await busy.take({ count: 1, leaseMs: 1000, holder: 'busy-worker' });
    const live = new TaskQueue(c, 'other', { prefix });
    await live.enqueue({ id: 'held', data: 3 });
    await live.take({ count: 1, leaseMs: 3_600_000, holder: 'busy-worker' });
    // An orphan: a task hash that fell out of every state set (as after a partial restore).
    await jobs.enqueue({ id: 'lost', data: 4 });
    await c.zrem(queueKeys(prefix, 'jobs').wait, 'lost');
    await jobs.enqueue({ id: 'fine', data: 5 });

    // Swarms: one running whose agents all went silent, one running with a live agent, one paused and silent, one brand new.
    const old = new SwarmRegistry(c, prefix, { clock: past });
    const now = new SwarmRegistry(c, prefix);
    await old.create(swarmInput('silent'));
    await old.register('silent', { id: 'a1', ttlMs: 1000 });
    await old.heartbeat('silent', { agentId: 'a1' });
    await old.create(swarmInput('alive'));
    await now.register('alive', { id: 'b1', ttlMs: 3_600_000 });
    await now.heartbeat('alive', { agentId: 'b1' });
    await old.create(swarmInput('paused'));
    await old.setStatus('paused', 'paused');
    await now.create(swarmInput('fresh'));
    // A swarm whose own hash is gone, leaving its roster and agents behind.
    await now.create(swarmInput('gone'));
    await now.register('gone', { id: 'g1' });
    await now.register('gone', { id: 'g2' });
    await now.heartbeat('gone', { agentId: 'g1' });
    await c.del(swarmKeys(prefix, 'gone').swarm);
    // An agent hash whose agent is no longer in the roster.
    await now.register('alive', { id: 'ghost' });
    await c.zrem(swarmKeys(prefix, 'alive').agents, 'ghost');

    const plan = await scanRecovery(c, prefix);
    expect(plan.findings.map(summary).sort()).toEqual([
      'expired-lease jobs/crashed',
      'idle-swarm silent',
      'missing-swarm gone',
      'orphan-task jobs/lost',
      'unknown-agent alive/ghost',
    ]);
    const byKind = Object.fromEntries(plan.findings.map((f) => [f.kind, f]));
    expect(byKind['expired-lease']).toMatchObject({ holder: 'dead-worker', attempts: 1, maxAttempts: 3 });
    expect(byKind['expired-lease']?.evidence).toMatch(/holder dead-worker holds no live lease in any queue and is no live agent/);
    expect(byKind['idle-swarm']).toMatchObject({ agents: 1 });
    expect(byKind['idle-swarm']?.evidence).toMatch(
      /status running, 1 registered agent\(s\), none live; the last stopped counting as live at/,
    );
    expect(byKind['missing-swarm']).toMatchObject({ agentIds: ['g1', 'g2'] });
    expect(byKind['orphan-task']?.evidence).toBe('task hash says waiting but the task is in none of wait, delayed, active, finished, dead');

    const before = await snapshot(c, prefix);
    const report = await applyRecovery(c, prefix, plan);
    expect(report.items.map((i) => `${summary(i.finding)}: ${i.outcome} ${i.detail}`).sort()).toEqual([
      'expired-lease jobs/crashed: fixed waiting',
      'idle-swarm silent: fixed stopped',
      `missing-swarm gone: fixed ${(byKind['missing-swarm'] as { keys: string[] }).keys.length} key(s) deleted`,
      'orphan-task jobs/lost: fixed deleted',
      'unknown-agent alive/ghost: fixed deleted',
    ]);

    // Each fix, seen through the SDK.
    expect((await jobs.task('crashed')).state).toBe('waiting');
    expect((await old.view('silent')).status).toBe('stopped');
    expect(await keysUnder(c, swarmKeys(prefix, 'gone').base)).toEqual([]);
    expect(await c.exists(swarmKeys(prefix, 'alive').agent('ghost'))).toBe(0);
    expect(await c.exists(queueKeys(prefix, 'jobs').task('lost'))).toBe(0);

    // Nothing else: every key that changed belongs to a listed finding.
    const after = await snapshot(c, prefix);
    const changed = [...before].filter(([key, dump]) => after.get(key) !== dump).map(([key]) => key);
    const q = queueKeys(prefix, 'jobs');
    const allowed = new Set([
      q.meta,
      q.wait,
      q.active,
      q.events,
      q.wake,
      q.task('crashed'),
      q.task('lost'),
      swarmKeys(prefix, 'silent').swarm,
      swarmKeys(prefix, 'silent').events,
      swarmKeys(prefix, 'alive').agent('ghost'),
      ...(byKind['missing-swarm'] as { keys: string[] }).keys,
    ]);
    expect(changed.filter((key) => !allowed.has(key) && !key.startsWith(`${q.pattern.slice(0, -1)}m:`))).toEqual([]);
    expect((await busy.task('slow')).state).toBe('active');
    expect((await live.task('held')).state).toBe('active');
    expect((await now.view('alive')).status).toBe('running');
    expect((await old.view('paused')).status).toBe('paused');
    expect((await now.view('fresh')).status).toBe('running');

    // The same plan again: every condition is gone, so every fix is skipped with its reason.
    const again = await applyRecovery(c, prefix, plan);
    expect(again.items.map((i) => `${summary(i.finding)}: ${i.outcome} ${i.detail}`).sort()).toEqual([
      'expired-lease jobs/crashed: skipped the task is no longer active',
      'idle-swarm silent: skipped the swarm is stopped',
      'missing-swarm gone: fixed 0 key(s) deleted',
      'orphan-task jobs/lost: skipped the task hash is already gone',
      'unknown-agent alive/ghost: skipped the agent hash is already gone',
    ]);
    expect((await scanRecovery(c, prefix)).findings).toEqual([]);
  });

  it('refuses a plan made for another prefix and never deletes keys a plan names outside its swarm', async () => {
    const c = connect();
    clients.push(c);
    const prefix = `rec2-${run}-${kind}`;
    const victim = queueKeys(prefix, 'keep').meta;
    await c.hset(victim, 'x', '1');
    await expect(applyRecovery(c, 'other', { prefix, scannedAt: 0, findings: [] })).rejects.toThrow(/made for prefix/);
    const report = await applyRecovery(c, prefix, {
      prefix,
      scannedAt: 0,
      findings: [{ kind: 'missing-swarm', swarmId: 'nope', keys: [victim], agentIds: [], evidence: 'forged' }],
    });
    expect(report.failed).toBe(1);
    expect(report.items[0]?.detail).toMatch(/not swarm nope's/);
    expect(await c.hget(victim, 'x')).toBe('1');
  });
});
