import type { AttemptRecord, TaskDetail, TaskState } from '../../../shared/model/task';
import { optionalNumber as num } from '../../redis/info';

/** A payload, result or progress as stored: JSON when it parses, else the text itself. */
export function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A task as its hash stores it; fields a caller did not read come back absent. */
export function taskFromHash(id: string, queue: string, h: Record<string, string | undefined>): TaskDetail {
  return {
    id,
    queue,
    state: h.state as TaskState,
    data: parseJson(h.data),
    priority: Number(h.prio),
    attempts: Number(h.attempts),
    maxAttempts: Number(h.maxAttempts),
    requires: h.requires ? h.requires.split(',') : [],
    createdAt: Number(h.createdAt),
    readyAt: num(h.readyAt),
    runAt: num(h.runAt),
    startedAt: num(h.startedAt),
    finishedAt: num(h.finishedAt),
    holder: h.holder,
    progress: parseJson(h.progress),
    result: parseJson(h.result),
    error: h.error,
    history: (parseJson(h.history) as AttemptRecord[] | undefined) ?? [],
  };
}
