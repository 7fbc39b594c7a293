import type { ZodType } from 'zod';
import { contract, type OpInput, type OpName } from './contract';
import type { Declaration, DeclaredProfile, Operation } from './contract/op';
import { guard, type GuardDecision, type GuardedAction } from './guards';

/** A decision as an operation's declaration makes it: which guarded action, on what name. */
export interface DeclaredDecision extends GuardDecision {
  /** The guarded action the declaration names for this input; absent when the op declares none. */
  action?: GuardedAction;
  /** The name typed to confirm it on production (a scope, a key, a rule name, the profile's name). */
  target?: string;
}

/** Dispatch's own words for a write without a guard of its own on a read-only profile. */
export const readOnlyWriteReason = (op: OpName, profileName: string): string =>
  `Profile "${profileName}" is read-only: ${op} changes data in Redis, so it was not done`;

/**
 * The decision dispatch will make for `op` with `input` on `profile`, read from the op's
 * declaration in the contract instead of restated by each page: the guarded action and its
 * target come from `declared.guard`, what it means from guard(), and a write the guard allows is
 * still refused on a read-only profile, in the same order and words dispatch uses.
 *
 * `profile` is the one the op acts on (`declared.profile` picks it: promote's is the target).
 */
export function declaredGuard<N extends OpName>(op: N, input: OpInput<N>, profile: DeclaredProfile): DeclaredDecision {
  const operation = contract[op] as Operation<ZodType, unknown>;
  const declared = operation.declared as Declaration<unknown, unknown> | undefined;
  const writeRefused = operation.effect === 'write' && profile.readOnly;
  if (!declared) return { allowed: true, destructive: false };
  // Declarations read the input as dispatch hands it over, parsed. A form still being filled in
  // does not parse yet, but its button must already say whether it is refused: the raw input
  // stands in then (guards read names and flags, which parsing leaves as they are).
  const parsed = operation.input.safeParse(input);
  const data: unknown = parsed.success ? parsed.data : input;
  // A call about no stored profile (saving a new one) meets no guard in dispatch either.
  const id = declared.profile ? declared.profile(data) : (data as { profileId?: unknown }).profileId;
  if (typeof id !== 'string') return { allowed: true, destructive: false };
  const spec = declared.guard?.(data, profile);
  if (!spec)
    return writeRefused
      ? { allowed: false, code: 'READ_ONLY', destructive: false, reason: readOnlyWriteReason(op, profile.name) }
      : { allowed: true, destructive: false };
  const decision = guard(profile, spec.action, { name: spec.target, ...(spec.foreignOwner ? { foreignOwner: spec.foreignOwner } : {}) });
  const named = { action: spec.action, target: spec.target };
  // Dispatch runs the guard first (it names the action in the operator's words), then refuses any write on a read-only profile.
  if (decision.allowed && writeRefused)
    return {
      ...named,
      allowed: false,
      code: 'READ_ONLY',
      destructive: decision.destructive,
      reason: readOnlyWriteReason(op, profile.name),
    };
  return { ...decision, ...named };
}
