import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OpOutput } from '../../src/shared/contract';
import type { JobView } from '../../src/shared/model/job';
import { SwarmdeckError } from '../../src/shared/errors';
import { fakeTransport as main } from '../support/fake-transport';

vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
const { useAnalytics } = await import('../../src/renderer/src/features/analytics/analytics-store');
const { useJobs } = await import('../../src/renderer/src/app/jobs-store');

const job = (id: string): JobView => ({
  id,
  kind: 'analytics.report',
  profileId: 'p1',
  title: 'report',
  state: 'running',
  progress: { done: 0, unit: 'series' },
  startedAt: 1,
});

beforeEach(() => {
  main.reset();
  useJobs.setState({ jobs: {} });
});

describe('analytics store', () => {
  it('starts the report of the window asked for and tracks its job at once', async () => {
    main.answer('analytics.report', () => job('j1'));
    await expect(useAnalytics.getState().startReport('p1', 1000, 61_000)).resolves.toMatchObject({ id: 'j1' });
    expect(main.inputs('analytics.report')).toEqual([{ profileId: 'p1', from: 1000, to: 61_000 }]);
    expect(useJobs.getState().jobs.j1).toBeDefined();
  });

  it('lets a refused report reach the button and tracks no job', async () => {
    main.answer('analytics.report', () => {
      throw new SwarmdeckError('VALIDATION', 'the window is empty');
    });
    await expect(useAnalytics.getState().startReport('p1', 0, 0)).rejects.toThrow('the window is empty');
    expect(useJobs.getState().jobs).toEqual({});
  });

  it('reads the finished report’s HTML page', async () => {
    main.answer('analytics.reportResult', () => ({ report: {}, html: '<html>r</html>' }) as unknown as OpOutput<'analytics.reportResult'>);
    await expect(useAnalytics.getState().reportHtml('job-a-00000000')).resolves.toBe('<html>r</html>');
    expect(main.inputs('analytics.reportResult')).toEqual([{ jobId: 'job-a-00000000' }]);
  });
});
