import type { OpInput, OpName, OpOutput } from '../../shared/contract';
import { SwarmdeckError } from '../../shared/errors';
import type { Dispatch } from './dispatch';

/** A typed caller of the contract, for hosts that run in main's own process (CLI, tests). */
export interface ApiClient {
  call<N extends OpName>(op: N, input: OpInput<N>): Promise<OpOutput<N>>;
}

export interface ClientOptions {
  /**
   * Hears an action that was done but could not be written to the audit stream (main's own
   * sentence). The call still returns its result: the action happened, and reporting a failure
   * would invite a second one. The CLI prints it to stderr as a warning.
   */
  notAudited?(op: OpName, message: string): void;
}

/**
 * Goes through the very dispatch the window and the web host use — validation, guards,
 * confirmation and audit included — and turns a failed envelope back into the error.
 */
export function inProcessClient(dispatch: Dispatch, options: ClientOptions = {}): ApiClient {
  return {
    async call(op, input) {
      const envelope = await dispatch(op, input);
      if (!envelope.ok) throw SwarmdeckError.fromPayload(envelope.error);
      if (typeof envelope.notAudited === 'string') options.notAudited?.(op, envelope.notAudited);
      return envelope.result as OpOutput<typeof op>;
    },
  };
}
