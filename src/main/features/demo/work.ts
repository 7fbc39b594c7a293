import { setTimeout as sleep } from 'node:timers/promises';
import type { TaskQueue } from '../queues/task-queue';
import { PermanentTaskError, Worker } from '../queues/worker';
import type { DemoSwarm } from './agents';
import type { DemoContext } from './context';
import { between, pick } from './random';

export const KINDS = ['plan', 'result', 'review', 'question', 'status'] as const;

/** The agents of every swarm take work from one queue; a task lands on an idle live agent. */
export function startWorker(ctx: DemoContext, queue: TaskQueue, swarms: DemoSwarm[]): Worker {
  const worker = new Worker(
    queue,
    ctx.client,
    async (task, run) => {
      const free = swarms
        .filter((s) => s.status === 'running')
        .flatMap((s) => s.agents.filter((a) => !a.crashed && a.status === 'idle' && a.behaviour !== 'confused' && a.role === 'worker'));
      const agent = free.length > 0 ? pick(free) : undefined;
      if (agent) Object.assign(agent, { status: 'busy', task: task.id, load: between(0.5, 1) });
      try {
        await sleep(between(400, 2500), undefined, { signal: run.signal });
        if ((task.data as { flaky?: boolean }).flaky && Math.random() < 0.6) throw new Error('upstream model timed out');
        if ((task.data as { poison?: boolean }).poison) throw new PermanentTaskError('input document is corrupt');
        return { by: agent?.id ?? 'overflow' };
      } finally {
        if (agent && agent.task === task.id) Object.assign(agent, { status: 'idle', task: undefined, load: between(0, 0.2) });
      }
    },
    { concurrency: Math.min(32, Math.max(2, Math.floor(ctx.report.agents / 3))), leaseMs: 10_000, holder: `demo-${ctx.run}` },
  );
  worker.on('completed', () => (ctx.report.tasksCompleted += 1));
  worker.on('failed', () => (ctx.report.tasksFailed += 1));
  worker.on('error', () => undefined);
  return worker.start();
}

/** One round of new work, some of it flaky (retried) and a little poisoned (dead-lettered). */
export async function enqueueRound(queue: TaskQueue, swarmCount: number): Promise<void> {
  const n = Math.max(1, Math.round(swarmCount * 1.5));
  await queue.enqueueMany(
    Array.from({ length: n }, (_, i) => ({
      data: { step: pick(KINDS), n: i, flaky: Math.random() < 0.15, poison: Math.random() < 0.02 },
      priority: pick(['critical', 'high', 'normal', 'normal', 'low'] as const),
      maxAttempts: 3,
      backoffMs: 500,
    })),
  );
}
