import type { SliceHandlers } from '../../../shared/contract';
import type { memoryContract } from '../../../shared/contract/memory';
import type { Session } from '../../redis/connection-manager';
import type { Services } from '../../services';
import { AgentMemory } from './agent-memory';

export const memoryOf = (session: Session): AgentMemory => new AgentMemory(session.client, session.profile.keyPrefix);

export function memoryHandlers(s: Services): SliceHandlers<typeof memoryContract> {
  const memory = (profileId: string): AgentMemory => memoryOf(s.connections.session(profileId));
  return {
    'memory.spaces': ({ profileId }) => memory(profileId).spaces(),
    'memory.get': async ({ profileId, agent, namespace, key }) => ({
      entry: (await memory(profileId).get({ agent, namespace }, key)) ?? null,
    }),
    'memory.set': ({ profileId, agent, namespace, key, value, tags, ttlMs, expectVersion, by }) =>
      memory(profileId).set({ agent, namespace }, key, value, { tags, ttlMs, expectVersion, by }),
    'memory.delete': ({ profileId, agent, namespace, key, expectVersion }) =>
      memory(profileId).delete({ agent, namespace }, key, expectVersion),
    'memory.search': ({ profileId, agent, namespace, ...options }) => memory(profileId).search({ agent, namespace }, options),
    'memory.conflicts': ({ profileId, agent, namespace }) => memory(profileId).conflicts({ agent, namespace }),
    'memory.resolve': ({ profileId, agent, namespace, key, choice, value }) => {
      const session = s.connections.session(profileId);
      return memoryOf(session).resolve({ agent, namespace }, key, choice, value, `operator.${session.actor.user}`.slice(0, 64));
    },
  };
}
