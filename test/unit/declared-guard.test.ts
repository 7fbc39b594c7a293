import { describe, expect, it } from 'vitest';
import type { DeclaredProfile } from '../../src/shared/contract/op';
import { declaredGuard } from '../../src/shared/declared-guard';
import type { AlertRuleInput } from '../../src/shared/model/metrics';
import { defaultProfileInput } from '../../src/shared/model/profile';
import { confirmationOf } from '../../src/renderer/src/components/declared-action';

const dev: DeclaredProfile = { id: 'd', name: 'dev', environment: 'development', readOnly: false };
const prod: DeclaredProfile = { id: 'p', name: 'prod', environment: 'production', readOnly: false };
const reader: DeclaredProfile = { id: 'r', name: 'reader', environment: 'development', readOnly: true };

const rule: AlertRuleInput = {
  name: 'PING spike',
  series: 'redis.ping_ms',
  stat: 'max',
  windowSec: 60,
  op: 'gt',
  threshold: 300,
  forSec: 0,
  hysteresis: 0,
  severity: 'critical',
  enabled: true,
};

describe('declaredGuard()', () => {
  it('reads the action and the typed target from the declaration', () => {
    expect(declaredGuard('config.set', { profileId: 'p', scope: 'tasks', value: {} }, prod)).toMatchObject({
      allowed: true,
      action: 'config.set',
      target: 'tasks',
      destructive: true,
      confirm: { expected: 'tasks', prompt: expect.stringContaining('--confirm tasks') },
    });
    expect(declaredGuard('state.set', { profileId: 'p', key: 'plan:current', value: '{}' }, prod)).toMatchObject({
      action: 'state.set',
      confirm: { expected: 'plan:current' },
    });
  });

  it('asks nothing to be typed off production, and says what is destructive there', () => {
    expect(declaredGuard('memory.set', { profileId: 'd', namespace: 'n', key: 'k', value: 'v' }, dev)).toEqual({
      allowed: true,
      destructive: false,
      action: 'memory.set',
      target: 'shared/n/k',
    });
    expect(declaredGuard('memory.delete', { profileId: 'd', agent: 'a1', namespace: 'n', key: 'k' }, dev)).toMatchObject({
      allowed: true,
      destructive: true,
      target: 'a1/n/k',
    });
  });

  it('tells disabling a rule (silencing it) from saving one, by the input', () => {
    expect(declaredGuard('alerts.setRule', { profileId: 'p', rule }, prod)).toMatchObject({
      action: 'alert.rule',
      destructive: false,
      confirm: { expected: 'PING spike' },
    });
    expect(declaredGuard('alerts.setRule', { profileId: 'p', rule: { ...rule, enabled: false } }, prod)).toMatchObject({
      action: 'alert.silence',
      destructive: true,
      confirm: { expected: 'PING spike' },
    });
    // Once a rule exists main names it by its id, so a rename in the same call cannot choose what is typed.
    expect(declaredGuard('alerts.setRule', { profileId: 'p', rule: { ...rule, id: 'r-1', enabled: false } }, prod)).toMatchObject({
      action: 'alert.silence',
      confirm: { expected: 'r-1' },
    });
    expect(declaredGuard('backup.schedule.set', { profileId: 'p', schedule: null }, dev)).toMatchObject({
      action: 'backup.unschedule',
      destructive: true,
      target: 'dev',
    });
    expect(declaredGuard('backup.schedule.set', { profileId: 'p', schedule: { kind: 'interval', everyMs: 3_600_000 } }, dev)).toMatchObject(
      { action: 'backup.schedule', destructive: false },
    );
  });

  it("refuses on a read-only profile in the guard's words, and what lives in the home stays allowed", () => {
    expect(declaredGuard('state.set', { profileId: 'r', key: 'k', value: 'v' }, reader)).toMatchObject({
      allowed: false,
      code: 'READ_ONLY',
      reason: 'profile "reader" is read-only: writing the shared state was not done',
    });
    expect(declaredGuard('config.set', { profileId: 'r', scope: 'swarm', value: {} }, reader)).toMatchObject({
      allowed: false,
      reason: 'profile "reader" is read-only: changing the configuration was not done',
    });
    // Alert rules and schedules are files of this home: a read-only profile may change them.
    expect(declaredGuard('alerts.setRule', { profileId: 'r', rule: { ...rule, enabled: false } }, reader)).toMatchObject({ allowed: true });
    expect(declaredGuard('backup.schedule.set', { profileId: 'r', schedule: null }, reader)).toMatchObject({ allowed: true });
  });

  it("refuses a write without a guard of its own in dispatch's words", () => {
    expect(declaredGuard('queues.enqueue', { profileId: 'r', queue: 'jobs', task: {} }, reader)).toEqual({
      allowed: false,
      code: 'READ_ONLY',
      destructive: false,
      reason: 'Profile "reader" is read-only: queues.enqueue changes data in Redis, so it was not done',
    });
    expect(declaredGuard('queues.enqueue', { profileId: 'p', queue: 'jobs', task: {} }, prod)).toEqual({
      allowed: true,
      destructive: false,
    });
    expect(declaredGuard('memory.get', { profileId: 'r', namespace: 'n', key: 'k' }, reader)).toEqual({
      allowed: true,
      destructive: false,
    });
  });

  it('carries a foreign owner through: a claude-flow-novice swarm is only read', () => {
    expect(
      declaredGuard('swarms.action', { profileId: 'd', swarmId: 's1', source: 'claude-flow-novice', action: 'pause' }, dev),
    ).toMatchObject({
      allowed: false,
      reason: 's1 belongs to a claude-flow-novice deployment, which Swarmdeck only reads: pausing the swarm was not done',
    });
  });

  it('asks nothing of a call about no stored profile, as dispatch does (saving a new profile)', () => {
    const profile = { ...defaultProfileInput(), name: 'new one' };
    expect(declaredGuard('profiles.save', { profile }, prod)).toEqual({ allowed: true, destructive: false });
    // The same save of the stored production profile as development lifts its guard: confirmed.
    expect(declaredGuard('profiles.save', { profile: { ...profile, id: 'p' } }, prod)).toMatchObject({
      action: 'profile.weaken',
      confirm: { expected: 'prod' },
    });
  });

  it('decides for a form not filled in yet: a key being typed is still the target', () => {
    // '' does not parse (a key has at least one character), but the button must know it is refused.
    expect(declaredGuard('memory.set', { profileId: 'r', namespace: 'n', key: '', value: '' }, reader)).toMatchObject({
      allowed: false,
      code: 'READ_ONLY',
    });
    expect(declaredGuard('state.set', { profileId: 'p', key: 'half typed{', value: '' }, prod).confirm?.expected).toBe('half typed{');
  });
});

describe('confirmationOf()', () => {
  it('runs a plain write on one click, and sends the typed name along on production', () => {
    expect(confirmationOf(declaredGuard('state.set', { profileId: 'd', key: 'k', value: 'v' }, dev))).toEqual({
      danger: false,
      immediate: true,
    });
    expect(confirmationOf(declaredGuard('state.set', { profileId: 'p', key: 'k', value: 'v' }, prod))).toEqual({
      danger: false,
      immediate: false,
      typed: 'k',
    });
    expect(confirmationOf(declaredGuard('memory.delete', { profileId: 'd', namespace: 'n', key: 'k' }, dev))).toEqual({
      danger: true,
      immediate: false,
    });
  });
});
