import type { OpInput } from '../../../../shared/contract';
import { STATE_MAX_VALUE_BYTES, StateKeySchema } from '../../../../shared/contract/state';

/** A write of one state key as typed: a new key (version 0: it must not exist) or the next version of one. */
export interface StateDraft {
  key: string;
  value: string;
  /** The version the operator read: compare-and-set refuses a write over a newer one (CONFLICT). */
  baseVersion: number;
}

/** The version's source: who wrote it, as agents see it in the history. */
export const OPERATOR_SOURCE = 'operator';

export function stateInput(profileId: string, d: StateDraft): OpInput<'state.set'> {
  return { profileId, key: d.key.trim(), value: d.value, expectVersion: d.baseVersion, source: OPERATOR_SOURCE };
}

/** Why the draft cannot be written yet, in the contract's words; undefined when it can. */
export function stateDraftProblem(d: StateDraft): string | undefined {
  const key = StateKeySchema.safeParse(d.key.trim());
  if (!key.success) return `Key: ${key.error.issues[0]?.message ?? 'malformed'}`;
  if (new TextEncoder().encode(d.value).length > STATE_MAX_VALUE_BYTES) return 'Value: at most 512 KB';
  return undefined;
}
