import type { OpInput, OpName, OpOutput } from '../../../shared/contract';
import type { AppEventListener } from '../../../shared/events';

/** All the renderer knows of main: call an operation, hear its events. */
export interface Transport {
  readonly kind: 'ipc' | 'websocket';
  call<N extends OpName>(op: N, input: OpInput<N>): Promise<OpOutput<N>>;
  subscribe(listener: AppEventListener): () => void;
}
