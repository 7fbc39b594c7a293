import { z } from 'zod';

/**
 * One operation of the Swarmdeck API: the zod schema its input must satisfy and (as a phantom
 * type) what it returns. Main validates against these schemas at every boundary; transports
 * and the preload derive their shape from the composed contract.
 */
export interface Operation<I extends z.ZodType, O> {
  input: I;
  /** Never set: carries the output type. */
  output?: O;
  /** Changes what is stored or what Redis holds. */
  mutates: boolean;
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
  return <I extends z.ZodType>(input: I, mutates = false, maxInputBytes = DEFAULT_MAX_INPUT_BYTES): Operation<I, O> => ({
    input,
    mutates,
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
