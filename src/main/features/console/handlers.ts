import type { consoleContract } from '../../../shared/contract/console';
import type { CallerSliceHandlers } from '../../api/dispatch';
import type { Services } from '../../services';

export function consoleHandlers(s: Services): CallerSliceHandlers<typeof consoleContract> {
  const session = (profileId: string) => s.connections.session(profileId);
  return {
    'console.commands': async ({ profileId }) => (profileId === undefined ? s.console.snapshot() : s.console.catalogue(session(profileId))),
    'console.exec': ({ profileId, ...options }, caller) => s.console.exec(session(profileId), options, caller),
    'console.keys': ({ profileId, ...options }) => s.console.keys(session(profileId), options),
    'console.monitor': async ({ profileId, ...options }, caller) => s.console.monitors.start(session(profileId), options, caller),
    'console.monitorLines': async ({ jobId, after, limit }) => s.console.monitors.lines(jobId, after, limit),
    'console.history': ({ profileId, search, limit }) => s.console.history.list(profileId, search, limit ?? 100),
  };
}
