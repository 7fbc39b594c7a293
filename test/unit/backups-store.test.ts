import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackupSummary, RestoreRecord, RetentionPlanView, ScheduleStatus } from '../../src/shared/model/backup';
import type { JobView } from '../../src/shared/model/job';
import { SwarmdeckError } from '../../src/shared/errors';
import { fakeTransport as main } from '../support/fake-transport';

vi.mock('../../src/renderer/src/transport', async () => ({ transport: (await import('../support/fake-transport')).fakeTransport }));
const { useBackups, samePolicy } = await import('../../src/renderer/src/features/backup/backups-store');
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

describe('backups store: schedule and retention', () => {
  const status = (everyMs: number | null): ScheduleStatus =>
    ({
      schedule: everyMs === null ? null : { kind: 'interval', everyMs },
      runner: null,
      lastRun: null,
      lastResult: null,
      nextRun: null,
      missed: 0,
    }) as ScheduleStatus;
  const policy = { daily: 7, weekly: 4, monthly: 12, timeZone: 'UTC' };
  const plan = (remove: string[]): RetentionPlanView => ({
    keep: [],
    remove: remove.map((backupId) => ({ backupId, series: 'daily', reason: 'old' })),
  });

  it('holds each profile’s schedule as read, and resolves to it so a form can be filled', async () => {
    main.answer('backup.schedule.status', ({ profileId }) => status(profileId === 'p1' ? 3_600_000 : null));
    expect(useBackups.getState().schedules.p1).toBeUndefined();
    await expect(useBackups.getState().loadSchedule('p1')).resolves.toMatchObject({ schedule: { everyMs: 3_600_000 } });
    await useBackups.getState().loadSchedule('p2');
    expect(useBackups.getState().schedules.p1?.schedule).toEqual({ kind: 'interval', everyMs: 3_600_000 });
    expect(useBackups.getState().schedules.p2?.schedule).toBeNull();
  });

  it('holds what main answers to a new schedule or a removal, with the confirmation typed', async () => {
    main.answer('backup.schedule.set', ({ schedule }) => status(schedule?.kind === 'interval' ? schedule.everyMs : null));
    await useBackups.getState().setSchedule('p1', { kind: 'interval', everyMs: 7_200_000 });
    expect(useBackups.getState().schedules.p1?.schedule).toEqual({ kind: 'interval', everyMs: 7_200_000 });
    await useBackups.getState().setSchedule('p1', null, 'prod');
    expect(main.inputs('backup.schedule.set')).toEqual([
      { profileId: 'p1', schedule: { kind: 'interval', everyMs: 7_200_000 } },
      { profileId: 'p1', schedule: null, confirm: 'prod' },
    ]);
    expect(useBackups.getState().schedules.p1?.schedule).toBeNull();
  });

  it('lets a refused schedule reach the caller and keeps the one it had', async () => {
    main.answer('backup.schedule.status', () => status(3_600_000));
    await useBackups.getState().loadSchedule('p1');
    main.answer('backup.schedule.set', () => {
      throw new SwarmdeckError('CONFIRMATION_REQUIRED', 'type the profile name');
    });
    await expect(useBackups.getState().setSchedule('p1', null)).rejects.toThrow('type the profile name');
    expect(useBackups.getState().schedules.p1?.schedule).toEqual({ kind: 'interval', everyMs: 3_600_000 });
  });

  it('holds a retention preview with the policy it was made for, and keeps it when the next preview fails', async () => {
    main.answer('backup.retention.preview', () => plan(['b1']));
    await useBackups.getState().previewRetention('p1', policy);
    expect(main.inputs('backup.retention.preview')).toEqual([{ profileId: 'p1', policy }]);
    expect(useBackups.getState().retention.p1).toEqual({ policy, plan: plan(['b1']) });
    main.answer('backup.retention.preview', () => {
      throw new SwarmdeckError('DISCONNECTED', 'down');
    });
    await expect(useBackups.getState().previewRetention('p1', { ...policy, daily: 1 })).rejects.toThrow('down');
    expect(useBackups.getState().retention.p1?.policy).toEqual(policy);
  });

  it('tells one policy from another by every rule and the time zone', () => {
    expect(samePolicy(policy, { ...policy })).toBe(true);
    for (const other of [{ daily: 8 }, { weekly: 5 }, { monthly: 1 }, { timeZone: 'Europe/Paris' }])
      expect(samePolicy(policy, { ...policy, ...other })).toBe(false);
  });
});

