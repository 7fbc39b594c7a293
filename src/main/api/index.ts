export { createDispatch, type CallerSliceHandlers, type DeclarationContext, type Dispatch, type Handlers } from './dispatch';
export { createHandlers, declarationContext, dispatchFor } from './handlers';
export { inProcessClient, type ApiClient } from './client';
