import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackupSummary, RestoreRecord } from '../../src/shared/model/backup';
import type { JobView } from '../../src/shared/model/job';
import { SwarmdeckError } from '../../src/shared/errors';
import { fakeTransport as main } from '../support/fake-transport';

vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
const { useBackups } = await import('../../src/renderer/src/features/backup/backups-store');
const { useJobs } = await import('../../src/renderer/src/app/jobs-store');

// Only the fields the store reads; the rest of a summary is the page's business.
const backup = (id: string, createdAt: string): BackupSummary => ({ id, profileId: 'p1', createdAt }) as BackupSummary;
const restore = (restoreId: string, createdAt: string): RestoreRecord => ({ restoreId, createdAt, state: 'completed' }) as RestoreRecord;
const job = (id: string): JobView => ({
  id,
  kind: 'backup',
  profileId: 'p1',
  title: 'backup',
  state: 'running',
  progress: { done: 0, unit: 'keys' },
  startedAt: 1,
});
const initial = useBackups.getState();

beforeEach(() => {
  main.reset();
  useBackups.setState(initial, true);
  useJobs.setState({ jobs: {} });
});

describe('backups store', () => {
  it('is loading until the first answer, then holds each profile’s backups newest first', async () => {
    main.answer('backup.list', ({ profileId }) =>
      profileId === 'p1'
        ? [backup('old', '2026-01-01T00:00:00Z'), backup('new', '2026-03-01T00:00:00Z'), backup('mid', '2026-02-01T00:00:00Z')]
        : [],
    );
    expect(useBackups.getState().lists.p1).toBeUndefined();
    await useBackups.getState().load('p1');
    await useBackups.getState().load('p2');
    expect(main.inputs('backup.list')).toEqual([{ profileId: 'p1' }, { profileId: 'p2' }]);
    expect(useBackups.getState().lists.p1?.map((b) => b.id)).toEqual(['new', 'mid', 'old']);
    expect(useBackups.getState().lists.p2).toEqual([]);
  });

  it('lets a failed read reach the caller and keeps the list it had', async () => {
    main.answer('backup.list', () => [backup('a', '2026-01-01T00:00:00Z')]);
    await useBackups.getState().load('p1');
    main.answer('backup.list', () => {
      throw new SwarmdeckError('DISCONNECTED', 'the connection is down');
    });
    await expect(useBackups.getState().load('p1')).rejects.toThrow('the connection is down');
    expect(useBackups.getState().lists.p1?.map((b) => b.id)).toEqual(['a']);
  });

  it('holds each profile’s past restores newest first', async () => {
    main.answer('backup.restores', () => [restore('r1', '2026-01-01T00:00:00Z'), restore('r2', '2026-01-02T00:00:00Z')]);
    await useBackups.getState().loadRestores('p1');
    expect(main.inputs('backup.restores')).toEqual([{ profileId: 'p1' }]);
    expect(useBackups.getState().restores.p1?.map((r) => r.restoreId)).toEqual(['r2', 'r1']);
    main.answer('backup.restores', () => {
      throw new SwarmdeckError('DISCONNECTED', 'down');
    });
    await expect(useBackups.getState().loadRestores('p1')).rejects.toThrow('down');
    expect(useBackups.getState().restores.p1).toHaveLength(2);
  });

  it('remembers the job main started and shows it before its first pushed event', () => {
    useBackups.getState().setBackupJob('p1', job('j1'));
    useBackups.getState().setVerifyJob('b1', job('j2'));
    expect(useBackups.getState().backupJob).toEqual({ p1: 'j1' });
    expect(useBackups.getState().verifyJobs).toEqual({ b1: 'j2' });
    expect(Object.keys(useJobs.getState().jobs)).toEqual(['j1', 'j2']);
  });
});
