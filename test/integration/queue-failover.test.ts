import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TaskQueue } from '../../src/main/features/queues/task-queue';
import { Worker } from '../../src/main/features/queues/worker';
import { parseClusterNodes } from '../../src/main/redis/info';
import { bed, BED_DIR, ROOT } from '../support/bed';

const bedDir = BED_DIR;
const TASKS = 5000;

describe('queue through a cluster failover', () => {
  const client = new Cluster([{ host: '127.0.0.1', port: bed.cluster.ports[0] as number }], {
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    redisOptions: { maxRetriesPerRequest: 3 },
  });
  afterAll(() => {
    client.disconnect();
    execFileSync(process.execPath, [join(ROOT, 'scripts/test-redis.mjs'), 'start'], { stdio: 'inherit' });
  });

  it('loses no task when the master of the queue slot dies mid-flow', async () => {
    const q = new TaskQueue(client, `failover-${Date.now().toString(36)}`, { keepFinished: TASKS * 2 });
    await q.enqueueMany(Array.from({ length: TASKS }, (_, i) => ({ id: `t${i}`, data: i, maxAttempts: 10, backoffMs: 50 })));
    // Make sure the replica has every task before its master dies.
    const slot = Number(await client.cluster('KEYSLOT', q.keys.meta));
    const nodes = parseClusterNodes(String(await client.cluster('NODES')));
    const owner = nodes.find(
      (n) =>
        n.flags.includes('master') &&
        n.slots.some((r) => {
          const [a, b] = r.split('-').map(Number);
          return slot >= (a as number) && slot <= (b ?? (a as number));
        }),
    );
    expect(owner).toBeDefined();
    const ownerClient = client.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === owner?.address);
    await ownerClient?.call('WAIT', '1', '2000');

    const runs = new Map<string, number>();
    const workers = [1, 2, 3, 4].map((n) =>
      new Worker(
        q,
        client,
        async (task) => {
          runs.set(task.id, (runs.get(task.id) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 2));
          return task.data;
        },
        { concurrency: 8, leaseMs: 3000, idleMs: 200, holder: `w${n}` },
      )
        .on('error', () => undefined)
        .start(),
    );
    await expect.poll(() => runs.size, { timeout: 20_000 }).toBeGreaterThan(TASKS / 5);
    const pid = Number(readFileSync(join(bedDir, `cluster-${owner?.address.split(':')[1]}`, 'redis.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');

    await expect
      .poll(
        async () => {
          const c = await q.counts().catch(() => undefined);
          return c ? c.waiting + c.delayed + c.active : -1;
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBe(0);
    await Promise.all(workers.map((w) => w.close()));

    const states = new Map<string, number>();
    const noReason: string[] = [];
    for (let i = 0; i < TASKS; i += 1) {
      const t = await q.task(`t${i}`);
      states.set(t.state, (states.get(t.state) ?? 0) + 1);
      if (t.state === 'dead' && !t.error) noReason.push(t.id);
    }
    const reran = [...runs.values()].filter((n) => n > 1).length;
    console.log(
      `[queue failover] ${JSON.stringify({ tasks: TASKS, states: Object.fromEntries(states), handlerRanTwiceOrMore: reran, killed: owner?.address })}`,
    );
    expect((states.get('completed') ?? 0) + (states.get('dead') ?? 0)).toBe(TASKS);
    expect(noReason).toEqual([]);
    expect(runs.size).toBe(TASKS);
  }, 120_000);
});
