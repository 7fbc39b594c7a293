import type { Envelope, OpInput, OpName, OpOutput } from '../../../shared/contract';
import { SwarmdeckError } from '../../../shared/errors';
import type { AppEventListener } from '../../../shared/events';
import type { PreloadApi } from '../../../preload/api';
import type { Transport } from './transport';

/** Inside Electron: the preload's one-function-per-operation bridge. */
export class IpcTransport implements Transport {
  readonly kind = 'ipc';

  constructor(private readonly api: PreloadApi) {}

  async call<N extends OpName>(op: N, input: OpInput<N>): Promise<OpOutput<N>> {
    // TypeScript cannot correlate a mapped type with its key; the contract guarantees the pairing.
    const invoke = this.api.ops[op] as unknown as (input: OpInput<N>) => Promise<Envelope<OpOutput<N>>>;
    const envelope = await invoke(input);
    if (!envelope.ok) throw SwarmdeckError.fromPayload(envelope.error);
    return envelope.result as OpOutput<N>;
  }

  subscribe(listener: AppEventListener): () => void {
    return this.api.onEvent(listener);
  }
}