describe('backups store: actions', () => {
  it('starts a backup and shows its job at once', async () => {
    main.answer('backup.start', () => job('j1'));
    await useBackups.getState().start({ profileId: 'p1', scope: { kind: 'all' }, format: 'rdb', swarmId: 's1' });
    expect(main.inputs('backup.start')).toEqual([{ profileId: 'p1', scope: { kind: 'all' }, format: 'rdb', swarmId: 's1' }]);
    expect(useBackups.getState().backupJob.p1).toBe('j1');
    expect(useJobs.getState().jobs.j1).toBeDefined();
  });

  it('lets a refused start reach the caller and tracks no job', async () => {
    main.answer('backup.start', () => {
      throw new SwarmdeckError('DISCONNECTED', 'the connection is down');
    });
    await expect(useBackups.getState().start({ profileId: 'p1' })).rejects.toThrow('the connection is down');
    expect(useBackups.getState().backupJob).toEqual({});
    expect(useJobs.getState().jobs).toEqual({});
  });

  it('verifies one backup, with or without a test restore, and shows the job on its row', async () => {
    main.answer('backup.verify', () => job('j2'));
    await useBackups.getState().verify('p1', 'b1', true);
    expect(main.inputs('backup.verify')).toEqual([{ profileId: 'p1', backupId: 'b1', testRestore: true }]);
    expect(useBackups.getState().verifyJobs).toEqual({ b1: 'j2' });
  });

  it('deletes, prunes and applies recovery with the confirmation typed, and only then', async () => {
    main.answer('backup.delete', ({ backupId }) => ({ deleted: backupId }));
    main.answer('backup.retention.apply', () => ({ removed: ['b1', 'b2'] }));
    main.answer('backup.recovery.apply', () => ({ applied: 2, skipped: 0, failed: [] }));
    await useBackups.getState().remove('p1', 'b1');
    await useBackups.getState().remove('p1', 'b2', 'prod');
    const policy = { daily: 1, weekly: 0, monthly: 0 };
    await expect(useBackups.getState().prune('p1', policy, 'prod')).resolves.toEqual(['b1', 'b2']);
    await expect(useBackups.getState().applyRecovery('p1')).resolves.toMatchObject({ applied: 2 });
    expect(main.inputs('backup.delete')).toEqual([
      { profileId: 'p1', backupId: 'b1' },
      { profileId: 'p1', backupId: 'b2', confirm: 'prod' },
    ]);
    expect(main.inputs('backup.retention.apply')).toEqual([{ profileId: 'p1', policy, confirm: 'prod' }]);
    expect(main.inputs('backup.recovery.apply')).toEqual([{ profileId: 'p1' }]);
  });

  it('lets a refused delete reach the caller', async () => {
    main.answer('backup.delete', () => {
      throw new SwarmdeckError('CONFIRMATION_REQUIRED', 'type the profile name');
    });
    await expect(useBackups.getState().remove('p1', 'b1')).rejects.toThrow('type the profile name');
  });

  it('scans for recovery and hands the plan to the page', async () => {
    main.answer('backup.recovery.scan', () => ({ findings: [] }));
    await expect(useBackups.getState().scanRecovery('p1')).resolves.toEqual({ findings: [] });
    expect(main.inputs('backup.recovery.scan')).toEqual([{ profileId: 'p1' }]);
  });

  it('starts the undo of a restore and tracks its job', async () => {
    main.answer('backup.undo', () => job('j3'));
    await useBackups.getState().undo({ profileId: 'p1', restoreId: 'r1', replaceChanged: false, confirm: 'prod' });
    expect(main.inputs('backup.undo')).toEqual([{ profileId: 'p1', restoreId: 'r1', replaceChanged: false, confirm: 'prod' }]);
    expect(useJobs.getState().jobs.j3).toBeDefined();
  });
});
