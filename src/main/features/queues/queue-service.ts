import { SwarmdeckError } from '../../../shared/errors';
import {
  QueueNameSchema,
  TRUNCATABLE_FIELDS,
  type EnqueueInput,
  type MinuteStats,
  type QueueAction,
  type QueueSummary,
  type StreamEntry,
  type TaskDetail,
  type TruncatableField,
} from '../../../shared/model/task';
import type { Session } from '../../redis/connection-manager';
import { queueRegistryKey } from '../../redis/keyspace';
import { toEntries } from '../../redis/stream-entries';
import { taskFromHash } from './task-hash';
import { TaskQueue, listQueues } from './task-queue';

/** A payload field bigger than this is left out of a page of tasks (a list shows no payload whole). */
const PAGE_FIELD_BYTES = 16 * 1024;
/** Payload bytes one page carries in all; past it the rest of the page comes without payloads. */
const PAGE_PAYLOAD_BYTES = 1024 * 1024;
/** The small fields of a task hash, always read; the payload fields are read by size. */
const TASK_FIELDS = [
  'state',
  'prio',
  'attempts',
  'maxAttempts',
  'requires',
  'createdAt',
  'readyAt',
  'runAt',
  'startedAt',
  'finishedAt',
  'holder',
];

/** The replies of a pipeline, or its first error. */
async function execAll(pipeline: ReturnType<Session['client']['pipeline']>): Promise<unknown[]> {
  const replies = (await pipeline.exec()) ?? [];
  const failed = replies.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
  return replies.map(([, value]) => value);
}

/** What the console does with queues: reads for the views, and audited operator actions. */
export class QueueService {
  async summaries(session: Session, minutes = 30): Promise<QueueSummary[]> {
    // A name another program put in the registry that no queue can have is skipped, not fatal to the list.
    const names = (await listQueues(session.client, session.profile.keyPrefix)).filter((name) => QueueNameSchema.safeParse(name).success);
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

  async tasks(
    session: Session,
    name: string,
    state: 'waiting' | 'delayed' | 'active' | 'finished' | 'dead',
    offset: number,
    limit: number,
  ): Promise<TaskDetail[]> {
    const q = await this.existing(session, name);
    // Finished and dead are scored by finish time: an operator reads them newest first, and the
    // pager's "Newer / Older" means just that. The other states keep their queue order.
    const ids =
      state === 'finished' || state === 'dead'
        ? await session.client.zrange(
            state === 'finished' ? q.keys.finished : q.keys.dead,
            offset,
            offset + Math.min(limit, 500) - 1,
            'REV',
          )
        : await q.list(state, offset, limit);
    return this.page(session, q, name, ids);
  }

  /**
   * A page of tasks whose bytes are bounded, not only its count: the sizes of the payload
   * fields are read first (HSTRLEN), and only those that fit are fetched. A whole-hash read
   * of 500 tasks of 512 KB was a 100 MB reply that Redis buffered per call (gigabytes under a
   * flood); the ones left out are named with their size, and `queues.task` reads them whole.
   */
  private async page(session: Session, q: TaskQueue, name: string, ids: string[]): Promise<TaskDetail[]> {
    if (ids.length === 0) return [];
    const sizing = session.client.pipeline();
    for (const id of ids) for (const field of TRUNCATABLE_FIELDS) sizing.hstrlen(q.keys.task(id), field);
    const sizes = (await execAll(sizing)) as number[];
    let budget = PAGE_PAYLOAD_BYTES;
    const plans = ids.map((id, i) => {
      const read: TruncatableField[] = [];
      const left: Partial<Record<TruncatableField, number>> = {};
      TRUNCATABLE_FIELDS.forEach((field, j) => {
        const bytes = sizes[i * TRUNCATABLE_FIELDS.length + j] ?? 0;
        if (bytes === 0) return;
        if (bytes <= PAGE_FIELD_BYTES && bytes <= budget) {
          read.push(field);
          budget -= bytes;
        } else {
          left[field] = bytes;
        }
      });
      return { id, fields: [...TASK_FIELDS, ...read], left };
    });
    const reading = session.client.pipeline();
    for (const plan of plans) reading.hmget(q.keys.task(plan.id), ...plan.fields);
    const rows = (await execAll(reading)) as (string | null)[][];
    return plans.flatMap((plan, i) => {
      const hash: Record<string, string> = {};
      plan.fields.forEach((field, j) => {
        const value = rows[i]?.[j];
        if (typeof value === 'string') hash[field] = value;
      });
      // Finished and removed between the list and the read: not part of this page any more.
      if (!hash.state) return [];
      const task = taskFromHash(plan.id, name, hash);
      return [Object.keys(plan.left).length > 0 ? { ...task, truncated: plan.left } : task];
    });
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
    return this.queue(session, name).enqueue(task);
  }

  /** Operator actions; dispatch has passed them through the guard its contract declares. */
  async act(
    session: Session,
    name: string,
    action: QueueAction,
    options: { id?: string; state?: 'waiting' | 'delayed' | 'finished' | 'dead' },
  ): Promise<{ affected: number }> {
    const q = await this.existing(session, name);
    const needId = (): string => {
      if (!options.id)
        throw new SwarmdeckError('VALIDATION', `"${action}" needs a task id`, { fields: [{ path: 'id', message: 'required' }] });
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
        if (!options.state)
          throw new SwarmdeckError('VALIDATION', 'purge needs a state', { fields: [{ path: 'state', message: 'required' }] });
        affected = await q.purge(options.state);
        break;
      case 'pause':
        await q.pause();
        break;
      case 'resume':
        await q.resume();
        break;
    }
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
