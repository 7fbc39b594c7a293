import { describe, expect, it } from 'vitest';
import { blankDraft, draftOf, draftProblem, entryInput, OPERATOR_WRITER } from '../../src/renderer/src/features/memory/entry-form';
import { stateDraftProblem, stateInput } from '../../src/renderer/src/features/state/state-form';

describe('the memory entry form', () => {
  it('writes a shared entry when no agent is given, as the operator, from the version it started at', () => {
    const d = { ...blankDraft({ namespace: 'notes' }), key: ' plan ', value: '{"a":1}', tags: 'draft, ops  ops' };
    expect(entryInput('p', d)).toEqual({
      profileId: 'p',
      namespace: 'notes',
      key: 'plan',
      value: '{"a":1}',
      tags: ['draft', 'ops'],
      expectVersion: 0,
      by: OPERATOR_WRITER,
    });
    expect(draftProblem(d)).toBeUndefined();
  });

  it("edits an agent's entry as its next version", () => {
    const d = draftOf({
      agent: 'planner-1',
      namespace: 'notes',
      key: 'plan',
      value: '1',
      version: 4,
      updatedAt: 0,
      updatedBy: 'planner-1',
      tags: [],
    });
    expect(entryInput('p', d)).toMatchObject({ agent: 'planner-1', expectVersion: 4 });
    expect(entryInput('p', d)).not.toHaveProperty('tags');
  });

  it("says what is wrong in the contract's words before anything is sent", () => {
    expect(draftProblem(blankDraft(undefined))).toMatch(/^Namespace: Malformed name/);
    expect(draftProblem({ ...blankDraft({ namespace: 'n' }), key: 'a b' })).toMatch(/^Key: Malformed memory key/);
    expect(draftProblem({ ...blankDraft({ namespace: 'n' }), agent: 'a{b', key: 'k' })).toMatch(/^Agent:/);
    expect(draftProblem({ ...blankDraft({ namespace: 'n' }), key: 'k', tags: 'ok, no!' })).toBe(
      'Tag "no!": letters, digits, _ . -, at most 64',
    );
  });
});

describe('the state write form', () => {
  it('compares and sets from the version read, with the operator as the source', () => {
    expect(stateInput('p', { key: ' plan:current ', value: 'v', baseVersion: 3 })).toEqual({
      profileId: 'p',
      key: 'plan:current',
      value: 'v',
      expectVersion: 3,
      source: 'operator',
    });
    expect(stateDraftProblem({ key: 'plan:current', value: '', baseVersion: 0 })).toBeUndefined();
    expect(stateDraftProblem({ key: '{bad}', value: '', baseVersion: 0 })).toMatch(/^Key: Malformed state key/);
  });
});
