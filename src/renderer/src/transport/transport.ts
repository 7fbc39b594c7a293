import type { OpInput, OpName, OpOutput } from '../../../shared/contract';
import type { AppEventListener } from '../../../shared/events';
import type { NotAuditedListener } from './envelope';

/** All the renderer knows of main: call an operation, hear its events. */
export interface Transport {
  readonly kind: 'ipc' | 'websocket';
  call<N extends OpName>(op: N, input: OpInput<N>): Promise<OpOutput<N>>;
  subscribe(listener: AppEventListener): () => void;
  /** Hears every call that was done but could not be audited (the call itself still resolves). */
  onNotAudited(listener: NotAuditedListener): () => void;
}
