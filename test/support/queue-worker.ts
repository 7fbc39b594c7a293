/** A worker in its own process, for crash tests: takes one task, reports it, then hangs until killed. */
import { Cluster, Redis } from 'ioredis';
import { TaskQueue } from '../../src/main/features/queues/task-queue';

const [kind, port, queueName, leaseMs] = process.argv.slice(2) as [string, string, string, string];
const client = kind === 'cluster' ? new Cluster([{ host: '127.0.0.1', port: Number(port) }]) : new Redis(Number(port), '127.0.0.1');
const queue = new TaskQueue(client, queueName);
for (;;) {
  const { tasks } = await queue.take({ count: 1, leaseMs: Number(leaseMs), holder: `doomed-${process.pid}` });
  if (tasks[0]) {
    process.stdout.write(`took ${tasks[0].id}\n`);
    break;
  }
  await new Promise((r) => setTimeout(r, 20));
}
setInterval(() => undefined, 1 << 30);
