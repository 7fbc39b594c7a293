import type { swarmsContract } from '../../../shared/contract/swarms';
import type { CallerSliceHandlers } from '../../api/dispatch';
import type { Services } from '../../services';
import { blockingWaits, savedState, savedStates, taskSource } from './cfn-coordination';

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
    'swarms.cfnBlocking': ({ profileId }) => blockingWaits(session(profileId).client),
    'swarms.cfnTasks': ({ profileId }) => taskSource(session(profileId).client),
    'swarms.cfnStates': ({ profileId, swarmId }) => savedStates(session(profileId).client, swarmId),
    'swarms.cfnSaved': async ({ profileId, swarmId, kind, id }) => ({
      state: (await savedState(session(profileId).client, swarmId, kind, id)) ?? null,
    }),
    'swarms.propose': ({ profileId, swarmId, proposal }) => s.swarms.propose(session(profileId), swarmId, proposal),
  };
}
