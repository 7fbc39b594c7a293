import type { swarmsContract } from '../../../shared/contract/swarms';
import type { CallerSliceHandlers } from '../../api/dispatch';
import type { Services } from '../../services';

export function swarmsHandlers(s: Services): CallerSliceHandlers<typeof swarmsContract> {
  const session = (profileId: string) => s.connections.session(profileId);
  return {
    'swarms.list': ({ profileId }) => s.swarms.list(session(profileId)),
    'swarms.show': ({ profileId, swarmId, source }) => s.swarms.show(session(profileId), swarmId, source),
    'swarms.events': ({ profileId, swarmId, source, ...range }) => s.swarms.events(session(profileId), swarmId, source, range),
    'swarms.messages': ({ profileId, swarmId, source, after, count }) =>
      s.swarms.messages(session(profileId), swarmId, source, after, count),
    'swarms.action': ({ profileId, swarmId, action, agentId }) => s.swarms.act(session(profileId), swarmId, action, { agentId }),
    'swarms.watch': ({ profileId, swarmId, source, count }, caller) =>
      s.swarmMonitor.watch(session(profileId), swarmId, source, count, caller),
    'swarms.unwatch': ({ profileId, watchId }) => Promise.resolve(s.swarmMonitor.unwatch(profileId, watchId)),
    'swarms.cfnBlocking': ({ profileId }) => s.swarms.cfnBlocking(session(profileId)),
    'swarms.cfnTasks': ({ profileId }) => s.swarms.cfnTasks(session(profileId)),
    'swarms.cfnStates': ({ profileId, swarmId }) => s.swarms.cfnStates(session(profileId), swarmId),
    'swarms.cfnSaved': ({ profileId, swarmId, kind, id }) => s.swarms.cfnSaved(session(profileId), swarmId, kind, id),
    'swarms.propose': ({ profileId, swarmId, proposal }) => s.swarms.propose(session(profileId), swarmId, proposal),
  };
}
