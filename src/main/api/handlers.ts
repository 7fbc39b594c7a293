import { analyticsHandlers } from '../features/analytics/handlers';
import { appHandlers } from '../features/app/handlers';
import { auditHandlers } from '../features/audit/handlers';
import { backupHandlers } from '../features/backup/handlers';
import { connectionsHandlers } from '../features/connections/handlers';
import { configHandlers } from '../features/config/handlers';
import { consoleHandlers } from '../features/console/handlers';
import { diagnosticsHandlers } from '../features/diagnostics/handlers';
import { healthHandlers } from '../features/health/handlers';
import { jobsHandlers } from '../features/jobs/handlers';
import { locksHandlers } from '../features/locks/handlers';
import { memoryHandlers } from '../features/memory/handlers';
import { messagingHandlers } from '../features/messaging/handlers';
import { metricsHandlers } from '../features/metrics/handlers';
import { profilesHandlers } from '../features/profiles/handlers';
import { queuesHandlers } from '../features/queues/handlers';
import { stateHandlers } from '../features/state/handlers';
import { swarmsHandlers } from '../features/swarms/handlers';
import { recordAudit } from '../features/audit/audit';
import type { Services } from '../services';
import { createDispatch, type DeclarationContext, type Dispatch, type Handlers } from './dispatch';

/**
 * The handler registry: each feature implements its slice of the contract, one line here.
 * The `Handlers` type refuses an operation that is declared and left unimplemented.
 */
export function createHandlers(s: Services): Handlers {
  return {
    ...appHandlers(s),
    ...profilesHandlers(s),
    ...connectionsHandlers(s),
    ...healthHandlers(s),
    ...auditHandlers(s),
    ...jobsHandlers(s),
    ...queuesHandlers(s),
    ...swarmsHandlers(s),
    ...consoleHandlers(s),
    ...diagnosticsHandlers(s),
    ...backupHandlers(s),
    ...metricsHandlers(s),
    ...analyticsHandlers(s),
    ...locksHandlers(s),
    ...stateHandlers(s),
    ...memoryHandlers(s),
    ...configHandlers(s),
    ...messagingHandlers(s),
  };
}

/** Where dispatch finds a profile and writes an audit entry: the live session first, then the store. */
export function declarationContext(s: Services): DeclarationContext {
  return {
    profile: async (profileId) =>
      s.connections.isConnected(profileId) ? s.connections.session(profileId).profile : s.profiles.get(profileId),
    audit: async (profileId, entry) =>
      recordAudit(s.connections.session(profileId), entry.action, entry.target, entry.detail, entry.affected),
  };
}

/** The dispatch of every host over these services: the handlers and their declarations. */
export function dispatchFor(s: Services, onUnexpected?: (error: unknown) => void): Dispatch {
  return createDispatch(createHandlers(s), declarationContext(s), onUnexpected);
}
