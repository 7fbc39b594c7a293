import { describe, expect, it } from 'vitest';
import { confirmationProblem, guard, GUARDED_ACTIONS, isDestructive, type GuardedAction, type GuardProfile } from '../../src/shared/guards';

const dev: GuardProfile = { name: 'dev', environment: 'development', readOnly: false };
const prod: GuardProfile = { name: 'prod', environment: 'production', readOnly: false };
const reader: GuardProfile = { name: 'reader', environment: 'staging', readOnly: true };

describe('guard()', () => {
  it.each<[string, GuardProfile, GuardedAction, { allowed: boolean; reason?: string; confirm?: string }]>([
    ['dev retry runs', dev, 'queue.retry', { allowed: true }],
    ['dev purge runs (the dialog still asks)', dev, 'queue.purge', { allowed: true }],
    ['prod pause needs the name typed', prod, 'queue.pause', { allowed: true, confirm: 'q1' }],
    ['prod stop needs the id typed', prod, 'swarm.stop', { allowed: true, confirm: 'q1' }],
    [
      'read-only retry refused',
      reader,
      'queue.retry',
      { allowed: false, reason: 'profile "reader" is read-only: retrying a task was not done' },
    ],
    [
      'read-only propose refused',
      reader,
      'swarm.propose',
      { allowed: false, reason: 'profile "reader" is read-only: opening a proposal was not done' },
    ],
    ['read-only profile can still be deleted', reader, 'profile.delete', { allowed: true }],
    [
      'prod read-only refused before any confirmation',
      { ...prod, readOnly: true },
      'queue.purge',
      { allowed: false, reason: 'profile "prod" is read-only: purging tasks was not done' },
    ],
  ])('%s', (_, profile, action, want) => {
    const d = guard(profile, action, { name: 'q1' });
    expect(d.allowed).toBe(want.allowed);
    expect(d.reason).toBe(want.reason);
    expect(d.confirm?.expected).toBe(want.confirm);
  });

  it('refuses writes to a swarm Swarmdeck only reads, on any profile', () => {
    const d = guard(dev, 'swarm.pause', { name: 's1', foreignOwner: 'a claude-flow-novice deployment' });
    expect(d).toMatchObject({ allowed: false, code: 'READ_ONLY' });
    expect(d.reason).toBe('s1 belongs to a claude-flow-novice deployment, which Swarmdeck only reads: pausing the swarm was not done');
  });

  it('marks what loses work for good as destructive', () => {
    const destructive = (Object.keys(GUARDED_ACTIONS) as GuardedAction[]).filter(isDestructive).sort();
    expect(destructive).toEqual([
      'alert.silence',
      'backup.delete',
      'backup.prune',
      'backup.restore',
      'backup.undo',
      'backup.unschedule',
      'config.promote',
      'config.rollback',
      'config.set',
      'console.dangerous',
      'lock.forceRelease',
      'memory.delete',
      'memory.resolve',
      'profile.delete',
      'queue.cancel',
      'queue.purge',
      'queue.retryAll',
      'swarm.archive',
      'swarm.removeAgent',
      'swarm.stop',
    ]);
  });

  it.each<[string, GuardProfile, string | undefined, RegExp | undefined]>([
    ['dev, nothing typed', dev, undefined, undefined],
    ['dev, right name', dev, 'q1', undefined],
    ['dev, wrong name', dev, 'wrong', /does not match q1.*--confirm q1/],
    ['prod, nothing typed', prod, undefined, /needs confirmation: type "q1"/],
    ['prod, wrong name', prod, 'q2', /"q2" does not match q1/],
    ['prod, right name', prod, 'q1', undefined],
  ])('confirmation: %s', (_, profile, given, want) => {
    const problem = confirmationProblem('queue.purge', { name: 'q1' }, guard(profile, 'queue.purge', { name: 'q1' }), given);
    if (want) expect(problem).toMatch(want);
    else expect(problem).toBeUndefined();
  });
});

describe('what the refusal tells the CLI to type', () => {
  it('quotes a name a shell would split', () => {
    const spaced = { name: 'Local sandbox', environment: 'production' as const, readOnly: false };
    expect(
      confirmationProblem('queue.purge', { name: 'Local sandbox' }, guard(spaced, 'queue.purge', { name: 'Local sandbox' }), undefined),
    ).toContain(`--confirm 'Local sandbox'`);
    expect(confirmationProblem('queue.purge', { name: "o'brien" }, guard(spaced, 'queue.purge', { name: "o'brien" }), undefined)).toContain(
      `--confirm 'o'\\''brien'`,
    );
    expect(confirmationProblem('queue.purge', { name: 'q1' }, guard(spaced, 'queue.purge', { name: 'q1' }), undefined)).toContain(
      '--confirm q1)',
    );
  });
});
