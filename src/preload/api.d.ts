import type { Envelope, OpInput, OpName, OpOutput } from '../shared/contract';
import type { AppEventListener } from '../shared/events';

/** What the preload exposes as `window.swarmdeck`: one function per operation, plus events. */
export interface PreloadApi {
  ops: { [N in OpName]: (input: OpInput<N>) => Promise<Envelope<OpOutput<N>>> };
  onEvent(listener: AppEventListener): () => void;
}

declare global {
  interface Window {
    swarmdeck?: PreloadApi;
  }
}
