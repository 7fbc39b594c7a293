import { z } from 'zod';
import type { AuditAction, GuardedAction, GuardProfile } from '../guards';

/**
 * What a call does to its target, declared once here and enforced by dispatch for every host
 * (window, web host, CLI, tests), so no handler can forget it:
 * - `read`: changes nothing; never refused or audited.
 * - `write`: changes what Redis holds; refused on a read-only profile.
 * - `home`: changes only Swarmdeck's own files (profiles, rules, backups on disk); a read-only
 *   profile allows it, its guard still decides.
 * - `command`: the console's lines, each a read, a write or a dangerous command by the server's
 *   own command table, which only main holds; the console guards and audits each line.
 */
export type Effect = 'read' | 'write' | 'home' | 'command';

/** The profile a guard decision is about, as dispatch finds it in the profile store. */
export interface DeclaredProfile {
  id: string;
  name: string;
  environment: GuardProfile['environment'];
  readOnly: boolean;
}

/** The guarded action a call is, and the name the operator types to confirm it on production. */
export interface GuardSpec {
  action: GuardedAction;
  target: string;
  /** Set when the target belongs to a system Swarmdeck only reads. */
  foreignOwner?: string;
}

/** The one audit entry a write that happened leaves; `action` is typed, never a free string. */
export interface AuditSpec {
  action: AuditAction;
  target: string;
  detail: string;
  affected?: number;
}

export interface Declaration<In, O> {
  effect: Exclude<Effect, 'read'>;
  /** Whose profile the call acts on; by default the input's `profileId`. */
  profile?: (input: In) => string | undefined;
  /** The guarded action of this call, if any (given the stored profile, e.g. to see a weakening). */
  guard?: (input: In, profile: DeclaredProfile) => GuardSpec | undefined;
  /** Written by dispatch after the handler succeeded; `{ none }` says why the call leaves no entry. */
  audit: ((input: In, output: O, profile: DeclaredProfile) => AuditSpec | undefined) | { none: string };
}

/**
 * One operation of the Swarmdeck API: the zod schema its input must satisfy, (as a phantom
 * type) what it returns, and what it does. Main validates against these schemas at every
 * boundary; transports and the preload derive their shape from the composed contract.
 */
export interface Operation<I extends z.ZodType, O> {
  input: I;
  /** Never set: carries the output type. */
  output?: O;
  effect: Effect;
  /** For `write` and `home` operations: the guard and the audit entry dispatch applies. */
  declared?: Declaration<z.output<I>, O>;
  /**
   * The largest input accepted, in bytes of JSON. Transports refuse a bigger one before the
   * schema runs, so a hostile caller cannot make main walk megabytes to learn it is invalid.
   */
  maxInputBytes: number;
}

/** The largest WebSocket frame the web host reads; every op's cap stays below it. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;
/** Room for `{"id":…,"op":…,"input":}` around an input in one frame. */
export const FRAME_OVERHEAD_BYTES = 1024;
/** Enough for any form a person fills in; ops that carry files or payloads say more. */
const DEFAULT_MAX_INPUT_BYTES = 64 * 1024;

export function op<O>() {
  return <I extends z.ZodType>(
    input: I,
    declared?: Declaration<z.output<I>, O>,
    maxInputBytes = DEFAULT_MAX_INPUT_BYTES,
  ): Operation<I, O> => ({
    input,
    effect: declared?.effect ?? 'read',
    ...(declared ? { declared } : {}),
    maxInputBytes,
  });
}

// Identifiers every slice shares.
export const ProfileId = z.string().regex(/^[a-z0-9-]{1,64}$/, 'Malformed profile id');
export const ByProfile = z.strictObject({ profileId: ProfileId });
export const Empty = z.strictObject({});
export const StreamId = z.string().regex(/^\d{1,15}-\d{1,10}$/, 'Malformed stream id');
/** The profile's name, typed by the operator before a destructive action on production. */
export const Confirm = z.string().max(128).optional();
