import { describe, expect, it } from 'vitest';
import { createDispatch, type Handlers } from '../../src/main/api/dispatch';
import { contract, OP_NAMES, type OpInput, type OpName } from '../../src/shared/contract';
import type { DeclaredProfile } from '../../src/shared/contract/op';
import { declaredGuard } from '../../src/shared/declared-guard';
import { samples } from '../support/contract-samples';

/**
 * The renderer disables a button with declaredGuard()'s reason and puts its target in the typed
 * confirmation. This proves, for every declared operation of the contract and its sample input,
 * that dispatch then does exactly that: refuses with the same words, asks for the same name, and
 * lets the call through when the renderer would. The handlers only record that they were reached.
 */
const REACHED = 'handler reached';
const handlers = new Proxy({} as Handlers, { get: () => () => Promise.reject(new Error(REACHED)) });

const PROFILES: DeclaredProfile[] = [
  { id: 'sample', name: 'dev', environment: 'development', readOnly: false },
  { id: 'sample', name: 'prod', environment: 'production', readOnly: false },
  { id: 'sample', name: 'reader', environment: 'staging', readOnly: true },
  { id: 'sample', name: 'prod reader', environment: 'production', readOnly: true },
];

const declaredOps = OP_NAMES.filter((op) => contract[op].declared !== undefined);
const withoutConfirm = <N extends OpName>(input: OpInput<N>): OpInput<N> => {
  const { confirm: _drop, ...rest } = input as OpInput<N> & { confirm?: string };
  return rest as OpInput<N>;
};

describe('declaredGuard() decides what dispatch enforces', () => {
  it('covers the newly guarded operations', () => {
    expect(declaredOps).toEqual(
      expect.arrayContaining([
        'config.set',
        'memory.set',
        'memory.delete',
        'state.set',
        'alerts.setRule',
        'alerts.deleteRule',
        'backup.schedule.set',
      ]),
    );
  });

  for (const profile of PROFILES) {
    const dispatch = createDispatch(handlers, { profile: () => Promise.resolve(profile), audit: () => Promise.resolve() });
    it.each(declaredOps)(`%s on ${profile.name}`, async (op) => {
      const input = withoutConfirm(samples[op]);
      const decision = declaredGuard(op, input, profile);
      const bare = await dispatch(op, input);
      expect(bare.ok).toBe(false);
      if (bare.ok) return;
      if (!decision.allowed) {
        expect(bare.error).toMatchObject({ code: 'READ_ONLY', message: decision.reason });
        return;
      }
      if (decision.confirm) {
        expect(bare.error).toMatchObject({ code: 'CONFIRMATION_REQUIRED', details: { expected: decision.confirm.expected } });
        expect(decision.target).toBe(decision.confirm.expected);
        const typed = await dispatch(op, { ...input, confirm: decision.confirm.expected });
        expect(typed).toMatchObject({ ok: false, error: { message: expect.stringContaining(REACHED) } });
        return;
      }
      expect(bare.error.message).toContain(REACHED);
    });
  }

  it('names the targets the operator types on production', () => {
    const prod = PROFILES[1] as DeclaredProfile;
    const expected = (op: OpName, input: OpInput<OpName>): string | undefined => declaredGuard(op, input, prod).confirm?.expected;
    expect(expected('config.set', { profileId: 'p', scope: 'swarm', value: {} })).toBe('swarm');
    expect(expected('memory.set', { profileId: 'p', namespace: 'notes', key: 'plan', value: '1' })).toBe('shared/notes/plan');
    expect(expected('memory.delete', { profileId: 'p', agent: 'planner-1', namespace: 'notes', key: 'plan' })).toBe('planner-1/notes/plan');
    expect(expected('state.set', { profileId: 'p', key: 'plan:current', value: '1' })).toBe('plan:current');
    expect(expected('alerts.deleteRule', { profileId: 'p', id: 'r-1' })).toBe('r-1');
    expect(expected('backup.schedule.set', { profileId: 'p', schedule: null })).toBe('prod');
  });
});
