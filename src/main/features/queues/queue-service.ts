import { SwarmdeckError } from '../../../shared/errors';
import { enforceGuard } from '../../../shared/guards';
import type { EnqueueInput, MinuteStats, QueueAction, QueueSummary, StreamEntry, TaskDetail } from '../../../shared/model/task';
import type { Session } from '../../redis/connection-manager';
import { queueRegistryKey } from '../../redis/keyspace';
import { recordAudit } from '../audit/audit';
import { toEntries } from '../../redis/stream-entries';
import { TaskQueue, listQueues } from './task-queue';

/** What the console does with queues: reads for the views, and audited operator actions. */
export class QueueService {
  async summaries(session: Session, minutes = 30): Promise<QueueSummary[]> {
    const names = await listQueues(session.client, session.profile.keyPrefix);
    return Promise.all(names.map((name) => this.summary(session, name, minutes)));
  }

  async summary(session: Session, name: string, minutes = 30): Promise<QueueSummary> {
    const q = await this.existing(session, name);
    const [counts, series] = await Promise.all([q.counts(), this.minutes(session, q, minutes)]);
    return { name, counts, minutes: series };
  }

  private async minutes(session: Session, q: TaskQueue, count: number): Promise<MinuteStats[]> {
    const now = Math.floor(Date.now() / 60_000);
    const pipeline = session.client.pipeline();
    for (let m = now - count + 1; m <= now; m += 1) pipeline.hgetall(q.keys.stats(m));
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([, value], i) => {
      const h = (value ?? {}) as Record<string, string>;
      const n = (f: string): number => Number(h[f] ?? 0);
      const taken = n('taken');
      const completed = n('completed');
      return {
        at: (now - count + 1 + i) * 60_000,
        enqueued: n('enqueued'),
        completed,
        failed: n('failed'),
        dead: n('dead'),
        ...(taken > 0 ? { waitMsAvg: n('waitMs') / taken } : {}),
        ...(completed > 0 ? { processMsAvg: n('processMs') / completed } : {}),
      };
    });
  }

  async tasks(session: Session, name: string, state: 'waiting' | 'delayed' | 'active' | 'finished' | 'dead', offset: number, limit: number): Promise<TaskDetail[]> {
    const q = await this.existing(session, name);
    const ids = await q.list(state, offset, limit);
    const found = await Promise.all(ids.map((id) => q.task(id).catch(() => undefined)));
    return found.filter((t): t is TaskDetail => t !== undefined);
  }

  async task(session: Session, name: string, id: string): Promise<TaskDetail> {
    return (await this.existing(session, name)).task(id);
  }

  /** The newest transitions of a queue, newest first. */
  async events(session: Session, name: string, count: number): Promise<StreamEntry[]> {
    const q = await this.existing(session, name);
    return toEntries(await session.client.xrevrange(q.keys.events, '+', '-', 'COUNT', count));
  }

  async enqueue(session: Session, name: string, task: EnqueueInput): Promise<{ id: string; state: 'waiting' | 'delayed' }> {
    const created = await this.queue(session, name).enqueue(task);
    await recordAudit(session, 'queue.enqueue', name, created.id);
    return created;
  }

  /** Operator actions, each passed through the shared guard before any Redis command is sent. */
  async act(session: Session, name: string, action: QueueAction, options: { id?: string; state?: 'waiting' | 'delayed' | 'finished' | 'dead'; confirm?: string }): Promise<{ affected: number }> {
    enforceGuard(session.profile, `queue.${action}`, { name }, options.confirm);
    const q = await this.existing(session, name);
    const needId = (): string => {
      if (!options.id) throw new SwarmdeckError('VALIDATION', `"${action}" needs a task id`, { fields: [{ path: 'id', message: 'required' }] });
      return options.id;
    };
    let affected = 1;
    switch (action) {
      case 'retry':
        await q.retry(needId());
        break;
      case 'promote':
        await q.promote(needId());
        break;
      case 'cancel':
        await q.cancel(needId());
        break;
      case 'retryAll':
        affected = await q.retryAllDead();
        break;
      case 'purge':
        if (!options.state) throw new SwarmdeckError('VALIDATION', 'purge needs a state', { fields: [{ path: 'state', message: 'required' }] });
        affected = await q.purge(options.state);
        break;
      case 'pause':
        await q.pause();
        break;
      case 'resume':
        await q.resume();
        break;
    }
    await recordAudit(session, `queue.${action}`, name, options.id ?? options.state ?? '', affected);
    return { affected };
  }

  /** Reads and actions name a queue that exists; only enqueueing creates one. */
  private async existing(session: Session, name: string): Promise<TaskQueue> {
    const known = await session.client.sismember(queueRegistryKey(session.profile.keyPrefix), name);
    if (!known) throw new SwarmdeckError('NOT_FOUND', `No queue named "${name}" under prefix ${session.profile.keyPrefix}`);
    return this.queue(session, name);
  }

  private queue(session: Session, name: string): TaskQueue {
    return new TaskQueue(session.client, name, { prefix: session.profile.keyPrefix });
  }

}
