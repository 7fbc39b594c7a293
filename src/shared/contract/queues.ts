import { z } from 'zod';
import {
  EnqueueSchema,
  PURGEABLE,
  QUEUE_ACTIONS,
  QueueNameSchema,
  type QueueSummary,
  type StreamEntry,
  type TaskDetail,
} from '../model/task';
import { ByProfile, Confirm, ProfileId, op } from './op';

const ByQueue = { profileId: ProfileId, queue: QueueNameSchema };

export const queuesContract = {
  'queues.list': op<QueueSummary[]>()(ByProfile),
  'queues.summary': op<QueueSummary>()(z.strictObject({ ...ByQueue, minutes: z.number().int().min(1).max(120).optional() })),
  'queues.tasks': op<TaskDetail[]>()(
    z.strictObject({
      ...ByQueue,
      state: z.enum(['waiting', 'delayed', 'active', 'finished', 'dead']),
      offset: z.number().int().min(0).max(10_000_000),
      limit: z.number().int().min(1).max(500),
    }),
  ),
  'queues.task': op<TaskDetail>()(z.strictObject({ ...ByQueue, id: z.string().min(1).max(128) })),
  'queues.events': op<StreamEntry[]>()(z.strictObject({ ...ByQueue, count: z.number().int().min(1).max(500) })),
  'queues.enqueue': op<{ id: string; state: 'waiting' | 'delayed' }>()(
    z.strictObject({ ...ByQueue, task: EnqueueSchema }),
    { effect: 'write', audit: ({ queue }, created) => ({ action: 'queue.enqueue', target: queue, detail: created.id }) },
    // A queue stores payloads up to 512 KB of JSON; the rest of the task is a few fields.
    512 * 1024 + 4096,
  ),
  'queues.action': op<{ affected: number }>()(
    z.strictObject({
      ...ByQueue,
      action: z.enum(QUEUE_ACTIONS),
      id: z.string().min(1).max(128).optional(),
      state: z.enum(PURGEABLE).optional(),
      confirm: Confirm,
    }),
    {
      effect: 'write',
      guard: ({ queue, action }) => ({ action: `queue.${action}`, target: queue }),
      audit: ({ queue, action, id, state }, { affected }) => ({
        action: `queue.${action}`,
        target: queue,
        detail: id ?? state ?? '',
        affected,
      }),
    },
  ),
} as const;
