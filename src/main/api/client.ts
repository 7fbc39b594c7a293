import type { OpInput, OpName, OpOutput } from '../../shared/contract';
import { SwarmdeckError } from '../../shared/errors';
import type { Dispatch } from './dispatch';

/** A typed caller of the contract, for hosts that run in main's own process (CLI, tests). */
export interface ApiClient {
  call<N extends OpName>(op: N, input: OpInput<N>): Promise<OpOutput<N>>;
}

/**
 * Goes through the very dispatch the window and the web host use — validation, guards,
 * confirmation and audit included — and turns a failed envelope back into the error.
 */
export function inProcessClient(dispatch: Dispatch): ApiClient {
  return {
    async call(op, input) {
      const envelope = await dispatch(op, input);
      if (!envelope.ok) throw SwarmdeckError.fromPayload(envelope.error);
      return envelope.result as OpOutput<typeof op>;
    },
  };
}
