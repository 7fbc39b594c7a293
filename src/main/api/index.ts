export { createDispatch, type Dispatch, type Handlers } from './dispatch';
export { createHandlers } from './handlers';
export { inProcessClient, type ApiClient } from './client';
