import { describe, expect, it } from 'vitest';
import { SwarmdeckError } from '../../src/shared/errors';
import type { AppEvent } from '../../src/shared/events';
import type { JobView } from '../../src/shared/model/job';
import { EventBus } from '../../src/main/event-bus';
import { JobRegistry } from '../../src/main/features/jobs/job-registry';

function setup() {
  const bus = new EventBus();
  const seen: JobView[] = [];
  bus.subscribe((e: AppEvent) => {
    if (e.type === 'job') seen.push(e.job);
  });
  return { jobs: new JobRegistry(bus), seen };
}

describe('jobs', () => {
  it('streams progress, then its result, and the last event says done', async () => {
    const { jobs, seen } = setup();
    const job = jobs.start({
      kind: 'count',
      profileId: 'p',
      title: 'Counting',
      unit: 'keys',
      run: async ({ progress }) => {
        for (let i = 1; i <= 3; i += 1) progress({ done: i, total: 3 });
        return { counted: 3 };
      },
    });
    const done = await jobs.settled(job.id);
    expect(done).toMatchObject({ state: 'done', result: { counted: 3 }, progress: { done: 3, total: 3, unit: 'keys' } });
    expect(seen[0]?.state).toBe('running');
    expect(seen.at(-1)).toMatchObject({ id: job.id, state: 'done' });
  });

  it('cancels through the signal and reports cancelled, not failed', async () => {
    const { jobs } = setup();
    const job = jobs.start({
      kind: 'wait',
      profileId: 'p',
      title: 'Waiting',
      unit: 'ticks',
      run: ({ signal }) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(new SwarmdeckError('CONFLICT', 'cancelled')))),
    });
    jobs.cancel(job.id);
    expect((await jobs.settled(job.id)).state).toBe('cancelled');
  });

  it('keeps a failure as a typed error and refuses unknown ids', async () => {
    const { jobs } = setup();
    const job = jobs.start({
      kind: 'boom',
      profileId: 'p',
      title: 'Failing',
      unit: 'x',
      run: async () => {
        throw new SwarmdeckError('NOT_FOUND', 'no such backup');
      },
    });
    expect(await jobs.settled(job.id)).toMatchObject({ state: 'failed', error: { code: 'NOT_FOUND', message: 'no such backup' } });
    expect(() => jobs.get('job-nope')).toThrow(/No job/);
  });
});
