import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobView } from '../../src/shared/model/job';
import { fakeTransport as main } from '../support/fake-transport';

vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
const { useJobs } = await import('../../src/renderer/src/app/jobs-store');

const job = (id: string, state: JobView['state'], done = 0): JobView => ({
  id,
  kind: 'backup',
  profileId: 'p1',
  title: 'backup',
  state,
  progress: { done, unit: 'keys' },
  startedAt: 1,
});

beforeEach(() => {
  main.reset();
  useJobs.setState({ jobs: {} });
});

describe('jobs store', () => {
  it('keeps the newest pushed view of each job', () => {
    useJobs.getState().apply(job('j1', 'running', 1));
    useJobs.getState().apply(job('j2', 'running'));
    useJobs.getState().apply(job('j1', 'done', 9));
    expect(useJobs.getState().jobs.j1).toMatchObject({ state: 'done', progress: { done: 9 } });
    expect(Object.keys(useJobs.getState().jobs)).toEqual(['j1', 'j2']);
  });

  it('cancels through main and keeps what it answers over what was pushed', async () => {
    useJobs.getState().apply(job('j1', 'running', 4));
    main.answer('jobs.cancel', () => job('j1', 'cancelled', 5));
    await useJobs.getState().cancel('j1');
    expect(main.inputs('jobs.cancel')).toEqual([{ jobId: 'j1' }]);
    expect(useJobs.getState().jobs.j1).toMatchObject({ state: 'cancelled', progress: { done: 5 } });
  });
});
