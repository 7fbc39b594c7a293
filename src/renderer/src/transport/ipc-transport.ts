import type { Envelope, OpInput, OpName, OpOutput } from '../../../shared/contract';
import type { AppEventListener } from '../../../shared/events';
import type { PreloadApi } from '../../../preload/api';
import { NotAuditedListeners, openEnvelope, type NotAuditedListener } from './envelope';
import type { Transport } from './transport';

/** Inside Electron: the preload's one-function-per-operation bridge. */
export class IpcTransport implements Transport {
  readonly kind = 'ipc';
  private readonly notAudited = new NotAuditedListeners();

  constructor(private readonly api: PreloadApi) {}

  async call<N extends OpName>(op: N, input: OpInput<N>): Promise<OpOutput<N>> {
    // TypeScript cannot correlate a mapped type with its key; the contract guarantees the pairing.
    const invoke = this.api.ops[op] as unknown as (input: OpInput<N>) => Promise<Envelope<OpOutput<N>>>;
    return openEnvelope(op, await invoke(input), (w) => this.notAudited.emit(w));
  }

  subscribe(listener: AppEventListener): () => void {
    return this.api.onEvent(listener);
  }

  onNotAudited(listener: NotAuditedListener): () => void {
    return this.notAudited.add(listener);
  }
}
