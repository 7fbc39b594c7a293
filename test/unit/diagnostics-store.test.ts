import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DiagnosisReport } from '../../src/shared/model/diagnostics';
import type { JobView } from '../../src/shared/model/job';
import { SwarmdeckError } from '../../src/shared/errors';
import { fakeTransport as main } from '../support/fake-transport';

vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
const { useDiagnostics } = await import('../../src/renderer/src/features/diagnostics/diagnostics-store');
const { useJobs } = await import('../../src/renderer/src/app/jobs-store');

const job = (id: string): JobView => ({
  id,
  kind: 'diagnosis',
  profileId: 'p1',
  title: 'memory',
  state: 'running',
  progress: { done: 0, unit: 'keys' },
  startedAt: 1,
});
const report = (kind: DiagnosisReport['kind']): DiagnosisReport => ({ kind, profileId: 'p1', findings: [] }) as unknown as DiagnosisReport;
const initial = useDiagnostics.getState();

beforeEach(() => {
  main.reset();
  useDiagnostics.setState(initial, true);
  useJobs.setState({ jobs: {} });
});

describe('diagnostics store', () => {
  it('runs a diagnosis on the connection in view, tracks its job and shows it', async () => {
    main.answer('diagnostics.run', () => job('j1'));
    useDiagnostics.getState().forProfile('p1');
    await useDiagnostics.getState().run('memory', { maxKeys: 100 });
    expect(main.inputs('diagnostics.run')).toEqual([{ profileId: 'p1', kind: 'memory', options: { maxKeys: 100 } }]);
    expect(useDiagnostics.getState()).toMatchObject({ jobs: { memory: 'j1' }, shown: 'memory' });
    expect(useJobs.getState().jobs.j1).toBeDefined();
  });

  it('runs nothing with no connection in view', async () => {
    await useDiagnostics.getState().run('memory');
    expect(main.calls).toEqual([]);
  });

  it('lets a refused run reach the caller and shows what it showed before', async () => {
    main.answer('diagnostics.run', () => {
      throw new SwarmdeckError('DISCONNECTED', 'the connection is down');
    });
    useDiagnostics.getState().forProfile('p1');
    useDiagnostics.getState().show('clients');
    await expect(useDiagnostics.getState().run('memory')).rejects.toThrow('the connection is down');
    expect(useDiagnostics.getState()).toMatchObject({ jobs: {}, shown: 'clients' });
  });

  it('forgets another connection’s jobs, not the same one’s', async () => {
    main.answer('diagnostics.run', () => job('j1'));
    useDiagnostics.getState().forProfile('p1');
    await useDiagnostics.getState().run('memory');
    useDiagnostics.getState().forProfile('p1');
    expect(useDiagnostics.getState().jobs).toEqual({ memory: 'j1' });
    useDiagnostics.getState().forProfile('p2');
    expect(useDiagnostics.getState()).toMatchObject({ profileId: 'p2', jobs: {}, shown: undefined });
  });

  it('reads a report once and keeps it by job', async () => {
    main.answer('diagnostics.report', () => report('memory'));
    await useDiagnostics.getState().loadReport('j1');
    await useDiagnostics.getState().loadReport('j1');
    expect(main.inputs('diagnostics.report')).toEqual([{ jobId: 'j1' }]);
    expect(useDiagnostics.getState().reports.j1?.kind).toBe('memory');
    main.answer('diagnostics.report', () => {
      throw new SwarmdeckError('NOT_FOUND', 'no such job');
    });
    await expect(useDiagnostics.getState().loadReport('j2')).rejects.toThrow('no such job');
    expect(Object.keys(useDiagnostics.getState().reports)).toEqual(['j1']);
  });
});
