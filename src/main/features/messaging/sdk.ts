/** What agent processes use of messaging, re-exported by `src/main/sdk.ts` in one line. */
export { Messaging, type MessagingOptions } from './messaging';
export { MessageRouter } from './router';
export { Keyring, type Envelope as MessageEnvelope } from './envelope';
export type { Route } from '../../../shared/contract/messaging';
